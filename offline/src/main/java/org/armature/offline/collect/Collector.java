package org.armature.offline.collect;

import org.armature.agents.data.DatasetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

import org.armature.agents.Policy;
import org.armature.agents.Seeds;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.envs.BoxSpace;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.envs.Episode;
import org.armature.envs.Reset;
import org.armature.envs.Step;

/**
 * Rolls a behaviour policy out in an env and records the episodes as a dataset. Episode {@code i} starts with
 * {@code env.reset(seed + i)} (the seeds are stored in {@code episode_reset_seeds}, so every episode can be
 * replayed) and the policy is reset with the same seed. With {@code noiseStd = σ > 0} the executed action is
 * {@code clip(π(s) + σ · (high − low) / 2 · N(0, I))}: σ is relative to the action half-range, so σ = 0.1 on a
 * [−1, 1] box is D4RL's absolute 0.1. Each episode draws this noise from its own stream,
 * {@code Seeds.of(episodeSeed, "collection-noise")}, so an episode's content depends on its seed only, not on which
 * episodes were collected before it (a collection split into shards across machines gives the same episodes). The
 * dataset records the actions
 * as executed (the policy's own noise, e.g. a scripted expert's demonstration noise, and this noise, after clipping).
 *
 * <p>With {@code successOnly}, only the episodes in which some step reported {@link Step#success()} are kept
 * (episode {@code i} still uses seed {@code seed + i}; the kept episodes' seeds are in {@code episode_reset_seeds}).
 * Every collection records in the dataset's attributes how many episodes were tried ({@value #EPISODES_TRIED}) and
 * kept ({@value #EPISODES_KEPT}) and, on tasks that define success, the success rate over all tried episodes
 * ({@value #SUCCESS_RATE_TRIED}).
 */
public final class Collector {

    /** Attribute: episodes rolled out. */
    public static final String EPISODES_TRIED = "episodes_tried";
    /** Attribute: episodes written to the dataset. */
    public static final String EPISODES_KEPT = "episodes_kept";
    /** Attribute: episodes with a successful step, among the tried ones (tasks that define success). */
    public static final String EPISODES_SUCCEEDED = "episodes_succeeded";
    /** Attribute: {@value #EPISODES_SUCCEEDED} / {@value #EPISODES_TRIED} (tasks that define success). */
    public static final String SUCCESS_RATE_TRIED = "success_rate_tried";
    /** Attribute: "true" when only successful episodes were kept. */
    public static final String SUCCESS_ONLY = "success_only";

    /** The name of each episode's noise stream ({@code Seeds.of(episodeSeed, NOISE_STREAM)}). */
    public static final String NOISE_STREAM = "collection-noise";

    private Collector() {
    }

    /**
     * What a collection produced.
     *
     * @param dataset    the kept episodes; null when none was kept ({@code successOnly} and no episode succeeded)
     * @param tried      episodes rolled out
     * @param kept       episodes in {@code dataset}
     * @param successful episodes with a successful step among the tried ones
     * @param definesSuccess whether the task defines success at all
     */
    public record Result(OfflineDataset dataset, int tried, int kept, int successful, boolean definesSuccess) {

        /** {@code successful / tried}. */
        public double successRate() {
            return (double) successful / tried;
        }
    }

    /** Uniform random actions in the action space (D4RL's "random" datasets). */
    public static Policy randomPolicy(EnvSpec spec, long seed) {
        if (!spec.actionSpace().isBounded()) {
            throw new IllegalArgumentException("env " + spec.id() + " has an unbounded action space; a uniform "
                    + "random policy needs bounds");
        }
        return new UniformPolicy(spec, seed, 0x5DEECE66DL);
    }

    /**
     * Uniform random actions in a bounded action box from a stream seeded with {@code seed}; {@link #reset} seeds it
     * with the episode's seed XOR {@code resetSalt}.
     */
    public static final class UniformPolicy implements Policy {
        private final BoxSpace space;
        private final int observationDim;
        private final long resetSalt;
        private SplittableRandom rng;

