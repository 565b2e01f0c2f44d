package org.armature.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.armature.agents.Agent;
import org.armature.agents.Learner;
import org.armature.agents.Seeds;
import org.armature.envs.BoxSpace;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Step;
import org.armature.nn.Rng;

/**
 * One remote rollout worker: its own env and a copy of the run's agent that only acts (exploration actions, as the
 * training loop takes them), with the policy weights the learner last published. Worker {@code w} of a run with root
 * seed {@code s} draws everything from the root {@code Seeds.of(s, "rollout-worker-" + w)} (a resumed run: {@code
 * "rollout-worker-" + w + "-from-" + step}): its agent's noise,
 * warm-up actions ({@code "loop"}) and the reset seed of its episode {@code i} ({@code Seeds.of(root, "episode") + i}),
 * so workers never share a stream. Its episodes continue across batches.
 */
public final class RolloutWorker implements AutoCloseable {

    private final int index;
    private final Env env;
    private final Agent agent;
    private final BoxSpace actionSpace;
    private final Rng rng;
    private final long episodeSeed;
    private final int obsDim;
    private final int actDim;
    private final float[] action;
    private float[] obs;
    private long episode;
    private double episodeReturn;
    private int episodeLength;
    private long version = -1;

    /**
     * Worker {@code index} of run {@code cfg}; {@code fromStep} is the env step the run resumes from (0: a new run),
     * so that a resumed run's workers play new episodes, not the first ones again.
     */
    public RolloutWorker(TrainConfig cfg, int index, long fromStep) throws IOException {
        cfg.validate();
        this.index = index;
        long root = Seeds.of(cfg.seed(), "rollout-worker-" + index + (fromStep == 0 ? "" : "-from-" + fromStep));
        TrainConfig own = Configs.resolve(cfg, null, List.of("seed=" + root));
        this.env = OnlineAlgorithms.makeEnv(own, null);
        EnvSpec spec = env.spec();
        this.agent = OnlineAlgorithms.create(own, spec, spec, null);
        this.actionSpace = spec.actionSpace();
        this.rng = new Rng(Seeds.of(root, "loop"));
        this.episodeSeed = Seeds.of(root, "episode");
        this.obsDim = spec.observationDim();
        this.actDim = spec.actionDim();
        this.action = new float[actDim];
        this.obs = env.reset(episodeSeed).observation();
    }

    /** The acting weights of {@code learner} (its {@code LearnerState.policy} groups). */
    public static byte[] policyWeights(Learner learner) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            learner.state().writePolicy(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** The acting weights of this worker's own agent (e.g. a freshly initialised policy, for benchmarks). */
    public byte[] policyWeights() {
        return policyWeights(agent);
    }

    /** Acts with {@code weights} (from {@link #policyWeights}) from now on; an older {@code version} is ignored. */
    public void loadPolicy(byte[] weights, long newVersion) throws IOException {
        if (newVersion <= version) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights))) {
            agent.state().readPolicy(in);
        }
        version = newVersion;
    }

    /** Version of the weights this worker acts with ({@code -1}: none yet). */
    public long policyVersion() {
        return version;
    }

    /**
     * Steps the env {@code steps} times, with uniform random actions if {@code warmup} (as the training loop does
     * before {@code learning_starts}), otherwise with the agent's exploration actions; resets at episode ends.
     */
    public RolloutBatch rollout(int steps, boolean warmup) {
        if (!warmup && version < 0) {
            throw new IllegalStateException("rollout worker " + index + " has no policy weights yet");
        }
        long t0 = System.nanoTime();
        float[] observations = new float[steps * obsDim];
        float[] nextObservations = new float[steps * obsDim];
        float[] actions = new float[steps * actDim];
        float[] rewards = new float[steps];
        byte[] ends = new byte[steps];
        double[] returns = new double[8];
        int[] lengths = new int[8];
        int ended = 0;
        for (int i = 0; i < steps; i++) {
            if (warmup) {
                agent.warmupAction(obs, actionSpace, rng, action);
            } else {
                agent.explore(obs, action);
            }
            System.arraycopy(obs, 0, observations, i * obsDim, obsDim);
            System.arraycopy(action, 0, actions, i * actDim, actDim);
            Step s = env.step(action);
            System.arraycopy(s.observation(), 0, nextObservations, i * obsDim, obsDim);
            rewards[i] = (float) s.reward();
            episodeReturn += s.reward();
            episodeLength++;
            if (s.terminated() || s.truncated()) {
                ends[i] = s.terminated() ? RolloutBatch.TERMINATED : RolloutBatch.TRUNCATED;
                if (ended == returns.length) {
                    returns = Arrays.copyOf(returns, 2 * ended);
                    lengths = Arrays.copyOf(lengths, 2 * ended);
                }
                returns[ended] = episodeReturn;
                lengths[ended++] = episodeLength;
                episodeReturn = 0;
                episodeLength = 0;
                obs = env.reset(episodeSeed + ++episode).observation();
            } else {
                obs = s.observation();
            }
        }
        return new RolloutBatch(index, warmup ? -1 : version, steps, obsDim, actDim, observations, actions, rewards,
                ends, nextObservations, Arrays.copyOf(returns, ended), Arrays.copyOf(lengths, ended),
                (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() {
        env.close();
    }
}
