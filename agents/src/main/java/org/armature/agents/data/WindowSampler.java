package org.armature.agents.data;

import java.util.Arrays;

import org.armature.agents.Batch;
import org.armature.agents.ChunkLayout;
import org.armature.agents.Sampler;
import org.armature.nn.Rng;

/**
 * Samples windows of consecutive steps of one episode, as Diffusion Policy's {@code SequenceSampler} does: each item is
 * a sequence of {@code Tp} steps starting at {@code i}, of which the first {@code To} observations condition the policy
 * and all {@code Tp} actions are the chunk to predict. Windows may start up to {@code To − 1} steps before an episode
 * and end up to {@code Ta − 1} steps after it; those steps repeat the episode's first or last step, so a window never
 * crosses into another episode and the policy learns the padding it sees at run time. With {@code To = Tp = Ta = 1}
 * the windows are the dataset's transitions.
 *
 * <p>Into the {@link Batch}: {@code observations} ({@code To · obsDim} wide, oldest first), {@code actions}
 * ({@code Tp · actDim}), and for the current step {@code t = i + To − 1}: its reward, its discount ({@code γ} unless
 * the episode terminated there) and the next history (the window shifted by one step).
 */
public final class WindowSampler implements Sampler {

    private final TrainingData data;
    private final ChunkLayout layout;
    private final double gamma;
    private final int[] first;
    private final int[] episode;
    private final Trajectories episodes;

    public WindowSampler(TrainingData data, ChunkLayout layout, double gamma) {
        this.data = data;
        this.layout = layout;
        this.gamma = gamma;
        this.episodes = data.dataset.trajectories();
        int to = layout.observationHistory();
        int tp = layout.chunkLength();
        int ta = layout.executedChunk();
        int total = 0;
        for (int e = 0; e < episodes.count(); e++) {
            total += Math.max(0, windows(episodes.length(e), to, tp, ta));
        }
        if (total == 0) {
            throw new IllegalArgumentException("the dataset's episodes are too short for windows of " + tp
                    + " steps (longest " + Arrays.stream(episodes.lengths()).max().orElse(0) + " steps)");
        }
        this.first = new int[total];
        this.episode = new int[total];
        int k = 0;
        for (int e = 0; e < episodes.count(); e++) {
            int n = windows(episodes.length(e), to, tp, ta);
            for (int w = 0; w < n; w++) {
                first[k] = episodes.start(e) - (to - 1) + w;
                episode[k] = e;
                k++;
            }
        }
    }

    /** Windows per episode of {@code length} steps: starts from {@code −(To − 1)} to {@code length − Tp + Ta − 1}. */
    static int windows(int length, int to, int tp, int ta) {
        return length - tp + ta + to - 1;
    }

    public ChunkLayout layout() {
        return layout;
    }

    @Override
    public long size() {
        return first.length;
    }

    @Override
    public void sample(Batch b, Rng rng) {
        int od = data.observationDim;
        int ad = data.actionDim;
        int to = layout.observationHistory();
        int tp = layout.chunkLength();
        if (b.observations.cols != to * od || b.actions.cols != tp * ad) {
            throw new IllegalArgumentException("window batch needs " + to + " x " + od + " observation and " + tp + " x "
                    + ad + " action columns, got " + b.observations.cols + " and " + b.actions.cols);
        }
        b.toHost();
        for (int row = 0; row < b.size; row++) {
            int w = rng.nextInt(first.length);
            int e = episode[w];
            int s = episodes.start(e);
            int last = episodes.end(e) - 1;
            int i0 = first[w];
            for (int k = 0; k < to; k++) {
                b.observations.put((row * to + k) * od, data.observations, clamp(i0 + k, s, last) * od, od);
                int nk = i0 + k + 1;
                if (nk > last) {
                    b.nextObservations.put((row * to + k) * od, data.nextObservations, last * od, od);
                } else {
                    b.nextObservations.put((row * to + k) * od, data.observations, Math.max(nk, s) * od, od);
                }
            }
            for (int k = 0; k < tp; k++) {
                b.actions.put((row * tp + k) * ad, data.actions, clamp(i0 + k, s, last) * ad, ad);
            }
            int t = clamp(i0 + to - 1, s, last);
            b.rewards.set(row, data.rewards[t]);
            b.discounts.set(row, gamma * data.notDone[t]);
        }
        b.hostWritten();
    }

    private static int clamp(int i, int lo, int hi) {
        return Math.max(lo, Math.min(hi, i));
    }
}
