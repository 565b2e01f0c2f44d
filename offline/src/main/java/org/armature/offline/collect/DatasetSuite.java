package org.armature.offline.collect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.armature.agents.ExpertPolicy;
import org.armature.agents.Policy;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.envs.experts.Experts;
import org.armature.offline.data.D4rlHdf5;
import org.armature.offline.data.DatasetInfo;
import org.armature.offline.data.Mixer;

/**
 * The standard dataset suites built by {@code armature datasets build --suite NAME}, in D4RL's spirit:
 * {@code random} (uniform actions), {@code medium} (a policy at about a third of the expert's normalised score),
 * {@code expert}, {@code medium-expert} (medium + expert episodes) and mixed datasets with 1%, 5% and 10% expert
 * trajectories on random data (Hong et al. 2023), {@value #EPISODES} episodes each (mixed: {@value #EPISODES} in total).
 *
 * <ul>
 *   <li>{@code pendulum}: Pendulum-v1 with the scripted {@link PendulumSwingUp} expert; medium = the expert with
 *       Gaussian action noise σ = {@value #PENDULUM_MEDIUM_NOISE} (relative to the half-range), normalised score
 *       ≈ 36.</li>
 *   <li>{@code locomotion}: Hopper-v1, HalfCheetah-v1, Walker2d-v1, {@value #LOCOMOTION_EPISODES} episodes per
 *       dataset, with the SAC behaviour policies of {@link BehaviourPolicies} ({@code suite-policies/<env>} in the
 *       working directory, else the shipped copy); adds {@code medium-replay} (a deterministic re-run of the
 *       behaviour run to its medium step). Medium and expert actions are sampled from the bundles' squashed
 *       Gaussians.</li>
 *   <li>{@code manipulation}: Reach-v1, PushT-v1, PegInsert-v1: {@value #EPISODES} demonstrations of the scripted
 *       expert with its documented noise ({@code Experts.defaultNoiseStd}) and a random dataset; skipped where the
 *       env or its expert is not in this build.</li>
 * </ul>
 * Seeds: dataset k of a suite collects with seeds {@code seed + 100000 k + i}, so no two datasets share an episode.
 */
public final class DatasetSuite {

    public static final int EPISODES = 200;
    public static final double PENDULUM_MEDIUM_NOISE = 2.5;
    static final double[] MIXED_EXPERT_FRACTIONS = {0.01, 0.05, 0.10};
    /** Locomotion tasks with shipped behaviour policies, and their episodes per dataset (HalfCheetah: 100k steps). */
    public static final List<String> LOCOMOTION = List.of("Hopper-v1", "HalfCheetah-v1", "Walker2d-v1");
    public static final int LOCOMOTION_EPISODES = 100;

    /** What was built and what was skipped (with the reason). */
    public record Report(List<Path> written, List<String> skipped) {
    }

    private DatasetSuite() {
    }

    public static List<String> suites() {
        return List.of("pendulum", "locomotion", "manipulation");
    }

    /**
     * Builds {@code suite} into {@code outDir} (only {@code onlyEnv}'s datasets when non-null); {@code bundleLoader}
     * loads a behaviour policy bundle.
     */
    public static Report build(String suite, String onlyEnv, Path outDir, long seed,
                               Function<String, Policy> bundleLoader, Consumer<String> log) {
        List<Path> written = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try {
            Files.createDirectories(outDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + outDir + ": " + e.getMessage(), e);
        }
        switch (suite) {
            case "pendulum" -> buildEnv("Pendulum-v1", outDir, seed, env -> expertPolicy(env, 0.0, seed),
                    env -> expertPolicy(env, 0.0, seed), PENDULUM_MEDIUM_NOISE, EPISODES, written, skipped, log);
            case "locomotion" -> {
                for (String env : LOCOMOTION) {
                    if (onlyEnv != null && !onlyEnv.equals(env)) {
                        continue;
                    }
                    if (!Envs.contains(env)) {
                        skipped.add(env + ": env not registered in this build");
                        continue;
                    }
                    Path dir = BehaviourPolicies.locate(Path.of("suite-policies"), env);
                    if (dir == null) {
                        skipped.add(env + ": no behaviour policies (suite-policies/" + env + " or shipped); train them"
                                + " with `armature datasets behaviour --env " + env + "`");
                        continue;
                    }
                    Function<String, Policy> medium = e -> stochastic(bundleLoader.apply(dir.resolve("medium")
                            .toString()));
                    Function<String, Policy> expert = e -> stochastic(bundleLoader.apply(dir.resolve("expert")
                            .toString()));
                    buildEnv(env, outDir, seed, medium, expert, 0.0, LOCOMOTION_EPISODES, written, skipped, log);
                    try {
                        log.accept(env + ": medium-replay: re-running the behaviour SAC run to its medium step ("
                                + BehaviourPolicies.mediumStep(dir) + " env steps)");
                        OfflineDataset mr = BehaviourPolicies.mediumReplay(dir, org.armature.train.Progress.SILENT);
                        written.add(write(mr, outDir.resolve(env.toLowerCase() + "-medium-replay.h5"), log));
                    } catch (java.io.IOException e) {
                        skipped.add(env + " medium-replay: " + e.getMessage());
                    }
                }
            }
            case "manipulation" -> {
                for (String env : List.of("Reach-v1", "PushT-v1", "PegInsert-v1")) {
                    if (onlyEnv != null && !onlyEnv.equals(env)) {
                        continue;
                    }
                    if (!Envs.contains(env)) {
                        skipped.add(env + ": env not registered in this build");
                        continue;
                    }
                    if (!Experts.has(env)) {
                        skipped.add(env + ": no scripted expert in this build");
                        continue;
                    }
                    buildDemonstrations(env, outDir, seed, written, log);
                }
            }
            default -> throw new IllegalArgumentException("unknown suite '" + suite + "', expected one of "
                    + String.join(", ", suites()));
        }
        if (onlyEnv != null && written.isEmpty() && skipped.isEmpty()) {
            throw new IllegalArgumentException("suite '" + suite + "' has no env '" + onlyEnv + "'");
        }
        return new Report(written, skipped);
    }