        public UniformPolicy(EnvSpec spec, long seed, long resetSalt) {
            this.space = spec.actionSpace();
            this.observationDim = spec.observationDim();
            this.resetSalt = resetSalt;
            this.rng = new SplittableRandom(seed);
        }

        @Override
        public float[] act(float[] observation) {
            return space.sample(rng);
        }

        @Override
        public void reset(long episodeSeed) {
            rng = new SplittableRandom(episodeSeed ^ resetSalt);
        }

        @Override
        public int observationDim() {
            return observationDim;
        }

        @Override
        public int actionDim() {
            return space.dim();
        }
    }

    /**
     * Collects {@code episodes} episodes of {@code policy} in a fresh {@code Envs.make(envId)}.
     *
     * @param progress called with the number of finished episodes (may be null)
     */
    public static OfflineDataset collect(String envId, Policy policy, String policyName, int episodes, long seed,
                                         double noiseStd, IntConsumer progress) {
        return collect(envId, policy, policyName, episodes, seed, noiseStd, false, progress).dataset();
    }

    /**
     * Collects {@code episodes} episodes of {@code policy} in a fresh {@code Envs.make(envId)}, keeping only the
     * successful ones when {@code successOnly} (which needs a task that defines success).
     *
     * @param progress called with the number of finished (tried) episodes (may be null)
     */
    public static Result collect(String envId, Policy policy, String policyName, int episodes, long seed,
                                     double noiseStd, boolean successOnly, IntConsumer progress) {
        return collect(envId, policy, policyName, 0, episodes, seed, noiseStd, successOnly, progress);
    }

    /**
     * Collects episodes {@code firstEpisode} .. {@code firstEpisode + episodes - 1} of a collection with root seed
     * {@code seed} (episode {@code i} starts with {@code env.reset(seed + i)}): one shard of a larger collection. The
     * shards of a collection, concatenated in order, hold the episodes one {@code collect} of all of them holds.
     */
    public static Result collect(String envId, Policy policy, String policyName, int firstEpisode, int episodes,
                                 long seed, double noiseStd, boolean successOnly, IntConsumer progress) {
        if (firstEpisode < 0) {
            throw new IllegalArgumentException("the first episode must be >= 0, got " + firstEpisode);
        }
        if (episodes < 1) {
            throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
        }
        if (!(noiseStd >= 0) || Double.isInfinite(noiseStd)) {
            throw new IllegalArgumentException("--noise must be a finite number >= 0, got " + noiseStd);
        }
        try (Env env = Envs.make(envId)) {
            EnvSpec spec = env.spec();
            if (policy.observationDim() != spec.observationDim() || policy.actionDim() != spec.actionDim()) {
                throw new IllegalArgumentException("policy " + policyName + " maps " + policy.observationDim()
                        + " observations to " + policy.actionDim() + " actions, but " + envId + " has "
                        + spec.observationDim() + " and " + spec.actionDim());
            }
            boolean definesSuccess = env.definesSuccess();
            if (successOnly && !definesSuccess) {
                throw new IllegalArgumentException("--success-only: " + envId + " does not define success");
            }
            BoxSpace as = spec.actionSpace();
            int ad = spec.actionDim();
            float[] halfRange = new float[ad];
            for (int j = 0; j < ad; j++) {
                halfRange[j] = as.isBounded() ? (as.high(j) - as.low(j)) / 2f : 1f;
            }
            DatasetBuilder b = new DatasetBuilder(spec.observationDim(), ad, true);
            int kept = 0;
            int successful = 0;
            for (int e = 0; e < episodes; e++) {
                long episodeSeed = seed + firstEpisode + e;
                SplittableRandom noise = new SplittableRandom(Seeds.of(episodeSeed, NOISE_STREAM));
                policy.reset(episodeSeed);
                Reset r = env.reset(episodeSeed);
                List<float[]> obs = new ArrayList<>();
                List<float[]> acts = new ArrayList<>();
                List<Double> rews = new ArrayList<>();
                List<Map<String, Object>> infos = new ArrayList<>();
                obs.add(r.observation().clone());
                float[] o = r.observation();
                boolean terminated = false;
                boolean truncated = false;
                boolean success = false;
                int steps = 0;
                int limit = spec.maxEpisodeSteps() > 0 ? spec.maxEpisodeSteps() : 1000;
                while (!terminated && !truncated) {
                    float[] a = policy.act(o).clone();
                    if (noiseStd > 0) {
                        for (int j = 0; j < ad; j++) {
                            a[j] += (float) (noiseStd * halfRange[j] * noise.nextGaussian());
                        }
                    }
                    as.clip(a, a);
                    Step s = env.step(a);
                    acts.add(a);
                    rews.add(s.reward());
                    success |= s.success();
                    infos.add(s.info());
                    obs.add(s.observation().clone());
                    o = s.observation();
                    terminated = s.terminated();
                    truncated = s.truncated();
                    if (++steps >= limit && !terminated) {
                        truncated = true; // envs without a time limit: cut at 1000 steps as a timeout
                    }
                }
                double[] rw = new double[rews.size()];
                for (int i = 0; i < rw.length; i++) {
                    rw[i] = rews.get(i);
                }
                successful += success ? 1 : 0;
                if (success || !successOnly) {
                    b.add(new Episode(envId, episodeSeed, obs.toArray(new float[0][]), acts.toArray(new float[0][]),
                            rw, infos, terminated, truncated));
                    kept++;
                }
                if (progress != null) {
                    progress.accept(e + 1);
                }
            }
            if (kept == 0) {
                return new Result(null, episodes, 0, successful, definesSuccess);
            }
            DatasetMetadata m = metadata(envId, policyName, seed, noiseStd, episodes, kept, successful, definesSuccess,
                    successOnly);
            return new Result(b.build(m), episodes, kept, successful, definesSuccess);
        }
    }

