package org.armature.agents;

import java.nio.charset.StandardCharsets;

/**
 * The one place seeds are derived: every random source of a run is a named stream of the run's root seed
 * ({@code --seed}), so streams never overlap by accident (no {@code seed + 1} next to {@code seed + i}) and adding a
 * stream does not shift the others.
 *
 * <pre>
 *   Seeds.of(seed, "init")             network initialisation
 *   Seeds.of(seed, "learner")          the learner's own noise (SAC's sampling, TD3's target smoothing, CQL's actions)
 *   Seeds.of(seed, "loop")             the training loop: warm-up actions, replay and dataset sampling
 *   Seeds.of(seed, "episode") + i      reset seed of training episode i
 *   Seeds.of(seed, "evaluation") + k   reset seed of evaluation episode k (the same episodes at every evaluation)
 *   Seeds.of(seed, "rollout-worker-" + w)   root of remote rollout worker w (its own "loop", "episode" and agent)
 * </pre>
 * The value is SplitMix64's finaliser applied to the root seed mixed with the name's FNV-1a hash.
 */
public final class Seeds {

    private Seeds() {
    }

    /** The seed of stream {@code name} of a run with root seed {@code root}. */
    public static long of(long root, String name) {
        long h = 0xcbf29ce484222325L; // FNV-1a 64
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(mix(root) ^ h);
    }

    /** SplitMix64's output function (Steele, Lea &amp; Flood 2014). */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
