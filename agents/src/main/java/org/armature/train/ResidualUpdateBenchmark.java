package org.armature.train;

import org.armature.agents.Batch;
import org.armature.agents.residual.ResidualTd3;
import org.armature.envs.BoxSpace;
import org.armature.nn.Mat;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Update throughput of residual RL (BENCHMARKS.md, residual speed): one {@link ResidualTd3#update} per iteration
 * (critic ensemble step, actor step, both Polyak updates) on a random batch, past the critic warm-up (every update
 * includes the actor step, policy frequency 1). The PyTorch peer {@code scripts/peers/torch_residual_update.py} times
 * the same update at the same sizes. The batch is refilled outside the timed call; the timed call includes
 * ResidualTd3's own normalisation of the batch (identity here, no observation normaliser), which the peer, fed
 * normalised tensors, does not do.
 */
public final class ResidualUpdateBenchmark {

    /**
     * Sizes: {@code obsDim} env observation, {@code actionDim} action (the agent sees {@code [obs, a_base]}), the same
     * hidden widths for the actor and each LayerNorm critic head.
     */
    public record Sizes(int obsDim, int actionDim, int[] hidden, int criticHeads, int batchSize) {
    }

    /** Wall-clock and thread-CPU milliseconds per update. */
    public record Result(UpdateBenchmark.Timing wallMs, UpdateBenchmark.Timing cpuMs) {
    }

    private static final double REWARD_PROBABILITY = 0.1; // sparse {0, 1} rewards, as PegInsertSparse
    private static final double GAMMA = 0.99;

    private ResidualUpdateBenchmark() {
    }

    /** The learner being timed: ResidualTd3's defaults at these sizes, no critic warm-up. */
    static ResidualTd3 learner(Sizes s, long seed) {
        ResidualTd3.Config cfg = ResidualTd3.Config.defaults().withHidden(s.hidden(), s.hidden(), s.criticHeads())
                .withCriticWarmupUpdates(0);
        return new ResidualTd3(s.obsDim(), BoxSpace.uniform(s.actionDim(), -1f, 1f), null, cfg, seed);
    }

    public static Result run(Sizes s, int warmup, int iters, long seed) {
        ResidualTd3 agent = learner(s, seed);
        int agentObsDim = s.obsDim() + s.actionDim();
        Batch batch = new Batch(s.batchSize(), agentObsDim, s.actionDim(), DataType.FLOAT);
        Rng rng = new Rng(seed + 1);
        UpdateBenchmark.Timing[] t = UpdateBenchmark.time(warmup, iters,
                () -> fill(batch, s.obsDim(), s.actionDim(), rng), () -> agent.update(batch));
        return new Result(t[0], t[1]);
    }

    /**
     * Random transitions: observations N(0, 1), base actions and executed actions U(−1, 1), rewards in {0, 1},
     * discount γ.
     */
    static void fill(Batch b, int obsDim, int actionDim, Rng rng) {
        agentObservations(b.observations, obsDim, actionDim, rng);
        agentObservations(b.nextObservations, obsDim, actionDim, rng);
        Mat a = b.actions.toHost();
        for (int i = 0; i < a.length(); i++) {
            a.set(i, 2 * rng.nextDouble() - 1);
        }
        a.hostWritten();
        Mat r = b.rewards.toHost();
        Mat d = b.discounts.toHost();
        for (int i = 0; i < b.size; i++) {
            r.set(i, rng.nextDouble() < REWARD_PROBABILITY ? 1.0 : 0.0);
            d.set(i, GAMMA);
        }
        r.hostWritten();
        d.hostWritten();
    }

    private static void agentObservations(Mat m, int obsDim, int actionDim, Rng rng) {
        m.toHost();
        int width = obsDim + actionDim;
        for (int row = 0; row < m.rows; row++) {
            for (int j = 0; j < width; j++) {
                m.set(row * width + j, j < obsDim ? rng.nextGaussian() : 2 * rng.nextDouble() - 1);
            }
        }
        m.hostWritten();
    }
}
