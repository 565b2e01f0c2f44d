package org.armature.train;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.armature.agents.Batch;
import org.armature.agents.Policy;
import org.armature.agents.PolicyBundles;
import org.armature.agents.ResidualPolicy;
import org.armature.agents.residual.ResidualTd3;
import org.armature.nn.ParamIO;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The residual's own cost per control step, as deployed: a composite bundle's residual network loaded as
 * {@link ResidualPolicy} on top of a base that only copies out a precomputed action, so the base's cost is left out.
 * One step = normalise the observation and the base action, the actor MLP at batch 1, {@code scale · tanh}, clip, map
 * to env units. Reports per-step latency and the bytes the calling thread allocates per step.
 */
public final class ResidualStepBenchmark {

    /** Per-step latency in microseconds and heap bytes allocated per step (after warm-up). */
    public record Result(UpdateBenchmark.Timing latencyMicros, double bytesAllocatedPerStep) {
    }

    private static final int OBSERVATION_POOL = 1024;
    private static final double NORMALISATION_CLIP = 5.0;

    private ResidualStepBenchmark() {
    }

    /** A base policy whose every action is the same precomputed one: it costs one array copy. */
    record FixedActionPolicy(float[] action, int observationDim) implements Policy {
        @Override
        public void act(float[] observation, float[] out) {
            System.arraycopy(action, 0, out, 0, action.length);
        }

        @Override
        public int actionDim() {
            return action.length;
        }
    }

    public static Result run(ResidualUpdateBenchmark.Sizes s, int warmup, int steps, long seed) throws IOException {
        Rng rng = new Rng(seed);
        Path bundle = Files.createTempDirectory("armature-bench-residual");
        ResidualPolicy policy;
        try {
            writeResidualBundle(s, bundle, rng, seed);
            float[] baseAction = new float[s.actionDim()];
            for (int j = 0; j < baseAction.length; j++) {
                baseAction[j] = (float) (1.6 * rng.nextDouble() - 0.8);
            }
            policy = ResidualPolicy.onBase(new FixedActionPolicy(baseAction, s.obsDim()), bundle);
        } finally {
            ParamIO.deleteRecursively(bundle);
        }
        float[][] observations = new float[OBSERVATION_POOL][s.obsDim()];
        for (float[] o : observations) {
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) rng.nextGaussian();
            }
        }
        float[] action = new float[s.actionDim()];
        policy.reset(seed);
        for (int i = 0; i < warmup; i++) {
            policy.act(observations[i % OBSERVATION_POOL], action);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        double[] micros = new double[steps];
        long bytes0 = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < steps; i++) {
            float[] o = observations[i % OBSERVATION_POOL];
            long t0 = System.nanoTime();
            policy.act(o, action);
            long t1 = System.nanoTime();
            micros[i] = (t1 - t0) / 1e3;
        }
        long bytes1 = threads.getThreadAllocatedBytes(tid);
        return new Result(UpdateBenchmark.Timing.of(micros), (bytes1 - bytes0) / (double) steps);
    }

    /**
     * A residual bundle as training writes one (the actor after a few updates, so its last layer is no longer zero,
     * and a mean/std observation normaliser); its {@code base} is never loaded here.
     */
    private static void writeResidualBundle(ResidualUpdateBenchmark.Sizes s, Path dir, Rng rng, long seed)
            throws IOException {
        ResidualTd3 agent = ResidualUpdateBenchmark.learner(s, seed);
        Batch batch = new Batch(s.batchSize(), s.obsDim() + s.actionDim(), s.actionDim(), DataType.FLOAT);
        for (int i = 0; i < 2; i++) {
            ResidualUpdateBenchmark.fill(batch, s.obsDim(), s.actionDim(), rng);
            agent.update(batch);
        }
        float[] mean = new float[s.obsDim()];
        float[] std = new float[s.obsDim()];
        float[] obsLow = new float[s.obsDim()];
        float[] obsHigh = new float[s.obsDim()];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (0.1 * rng.nextGaussian());
            std[i] = (float) (0.5 + rng.nextDouble());
            obsLow[i] = Float.NEGATIVE_INFINITY;
            obsHigh[i] = Float.POSITIVE_INFINITY;
        }
        float[] actLow = new float[s.actionDim()];
        float[] actHigh = new float[s.actionDim()];
        Arrays.fill(actLow, -1f);
        Arrays.fill(actHigh, 1f);
        PolicyBundles.Network net = agent.exportPolicy(dir);
        PolicyBundles.writeSpec(dir, new PolicyBundles.Spec(PolicyBundles.FORMAT, PolicyBundles.FORMAT_VERSION, net,
                new PolicyBundles.Space(obsLow, obsHigh), new PolicyBundles.Space(actLow, actHigh),
                new PolicyBundles.Normalization(mean, std, NORMALISATION_CLIP), 0.05, 1, null, null, null, null,
                "base", new PolicyBundles.Composition(PolicyBundles.RESIDUAL, agent.config().residualScale())));
    }
}