    /**
     * One collection from its shards (results of {@link #collect(String, Policy, String, int, int, long, double,
     * boolean, IntConsumer)} over consecutive episode ranges, in order): the episodes concatenated, the attributes
     * those of one collection of all the shards' episodes.
     */
    public static Result merge(List<Result> shards, String envId, String policyName, long seed, double noiseStd,
                               boolean successOnly) {
        int tried = 0;
        int kept = 0;
        int successful = 0;
        boolean definesSuccess = false;
        List<OfflineDataset> parts = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        for (Result r : shards) {
            tried += r.tried();
            kept += r.kept();
            successful += r.successful();
            definesSuccess |= r.definesSuccess();
            if (r.dataset() != null) {
                parts.add(r.dataset());
                for (long s : r.dataset().metadata().episodeResetSeeds()) {
                    seeds.add(s);
                }
            }
        }
        if (parts.isEmpty()) {
            return new Result(null, tried, 0, successful, definesSuccess);
        }
        DatasetMetadata m = metadata(envId, policyName, seed, noiseStd, tried, kept, successful, definesSuccess,
                successOnly).withEpisodeResetSeeds(seeds.stream().mapToLong(Long::longValue).toArray());
        return new Result(OfflineDataset.concat(parts, m), tried, kept, successful, definesSuccess);
    }

    /**
     * The attributes of a collection of {@code tried} episodes (all shards together) with root seed {@code seed}: what
     * one {@code collect} writes and what the merge of its shards writes.
     */
    public static DatasetMetadata metadata(String envId, String policyName, long seed, double noiseStd, int tried,
                                           int kept, int successful, boolean definesSuccess, boolean successOnly) {
        DatasetMetadata m = DatasetMetadata.of(envId, policyName, seed, null);
        if (noiseStd > 0) {
            m = m.withExtra("collection_noise_std", Double.toString(noiseStd));
        }
        m = m.withExtra(EPISODES_TRIED, Integer.toString(tried)).withExtra(EPISODES_KEPT, Integer.toString(kept));
        if (definesSuccess) {
            m = m.withExtra(EPISODES_SUCCEEDED, Integer.toString(successful))
                    .withExtra(SUCCESS_RATE_TRIED, Double.toString((double) successful / tried));
        }
        if (successOnly) {
            m = m.withExtra(SUCCESS_ONLY, "true");
        }
        return m;
    }
}
