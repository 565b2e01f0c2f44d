package org.armature.envs.experts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.armature.envs.tasks.PendulumEnv;
import org.armature.envs.tasks.manipulation.PegInsertEnv;
import org.armature.envs.tasks.manipulation.PushTEnv;
import org.armature.envs.tasks.manipulation.ReachEnv;

/**
 * Registry of scripted experts by env id (dense and sparse variants share an expert: they have the same
 * observations and actions). {@link #defaultNoiseStd(String)} is the documented demonstration noise that makes the
 * experts clearly imperfect (see envs/README.md, "Manipulation tasks").
 */
public final class Experts {

    /** How to build one task's expert, and its default demonstration noise (action units). */
    private record Entry(Factory factory, double defaultNoiseStd) {
    }

    @FunctionalInterface
    private interface Factory {
        Expert make(double noiseStd, long seed);
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        // Pendulum-v1: noise-free by default (its datasets add noise at collection, see offline's DatasetSuite)
        REGISTRY.put(PendulumEnv.ID, new Entry(PendulumSwingUp::new, 0.0));
        Entry reach = new Entry(ReachExpert::new, 0.3);
        REGISTRY.put(ReachEnv.ID, reach);
        REGISTRY.put(ReachEnv.SPARSE_ID, reach);
        REGISTRY.put(ReachEnv.KINEMATIC_ID, reach);
        REGISTRY.put(ReachEnv.KINEMATIC_SPARSE_ID, reach);
        Entry pushT = new Entry(PushTExpert::new, 0.015);
        REGISTRY.put(PushTEnv.ID, pushT);
        REGISTRY.put(PushTEnv.SPARSE_ID, pushT);
        Entry peg = new Entry(PegInsertExpert::new, 0.32);
        REGISTRY.put(PegInsertEnv.ID, peg);
        REGISTRY.put(PegInsertEnv.SPARSE_ID, peg);
    }

    private Experts() {
    }

    /** Whether {@code envId} has a scripted expert. */
    public static boolean has(String envId) {
        return REGISTRY.containsKey(envId);
    }

    /** Env ids with a scripted expert. */
    public static List<String> ids() {
        return List.copyOf(REGISTRY.keySet());
    }

    /**
     * The expert for {@code envId} with Gaussian action noise of standard deviation {@code noiseStd} (action units;
     * 0 for the noise-free expert), its noise and choices seeded by {@code seed} (re-seeded by
     * {@link Expert#reset(long)}).
     */
    public static Expert make(String envId, double noiseStd, long seed) {
        return entry(envId).factory().make(noiseStd, seed);
    }

    /** The default demonstration noise for {@code envId}. */
    public static double defaultNoiseStd(String envId) {
        return entry(envId).defaultNoiseStd();
    }

    private static Entry entry(String envId) {
        Entry e = REGISTRY.get(envId);
        if (e == null) {
            throw new IllegalArgumentException("no scripted expert for env '" + envId + "'; experts exist for: "
                    + String.join(", ", REGISTRY.keySet()));
        }
        return e;
    }
}