    private static void buildEnv(String envId, Path outDir, long seed, Function<String, Policy> medium,
                                 Function<String, Policy> expert, double mediumNoise, int episodes,
                                 List<Path> written, List<String> skipped, Consumer<String> log) {
        EnvSpec spec;
        try (var e = Envs.make(envId)) {
            spec = e.spec();
        }
        String base = envId.toLowerCase();
        OfflineDataset random = Collector.collect(envId, Collector.randomPolicy(spec, seed), "random", episodes, seed,
                0, null);
        written.add(write(random, outDir.resolve(base + "-random.h5"), log));
        OfflineDataset exp = null;
        Policy expertPolicy = tryPolicy(expert, envId, "expert", skipped);
        if (expertPolicy != null) {
            exp = Collector.collect(envId, expertPolicy, "expert", episodes, seed + 100_000, 0, null);
            written.add(write(exp, outDir.resolve(base + "-expert.h5"), log));
        }
        OfflineDataset med = null;
        Policy mediumPolicy = tryPolicy(medium, envId, "medium", skipped);
        if (mediumPolicy != null) {
            med = Collector.collect(envId, mediumPolicy, mediumNoise > 0 ? "expert+noise" : "medium", episodes,
                    seed + 200_000, mediumNoise, null);
            written.add(write(med, outDir.resolve(base + "-medium.h5"), log));
        }
        if (med != null && exp != null) {
            OfflineDataset me = OfflineDataset.concat(List.of(med, exp), DatasetMetadata.of(envId,
                    "medium-expert(medium:" + episodes + ", expert:" + episodes + ")", seed, null));
            written.add(write(me, outDir.resolve(base + "-medium-expert.h5"), log));
        } else {
            skipped.add(envId + " medium-expert: needs both the medium and the expert policy");
        }
        if (exp != null) {
            // mixed datasets draw their random part from a second random collection so that 99% fits
            OfflineDataset moreRandom = Collector.collect(envId, Collector.randomPolicy(spec, seed + 300_000),
                    "random", episodes, seed + 300_000, 0, null);
            for (int k = 0; k < MIXED_EXPERT_FRACTIONS.length; k++) {
                double f = MIXED_EXPERT_FRACTIONS[k];
                OfflineDataset mixed = Mixer.mix(List.of(new Mixer.Part("expert", exp, f),
                        new Mixer.Part("random", moreRandom, 1 - f)), episodes, seed + k);
                written.add(write(mixed, outDir.resolve(base + "-mixed-" + Math.round(f * 100) + "pct.h5"), log));
            }
        } else {
            skipped.add(envId + " mixed-1/5/10pct: need the expert policy");
        }
    }

    /**
     * Manipulation: {@value #EPISODES} demonstrations of the scripted expert with its documented noise
     * ({@code Experts.defaultNoiseStd}, action units), plus a random dataset.
     */
    private static void buildDemonstrations(String envId, Path outDir, long seed, List<Path> written,
                                            Consumer<String> log) {
        EnvSpec spec;
        try (var e = Envs.make(envId)) {
            spec = e.spec();
        }
        double noise = Experts.defaultNoiseStd(envId);
        String base = envId.toLowerCase();
        OfflineDataset random = Collector.collect(envId, Collector.randomPolicy(spec, seed), "random", EPISODES, seed,
                0, null);
        written.add(write(random, outDir.resolve(base + "-random.h5"), log));
        Policy expert = ExpertPolicy.of(spec, noise, seed);
        OfflineDataset demos = Collector.collect(envId, expert, "expert(noise_std=" + noise + ")", EPISODES,
                seed + 100_000, 0, null);
        written.add(write(demos, outDir.resolve(base + "-expert.h5"), log));
    }

    /** The scripted expert of {@code envId} (org.armature.envs.experts) as a {@link Policy}. */
    static Policy expertPolicy(String envId, double noiseStd, long seed) {
        try (var e = Envs.make(envId)) {
            return ExpertPolicy.of(e.spec(), noiseStd, seed);
        }
    }

    /** Samples from a SAC bundle's squashed Gaussian (D4RL collected its datasets with the stochastic policies). */
    static Policy stochastic(Policy p) {
        if (!(p instanceof org.armature.agents.BundlePolicy b)) {
            return p;
        }
        return new Policy() {
            @Override
            public float[] act(float[] observation) {
                return b.sample(observation);
            }

            @Override
            public void reset(long episodeSeed) {
                b.reset(episodeSeed);
            }

            @Override
            public int observationDim() {
                return b.observationDim();
            }

            @Override
            public int actionDim() {
                return b.actionDim();
            }
        };
    }

    private static Policy tryPolicy(Function<String, Policy> f, String envId, String level, List<String> skipped) {
        try {
            return f.apply(envId);
        } catch (IllegalArgumentException e) {
            skipped.add(envId + " " + level + ": " + e.getMessage());
            return null;
        }
    }

    private static Path write(OfflineDataset d, Path file, Consumer<String> log) {
        D4rlHdf5.write(d, file);
        DatasetInfo info = DatasetInfo.of(d);
        log.accept(String.format("%-40s %4d episodes %7d transitions  return mean %9.2f  PSV %.4f", file,
                info.episodes(), info.transitions(), info.returnMean(), info.positiveSidedVariance()));
        return file;
    }
}
