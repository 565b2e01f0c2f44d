package org.armature.train;

import org.armature.agents.Policy;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.envs.Reset;
import org.armature.envs.Step;

/** Deterministic evaluation of a {@link Policy} on an env: episode i is reset with seed {@code seed + i}. */
public final class Evaluation {

    private Evaluation() {
    }

    /**
     * Returns over the episodes; {@code meanMaxCoverage}: for tasks that report a {@code coverage} in their step info
     * (PushT), the mean over episodes of each episode's best coverage (Diffusion Policy's Push-T score), else NaN.
     */
    public record Result(double mean, double std, double min, double max, double successRate, double meanLength,
                         double[] returns, double meanMaxCoverage) {
    }

    public static Result run(Policy policy, String envId, int episodes, long seed) {
        try (Env env = Envs.make(envId)) {
            return run(policy, env, episodes, seed);
        }
    }

    /**
     * The one evaluation routine (training loops, {@code armature eval}): {@code episodes} episodes of the
     * deterministic policy on {@code env}, episode k reset with seed {@code seed + k} (the policy too).
     */
    public static Result run(Policy policy, Env env, int episodes, long seed) {
        EnvSpec spec = env.spec();
        String envId = spec.id();
        if (policy.observationDim() != spec.observationDim()) {
            throw new IllegalArgumentException("policy takes observations of " + policy.observationDim()
                    + " values but " + envId + " gives " + spec.observationDim());
        }
        if (policy.actionDim() != spec.actionDim()) {
            throw new IllegalArgumentException("policy gives actions of " + policy.actionDim() + " values but "
                    + envId + " expects " + spec.actionDim());
        }
        double[] returns = new double[episodes];
        double coverageSum = 0;
        boolean coverage = false;
        long steps = 0;
        int successes = 0;
        float[] a = new float[spec.actionDim()];
        for (int k = 0; k < episodes; k++) {
            policy.reset(seed + k);
            Reset r = env.reset(seed + k);
            float[] o = r.observation();
            boolean success = false;
            double bestCoverage = Double.NEGATIVE_INFINITY;
            while (true) {
                policy.act(o, a);
                Step s = env.step(a);
                returns[k] += s.reward();
                success |= s.success();
                if (s.info().get("coverage") instanceof Number c) {
                    bestCoverage = Math.max(bestCoverage, c.doubleValue());
                    coverage = true;
                }
                steps++;
                o = s.observation();
                if (s.done()) {
                    break;
                }
            }
            successes += success ? 1 : 0;
            coverageSum += coverage ? bestCoverage : 0;
        }
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : returns) {
            mean += x / episodes;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double var = 0;
        for (double x : returns) {
            var += (x - mean) * (x - mean) / episodes;
        }
        return new Result(mean, Math.sqrt(var), min, max, successes / (double) episodes, steps / (double) episodes,
                returns, coverage ? coverageSum / episodes : Double.NaN);
    }
}
