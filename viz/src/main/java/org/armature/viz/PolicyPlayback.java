package org.armature.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.armature.agents.Policy;
import org.armature.envs.Env;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.sim.Scene;

/**
 * A policy acting in an env. Episode k (counting from 0) is reset with seed {@code seed + k}, and the policy is
 * reset with the same seed, so a playback is reproducible. The policy's deterministic action ({@link Policy#act})
 * is used.
 */
public final class PolicyPlayback implements Playback {

    private final Env env;
    private final Policy policy;
    private final String policyName;
    private final long seed;
    private int episode = -1;
    private float[] observation;
    private float[] lastAction;
    private double lastReward;
    private double episodeReturn;
    private int stepIndex;
    private boolean over;
    private boolean success;
    private boolean terminated;
    private boolean truncated;

    /** Takes ownership of {@code env} (closed with the playback). Build the env on the calling thread. */
    public PolicyPlayback(Env env, Policy policy, String policyName, long seed) {
        if (policy.observationDim() != env.spec().observationDim() || policy.actionDim() != env.spec().actionDim()) {
            throw new IllegalArgumentException(String.format(
                    "policy '%s' maps %d observations to %d actions but %s has %d observations and %d actions",
                    policyName, policy.observationDim(), policy.actionDim(), env.spec().id(),
                    env.spec().observationDim(), env.spec().actionDim()));
        }
        this.env = env;
        this.policy = policy;
        this.policyName = policyName;
        this.seed = seed;
        reset();
    }

    @Override
    public String title() {
        return "armature view: " + env.spec().id() + " / " + policyName;
    }

    @Override
    public double controlDtSeconds() {
        return env.spec().controlDtSeconds();
    }

    @Override
    public void reset() {
        episode++;
        long s = seed + episode;
        Reset r = env.reset(s);
        policy.reset(s);
        observation = r.observation();
        lastAction = null;
        lastReward = 0;
        episodeReturn = 0;
        stepIndex = 0;
        over = false;
        success = false;
        terminated = false;
        truncated = false;
    }

    @Override
    public boolean step() {
        if (over) {
            return false;
        }
        float[] action = policy.act(observation);
        Step s = env.step(action);
        lastAction = action;
        observation = s.observation();
        lastReward = s.reward();
        episodeReturn += s.reward();
        stepIndex++;
        success |= s.success();
        terminated = s.terminated();
        truncated = s.truncated();
        over = s.done();
        return true;
    }

    @Override
    public boolean episodeOver() {
        return over;
    }

    @Override
    public Scene scene() {
        return env.scene();
    }

    public int episode() {
        return episode;
    }

    public int stepIndex() {
        return stepIndex;
    }

    public double episodeReturn() {
        return episodeReturn;
    }

    public boolean success() {
        return success;
    }

    @Override
    public List<String> hudLines() {
        List<String> lines = new ArrayList<>(4);
        lines.add(String.format(Locale.ROOT, "%s  episode %d (seed %d)  policy %s", env.spec().id(), episode,
                seed + episode, policyName));
        lines.add(String.format(Locale.ROOT, "step %d  reward %.3f  return %.2f  success %s%s", stepIndex, lastReward,
                episodeReturn, !env.definesSuccess() ? "-" : success ? "yes" : "no",
                terminated ? "  [terminated]" : truncated ? "  [truncated]" : ""));
        lines.add("action " + formatVector(lastAction));
        return lines;
    }

    static String formatVector(float[] v) {
        if (v == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder("[");
        int shown = Math.min(v.length, 6);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(String.format(Locale.ROOT, "%+.2f", v[i]));
        }
        if (v.length > shown) {
            b.append(", ... (").append(v.length).append(')');
        }
        return b.append(']').toString();
    }

    @Override
    public void close() {
        env.close();
    }
}
