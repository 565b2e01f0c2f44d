package org.armature.offline.data;

import org.armature.agents.ReplayBuffer;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;

/**
 * A training run's replay buffer as a D4RL-layout dataset: D4RL's "medium-replay" is every transition a SAC agent
 * stored while training up to the medium level.
 *
 * <p>Transitions are written episode by episode: a buffer filled by {@code n} parallel environments holds them
 * interleaved (stream {@code i} at global indices {@code t n + i}), so each stream's transitions are taken in order
 * and its episodes kept contiguous. {@code terminals} and {@code timeouts} come from the stored flags; the last,
 * unfinished episode of each stream is closed with {@code timeouts = 1}. {@code next_observations} are always
 * written (at a time-out the buffer holds the true final observation, not the next episode's first). When the ring
 * buffer has wrapped, the oldest stored episode may start mid-way.
 */
public final class ReplayExport {

    private ReplayExport() {
    }

    /**
     * @param maxTransitions export only the first {@code maxTransitions} transitions ever added (e.g. the
     *                       medium step of a behaviour run); {@code <= 0} or beyond the buffer = everything stored
     */
    public static OfflineDataset toDataset(ReplayBuffer rb, long maxTransitions, DatasetMetadata metadata) {
        long first = rb.oldestIndex();
        long end = rb.totalAdded();
        if (maxTransitions > 0 && maxTransitions < end) {
            if (maxTransitions <= first) {
                throw new IllegalArgumentException("the first " + maxTransitions + " transitions were overwritten ("
                        + "the buffer holds transitions " + first + ".." + (end - 1) + ")");
            }
            end = maxTransitions;
        }
        int n = (int) (end - first);
        if (n <= 0) {
            throw new IllegalArgumentException("the replay buffer is empty");
        }
        int od = rb.observationDim();
        int ad = rb.actionDim();
        int k = rb.streams();
        float[] obs = new float[Math.multiplyExact(n, od)];
        float[] next = new float[Math.multiplyExact(n, od)];
        float[] act = new float[Math.multiplyExact(n, ad)];
        float[] rew = new float[n];
        boolean[] term = new boolean[n];
        boolean[] timeout = new boolean[n];
        float[] o = new float[od];
        float[] a = new float[ad];
        int row = 0;
        for (int stream = 0; stream < k; stream++) {
            long start = first + Math.floorMod(stream - first, k); // first stored index of this stream
            int streamStart = row;
            for (long i = start; i < end; i += k) {
                rb.observation(i, o);
                System.arraycopy(o, 0, obs, row * od, od);
                rb.nextObservation(i, o);
                System.arraycopy(o, 0, next, row * od, od);
                rb.action(i, a);
                System.arraycopy(a, 0, act, row * ad, ad);
                rew[row] = rb.reward(i);
                term[row] = rb.terminated(i);
                timeout[row] = rb.episodeEnd(i) && !term[row];
                row++;
            }
            if (row > streamStart && !term[row - 1]) {
                timeout[row - 1] = true; // close the unfinished episode
            }
        }
        return new OfflineDataset(od, ad, obs, act, rew, term, timeout, next, null, metadata);
    }
}
