package org.armature.offline.algo;

import java.io.IOException;
import java.nio.file.Path;

import org.armature.agents.PolicyBundles;
import org.armature.nn.FastMlp;
import org.armature.nn.Kernels;
import org.armature.nn.Mlp;
import org.armature.nn.ParamIO;
import org.armature.nn.SquashedGaussianHead;

/**
 * The deterministic policy of an offline actor network: its first {@code actionDim} outputs squashed by tanh, the
 * action in [−1, 1] (BC, TD3+BC: the action; IQL: the Gaussian mean; CQL: the pre-tanh mean of a squashed Gaussian).
 * Inference runs on a plain-Java copy of the weights, refreshed when the learner has updated since the last call.
 */
final class TanhActor {

    private final Mlp actor;
    private final int actionDim;
    private final boolean squashedGaussian;
    private final FastMlp fast;
    private final float[] out;
    private long refreshedAt = -1;

    TanhActor(Mlp actor, int actionDim, boolean squashedGaussian) {
        this.actor = actor;
        this.actionDim = actionDim;
        this.squashedGaussian = squashedGaussian;
        this.fast = actor.toFast();
        this.out = new float[fast.outputSize()];
    }

    /** {@code tanh} of the first {@code actionDim} outputs for a normalised observation. */
    void act(float[] observation, float[] action, long updates) {
        if (refreshedAt != updates) {
            fast.refreshFrom(actor);
            refreshedAt = updates;
        }
        fast.forward(observation, out);
        for (int j = 0; j < actionDim; j++) {
            action[j] = (float) Kernels.tanh(out[j]);
        }
    }

    /** The weights changed outside an update (a restored checkpoint). */
    void invalidate() {
        refreshedAt = -1;
    }

    /**
     * Writes {@code actor.params} and returns the bundle's network: {@code deterministic_tanh_mlp}, or
     * {@code squashed_gaussian_mlp} with CORL's learnt log-std map when {@code logStdAffine} is given.
     */
    PolicyBundles.Network export(Path dir, double[] logStdAffine) throws IOException {
        ParamIO.write(dir.resolve("actor.params"), actor.params());
        String type = squashedGaussian ? PolicyBundles.SQUASHED_GAUSSIAN : PolicyBundles.DETERMINISTIC_TANH;
        PolicyBundles.AffineLogStd logStd = logStdAffine == null ? null
                : new PolicyBundles.AffineLogStd(logStdAffine[0], logStdAffine[1],
                SquashedGaussianHead.CORL_LOG_STD_MIN, SquashedGaussianHead.CORL_LOG_STD_MAX);
        return new PolicyBundles.Network(type, actor.layerSpecs(), "actor.params", logStd);
    }
}
