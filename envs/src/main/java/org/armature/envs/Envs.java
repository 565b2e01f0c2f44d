package org.armature.envs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.armature.envs.tasks.AntEnv;
import org.armature.envs.tasks.HalfCheetahEnv;
import org.armature.envs.tasks.HopperEnv;
import org.armature.envs.tasks.PendulumEnv;
import org.armature.envs.tasks.Walker2dEnv;
import org.armature.envs.tasks.manipulation.PegInsertEnv;
import org.armature.envs.tasks.manipulation.PushTEnv;
import org.armature.envs.tasks.manipulation.ReachEnv;
import org.armature.envs.wrappers.TimeLimit;

/**
 * Registry of environments by versioned id. {@link #make(String)} builds the task and wraps it in a
 * {@link TimeLimit} with the spec's episode limit, as Gymnasium's {@code make} does.
 */
public final class Envs {

    /** A registered task. */
    public record Entry(String id, String description, Supplier<Env> factory) {
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        register(PendulumEnv.ID, "Gymnasium's classic pendulum swing-up (exact reproduction)", PendulumEnv::new);
        register(HopperEnv.ID, "One-legged planar hopper (after MuJoCo Hopper-v5)", HopperEnv::new);
        register(Walker2dEnv.ID, "Two-legged planar walker (after MuJoCo Walker2d-v5)", Walker2dEnv::new);
        register(HalfCheetahEnv.ID, "Planar cheetah (after MuJoCo HalfCheetah-v5)", HalfCheetahEnv::new);
        register(AntEnv.ID, "Quadruped ant (after MuJoCo Ant-v5)", AntEnv::new);
        register(HalfCheetahEnv.ID_V2, "HalfCheetah-v1 at 1/100 s physics steps (5 per 50 ms control step, as MuJoCo)",
                HalfCheetahEnv::v2);
        register(AntEnv.ID_V2, "Ant-v1 at 1/120 s physics steps (6 per 50 ms control step)", AntEnv::v2);
        register(ReachEnv.ID, "7-DoF Panda-kinematics arm reaches a random target (dense reward)",
                () -> new ReachEnv(false));
        register(ReachEnv.SPARSE_ID, "Reach-v1 with sparse success reward", () -> new ReachEnv(true));
        register(ReachEnv.KINEMATIC_ID, "Reach-v1 with the TCP from forward kinematics, as a robot measures it "
                + "(deployable with the hardware bridge)", () -> new ReachEnv(false, true));
        register(ReachEnv.KINEMATIC_SPARSE_ID, "Reach-v2 with sparse success reward", () -> new ReachEnv(true, true));
        register(PushTEnv.ID, "Diffusion Policy's Push-T in 3-D physics: push a T block onto a goal (dense coverage)",
                () -> new PushTEnv(false));
        register(PushTEnv.SPARSE_ID, "PushT-v1 with sparse success reward", () -> new PushTEnv(true));
        register(PegInsertEnv.ID, "Gripper inserts a held square peg into a hole with 2 mm clearance (dense reward)",
                () -> new PegInsertEnv(false));
        register(PegInsertEnv.SPARSE_ID, "PegInsert-v1 with sparse success reward", () -> new PegInsertEnv(true));
    }

    private Envs() {
    }

    /** Registers a task; re-registering an id replaces it. */
    public static synchronized void register(String id, String description, Supplier<Env> factory) {
        REGISTRY.put(id, new Entry(id, description, factory));
    }

    public static synchronized List<String> ids() {
        return List.copyOf(REGISTRY.keySet());
    }

    public static synchronized List<Entry> entries() {
        return List.copyOf(REGISTRY.values());
    }

    public static synchronized boolean contains(String id) {
        return REGISTRY.containsKey(id);
    }

    /**
     * The task family of an id: the id without its version suffix and a "Sparse"/"Dense" marker, e.g.
     * {@code PegInsertSparse-v1 -> PegInsert}. Dense and sparse variants of one task share observations, actions
     * and dynamics, so a policy or dataset of one is at home in the other.
     */
    public static String family(String id) {
        String s = id.strip().replaceFirst("-v\\d+$", "");
        String f = s.replaceFirst("[-_]?(Sparse|Dense|sparse|dense)$", "");
        return f.isEmpty() ? s : f;
    }

    /** True for the sparse-reward variant of a task ({@code ...Sparse-vN}). */
    public static boolean isSparse(String id) {
        return id.strip().replaceFirst("-v\\d+$", "").matches(".*(Sparse|sparse)$");
    }

    /** True when two env ids name the same task family ({@link #family}). */
    public static boolean sameFamily(String a, String b) {
        return family(a).equals(family(b));
    }

    /**
     * True when {@code id} defines success ({@link Env#definesSuccess}); builds the env once to ask it. Unknown ids
     * are an {@link UnknownEnvException}.
     */
    public static boolean definesSuccess(String id) {
        try (Env env = makeRaw(id)) {
            return env.definesSuccess();
        }
    }

    /** The task with its {@link TimeLimit}; build it on the thread that will step it. */
    public static Env make(String id) {
        Env env = makeRaw(id);
        int limit = env.spec().maxEpisodeSteps();
        return limit > 0 ? new TimeLimit(env, limit) : env;
    }

    /** The task without any wrapper. */
    public static Env makeRaw(String id) {
        Entry e;
        synchronized (Envs.class) {
            e = REGISTRY.get(id);
        }
        if (e == null) {
            throw new UnknownEnvException(id, closest(id));
        }
        return e.factory().get();
    }

    /** Known ids sorted by edit distance to {@code id} (closest first). */
    public static List<String> closest(String id) {
        List<String> known = new ArrayList<>(ids());
        String q = id == null ? "" : id.toLowerCase();
        known.sort(Comparator.comparingInt((String k) -> editDistance(q, k.toLowerCase())).thenComparing(k -> k));
        return known;
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Thrown for an id that is not registered; the message lists the known ids, closest first. */
    public static final class UnknownEnvException extends IllegalArgumentException {
        public UnknownEnvException(String id, List<String> known) {
            super("unknown environment id '" + id + "'; known ids (closest first): " + String.join(", ", known));
        }
    }
}
