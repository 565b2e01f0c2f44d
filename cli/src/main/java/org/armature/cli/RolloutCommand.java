package org.armature.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;

import org.armature.agents.Policy;
import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.envs.Step;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature rollout}: runs a policy for N episodes and prints return, length and success statistics. */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Run a policy (random, the scripted expert, or a policy bundle) and print episode statistics.")
public final class RolloutCommand implements Callable<Integer> {

    @Option(names = "--env", required = true, description = "environment id")
    String envId;

    @Option(names = "--policy", defaultValue = "random", description = "random | expert | BUNDLE_DIR (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--episodes", defaultValue = "10", description = "number of episodes (default: ${DEFAULT-VALUE})")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "episode i is reset with seed + i (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--stochastic", description = "sample actions from the policy's distribution instead of its mode")
    boolean stochastic;

    @Option(names = "--expert-noise", paramLabel = "SIGMA|default", defaultValue = "0",
            description = "with --policy expert: the expert's demonstration noise (units per task, see envs/README.md);"
                    + " 'default' = the documented demonstration level (default: ${DEFAULT-VALUE}, noise-free)")
    String expertNoise;

    /** Episode statistics. */
    record Stats(int episodes, double meanReturn, double stdReturn, double minReturn, double maxReturn,
                 double meanLength, double successRate, boolean definesSuccess, long steps, double seconds) {
        String format() {
            return String.format("episodes %d  return %.2f ± %.2f  [min %.2f, max %.2f]  length %.1f  success %s"
                            + "  (%d steps, %.0f steps/s)", episodes, meanReturn, stdReturn, minReturn, maxReturn,
                    meanLength, successPercent(), steps, steps / Math.max(seconds, 1e-9));
        }

        /** "40.0%", or "-" for a task without a notion of success (Pendulum, locomotion). */
        String successPercent() {
            return definesSuccess ? String.format("%.1f%%", 100 * successRate) : "-";
        }
    }

    @Override
    public Integer call() {
        if (episodes < 1) {
            throw new Errors.UserException("--episodes must be positive, got " + episodes);
        }
        Errors.requireEnv(envId);
        double noise = expertNoise(expertNoise, envId, policy);
        Stats s = run(envId, policy, episodes, seed, stochastic, true, noise);
        System.out.println(envId + " / " + policy + (noise > 0 ? " (expert noise " + noise + ")" : "") + ": "
                + s.format());
        return 0;
    }

    /**
     * The value of an {@code --expert-noise} option (rollout's and collect's): 'default' is the env's documented
     * demonstration noise ({@code Experts.defaultNoiseStd}), otherwise a number >= 0 in the expert's action units.
     * Given ('default' or a number other than 0) with a policy other than {@code expert}: a user error.
     */
    static double expertNoise(String value, String envId, String policy) {
        double noise;
        if (value.equals("default")) {
            if (!org.armature.envs.experts.Experts.has(envId)) {
                throw new Errors.UserException("--expert-noise default: no scripted expert for " + envId);
            }
            noise = org.armature.envs.experts.Experts.defaultNoiseStd(envId);
        } else {
            try {
                noise = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                noise = Double.NaN;
            }
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new Errors.UserException("--expert-noise must be a number >= 0 or 'default', got '" + value
                        + "'");
            }
        }
        if ((noise != 0 || value.equals("default")) && !"expert".equals(policy)) {
            throw new Errors.UserException("--expert-noise applies to --policy expert only (got --policy " + policy
                    + ")");
        }
        return noise;
    }

    static Stats run(String envId, String policySpec, int episodes, long seed, boolean stochastic, boolean progress,
                     double expertNoise) {
        try (Env env = Envs.make(envId)) {
            Policy policy = PolicyResolver.resolve(policySpec, env.spec(), seed, expertNoise).policy();
            double[] returns = new double[episodes];
            long steps = 0;
            int successes = 0;
            long t0 = System.nanoTime();
            try (OfflineProgress bar = progress && episodes >= 20 ? new OfflineProgress("rollout", episodes, "ep") : null) {
                for (int e = 0; e < episodes; e++) {
                    float[] obs = env.reset(seed + e).observation();
                    policy.reset(seed + e);
                    double ret = 0;
                    boolean success = false;
                    while (true) {
                        float[] action = stochastic ? policy.sample(obs) : policy.act(obs);
                        Step st = env.step(action);
                        ret += st.reward();
                        steps++;
                        success |= st.success();
                        obs = st.observation();
                        if (st.done()) {
                            break;
                        }
                    }
                    returns[e] = ret;
                    if (success) {
                        successes++;
                    }
                    if (bar != null) {
                        bar.stepTo(e + 1);
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Stats(episodes, mean(returns), std(returns),
                    Arrays.stream(returns).min().orElse(Double.POSITIVE_INFINITY),
                    Arrays.stream(returns).max().orElse(Double.NEGATIVE_INFINITY), (double) steps / episodes,
                    (double) successes / episodes, env.definesSuccess(), steps, seconds);
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The population standard deviation (divided by n). */
    static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
