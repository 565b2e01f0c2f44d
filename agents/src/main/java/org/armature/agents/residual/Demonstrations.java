package org.armature.agents.residual;

import java.lang.reflect.Array;

import org.armature.agents.Policy;
import org.armature.agents.ReplayBuffer;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.data.Trajectories;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;

/**
 * Demonstrations as a residual agent learns from them (ResFiT's offline buffer, sampled beside the online one,
 * RLPD-style): every episode is replayed through the frozen base policy to label each observation with the base's
 * action (the base reset at the episode's start, its chunk queue included), observations become {@code [obs, a_base]}
 * like {@link BaseActionObservation}'s, and the result fills a {@link ReplayBuffer} exactly as large as the
 * demonstrations, so they are never evicted.
 *
 * <p>Rewards: a sparse task's demonstrations recorded on its dense variant are relabelled to the sparse reward: 1 at
 * the first step whose {@code infos/success} is set, where the episode then terminates (as the sparse env does), 0
 * before; an episode that never succeeds keeps reward 0 and ends as a time-out.
 */
public final class Demonstrations {

    private Demonstrations() {
    }

    /** The buffer of relabelled demonstrations; {@code baseSeed + e} seeds the base for episode {@code e}. */
    public static ReplayBuffer relabel(OfflineDataset data, EnvSpec env, Policy base, long baseSeed) {
        String envId = env.id();
        String dataEnv = data.metadata() == null ? null : data.metadata().envId();
        if (dataEnv != null && !dataEnv.isBlank() && !Envs.sameFamily(dataEnv, envId)) {
            throw new IllegalArgumentException("the demonstrations were recorded on " + dataEnv + ", not on the task of "
                    + envId + " (" + Envs.family(envId) + ")");
        }
        if (data.observationDim() != env.observationDim() || data.actionDim() != env.actionDim()) {
            throw new IllegalArgumentException("the demonstrations have observations of " + data.observationDim()
                    + " and actions of " + data.actionDim() + " values, " + envId + " " + env.observationDim() + " and "
                    + env.actionDim());
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("the demonstration dataset is empty");
        }
        boolean relabelSparse = Envs.isSparse(envId) && (dataEnv == null || !Envs.isSparse(dataEnv));
        boolean[] success = relabelSparse ? successColumn(data, envId) : null;
        OfflineDataset d = data.withNextObservations();
        Trajectories eps = d.trajectories();
        int obsDim = env.observationDim();
        int actDim = env.actionDim();
        ReplayBuffer buf = new ReplayBuffer(d.size(), obsDim + actDim, actDim, 1, java.util.Map.of());
        float[] obs = new float[obsDim];
        float[] next = new float[obsDim];
        float[] action = new float[actDim];
        float[] x = new float[obsDim + actDim];
        float[] xNext = new float[obsDim + actDim];
        float[] b = new float[actDim];
        float[] nextObsAll = d.nextObservations();
        boolean[] term = d.terminals();
        for (int e = 0; e < eps.count(); e++) {
            base.reset(baseSeed + e);
            int start = eps.start(e);
            int end = eps.end(e);
            d.observation(start, obs);
            base.act(obs, b);
            for (int t = start; t < end; t++) {
                d.observation(t, obs);
                d.action(t, action);
                System.arraycopy(nextObsAll, t * obsDim, next, 0, obsDim);
                System.arraycopy(obs, 0, x, 0, obsDim);
                System.arraycopy(b, 0, x, obsDim, actDim);
                base.act(next, b); // the base's action at the next state (this episode's next observation)
                System.arraycopy(next, 0, xNext, 0, obsDim);
                System.arraycopy(b, 0, xNext, obsDim, actDim);
                double reward;
                boolean terminated;
                if (relabelSparse) {
                    terminated = success[t];
                    reward = terminated ? 1.0 : 0.0;
                } else {
                    terminated = term[t];
                    reward = d.rewards()[t];
                }
                boolean last = t == end - 1 || terminated;
                buf.add(x, action, reward, xNext, terminated, last && !terminated);
                if (terminated) {
                    break;
                }
            }
        }
        return buf;
    }

    private static boolean[] successColumn(OfflineDataset d, String envId) {
        Object col = d.infos().get("success");
        if (col == null) {
            throw new IllegalArgumentException("relabelling the demonstrations to " + envId + "'s sparse reward needs "
                    + "their infos/success column, which the dataset lacks (record it with `armature collect`)");
        }
        int n = Array.getLength(col);
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            Object v = Array.get(col, i);
            out[i] = v instanceof Boolean bv ? bv : ((Number) v).doubleValue() != 0;
        }
        return out;
    }
}
