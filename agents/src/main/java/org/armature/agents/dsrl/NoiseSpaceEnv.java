package org.armature.agents.dsrl;

import java.util.HashMap;
import java.util.Map;

import org.armature.agents.Policy;
import org.armature.envs.BoxSpace;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.envs.Wrapper;
import org.armature.envs.wrappers.DecisionInterval;

/**
 * DSRL's latent-action MDP (Wagenmaker et al. 2025): the agent's action is the initial noise {@code w} of a frozen
 * diffusion policy's deterministic (DDIM) sampler, bounded to {@code [−m, m]} per value (their
 * {@code action_magnitude}, 1.5); one step of this env samples the base's chunk from {@code w} and plays its
 * {@code executedChunk} actions (from the base's {@code chunkStart}), feeding every intermediate observation into the
 * base's history. Execution stops early when the episode ends.
 *
 * <p>The reward is the chunk's undiscounted sum (so returns are the task's); {@code info} carries
 * {@value #DECISION_STEPS} (primitive steps played: training counts env steps in primitive actions, not chunks),
 * {@value #DISCOUNTED_REWARD} ({@code Σ_k γ^k r_k}, what the learner stores), {@code step_rewards} and
 * {@code success} (any step of the chunk succeeded).
 */
public final class NoiseSpaceEnv extends Wrapper {

    public static final String DECISION_STEPS = DecisionInterval.DECISION_STEPS;
    public static final String DISCOUNTED_REWARD = "discounted_reward";

    private final Policy base;
    private final double gamma;
    private final EnvSpec spec;
    private final float[] noise;
    private float[] obs;

    /**
     * @param magnitude bound m of every noise value
     * @param gamma     per-primitive-step discount used inside a chunk
     */
    public NoiseSpaceEnv(Env env, Policy base, double magnitude, double gamma) {
        super(env);
        EnvSpec s = env.spec();
        if (base.noiseDim() <= 0) {
            throw new IllegalArgumentException("DSRL needs a base that samples its chunks from noise (a diffusion "
                    + "policy); this base is not one");
        }
        if (base.observationDim() != s.observationDim() || base.actionDim() != s.actionDim()) {
            throw new IllegalArgumentException("the base policy maps " + base.observationDim() + " -> "
                    + base.actionDim() + " values but " + s.id() + " has observations of " + s.observationDim()
                    + " and actions of " + s.actionDim());
        }
        if (!(magnitude > 0) || Double.isInfinite(magnitude)) {
            throw new IllegalArgumentException("noise magnitude must be a finite number > 0, got " + magnitude);
        }
        this.base = base;
        this.gamma = gamma;
        this.noise = new float[base.noiseDim()];
        int k = base.executedChunk();
        int limit = s.maxEpisodeSteps() == 0 ? 0 : (s.maxEpisodeSteps() + k - 1) / k;
        this.spec = s.withActionSpace(BoxSpace.uniform(base.noiseDim(), (float) -magnitude, (float) magnitude))
                .withControlDt(s.controlDtSeconds() * k).withMaxEpisodeSteps(limit);
    }

    /** Primitive steps per decision (the base's executed chunk). */
    public int decisionInterval() {
        return base.executedChunk();
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    @Override
    public Reset reset(long seed) {
        base.reset(seed);
        Reset r = env.reset(seed);
        obs = r.observation();
        return r;
    }

    @Override
    public Reset reset() {
        throw new UnsupportedOperationException("a base policy runs on seeded episodes: call reset(seed)");
    }

    @Override
    public Step step(float[] w) {
        if (w == null || w.length != noise.length) {
            throw new IllegalArgumentException(spec.id() + ": DSRL expects noise of " + noise.length + " values, got "
                    + (w == null ? "null" : w.length));
        }
        if (obs == null) {
            throw new IllegalStateException("call reset(seed) before step");
        }
        float lim = spec.actionSpace().high(0);
        for (int i = 0; i < w.length; i++) {
            if (Float.isNaN(w[i])) {
                throw new IllegalArgumentException(spec.id() + ": noise value " + i + " is NaN");
            }
            noise[i] = Math.max(-lim, Math.min(lim, w[i]));
        }
        float[][] chunk = base.actChunk(obs, noise);
        int start = base.chunkStart();
        int k = base.executedChunk();
        double[] rewards = new double[k];
        double sum = 0;
        double discounted = 0;
        double disc = 1;
        boolean success = false;
        Step s = null;
        int played = 0;
        for (int i = 0; i < k; i++) {
            if (i > 0) {
                base.observe(obs);
            }
            s = env.step(chunk[start + i]);
            played++;
            rewards[i] = s.reward();
            sum += s.reward();
            discounted += disc * s.reward();
            disc *= gamma;
            success |= s.success();
            obs = s.observation();
            if (s.done()) {
                break;
            }
        }
        Map<String, Object> info = new HashMap<>(s.info());
        info.put(DECISION_STEPS, played);
        info.put(DISCOUNTED_REWARD, discounted);
        info.put(DecisionInterval.STEP_REWARDS, java.util.Arrays.copyOf(rewards, played));
        info.put("success", success);
        return new Step(s.observation(), sum, s.terminated(), s.truncated(), info);
    }
}
