package org.armature.agents.data;

import org.armature.agents.Batch;
import org.armature.agents.Sampler;
import org.armature.nn.Rng;

/**
 * Samples one-step transitions of a prepared dataset ({@link TrainingData}) into a {@link Batch}: the transition is
 * chosen by a {@link TransitionDraw} (uniform, return- or advantage-weighted), its discount is {@code γ} unless the
 * episode terminated there ({@code terminals}); time-outs bootstrap, as in the replay buffer.
 *
 * <p>Build one with {@link #create(String, TrainingData, double, double, long)} ({@code uniform}, {@code rw},
 * {@code aw}), mix it with online data through {@link org.armature.agents.MixedSampler}.
 */
public final class DatasetSampler implements Sampler {

    private final TrainingData data;
    private final double gamma;
    private final TransitionDraw draw;

    public DatasetSampler(TrainingData data, double gamma, TransitionDraw draw) {
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("discount gamma must be in [0, 1], got " + gamma);
        }
        this.data = data;
        this.gamma = gamma;
        this.draw = draw;
    }

    /**
     * The sampler named on the command line: {@code uniform}, {@code rw} or {@code aw} (Hong et al. 2023, temperature
     * {@code alpha}). Its randomness comes from the stream passed to {@link #sample}, like every sampler's.
     */
    public static DatasetSampler create(String kind, TrainingData data, double gamma, double alpha) {
        TransitionDraw draw = switch (kind.toLowerCase(java.util.Locale.ROOT)) {
            case "uniform" -> TransitionDraw.uniform(data.size);
            case "rw" -> TrajectoryWeighting.returnWeighted(data.dataset, alpha);
            case "aw" -> TrajectoryWeighting.advantageWeighted(data.dataset, alpha);
            default -> throw new IllegalArgumentException("unknown sampler '" + kind + "', expected uniform, rw or aw");
        };
        return new DatasetSampler(data, gamma, draw);
    }

    public TransitionDraw draw() {
        return draw;
    }

    public String describe() {
        return draw.describe();
    }

    @Override
    public void sample(Batch b, Rng rng) {
        if (b.observations.cols != data.observationDim || b.actions.cols != data.actionDim) {
            throw new IllegalArgumentException("batch has observation/action widths " + b.observations.cols + "/"
                    + b.actions.cols + ", the dataset " + data.observationDim + "/" + data.actionDim);
        }
        int od = data.observationDim;
        int ad = data.actionDim;
        b.toHost();
        for (int row = 0; row < b.size; row++) {
            int i = draw.next(rng);
            b.observations.put(row * od, data.observations, i * od, od);
            b.nextObservations.put(row * od, data.nextObservations, i * od, od);
            b.actions.put(row * ad, data.actions, i * ad, ad);
            b.rewards.set(row, data.rewards[i]);
            b.discounts.set(row, gamma * data.notDone[i]);
        }
        b.hostWritten();
    }

    @Override
    public long size() {
        return data.size;
    }
}
