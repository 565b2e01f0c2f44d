package org.armature.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.data.Trajectories;
import org.armature.envs.Env;
import org.armature.envs.Step;
import org.armature.sim.Scene;

/**
 * Replays one episode of a D4RL-layout dataset by <em>re-simulating</em> it: the env named by the dataset's
 * {@code env_id} attribute is reset with the episode's recorded seed ({@code episode_reset_seeds}) and fed the
 * recorded actions. Datasets do not carry simulator state, so this is the only faithful way to show them; as a
 * check, every re-simulated observation is compared with every recorded copy of it ({@code observations} and
 * {@code next_observations}) and the largest absolute deviation is shown (it is 0 for an Armature-recorded dataset on the same build, since the simulation is deterministic).
 */
public final class ReplayPlayback implements Playback {

    private final Env env;
    private final OfflineDataset dataset;
    private final int episode;
    private final int start;
    private final int length;
    private final long seed;
    private final float[] action;
    private int t;
    private double episodeReturn;
    private double recordedReturn;
    private double lastReward;
    private double maxDeviation;
    private double maxRewardDeviation;
    private float[] observation;

    /**
     * @param envFactory builds the env named by the dataset (called on this thread)
     * @throws IllegalArgumentException when the episode does not exist or has no recorded seed, or the env's
     *                                  spaces do not match the dataset
     */
    public ReplayPlayback(OfflineDataset dataset, int episode, Supplier<Env> envFactory) {
        Trajectories tr = dataset.trajectories();
        if (episode < 0 || episode >= tr.count()) {
            throw new IllegalArgumentException("episode " + episode + " does not exist: the dataset has "
                    + tr.count() + " episodes (0.." + (tr.count() - 1) + ")");
        }
        DatasetMetadata meta = dataset.metadata();
        long[] seeds = meta.episodeResetSeeds();
        if (seeds == null || episode >= seeds.length || seeds[episode] == DatasetMetadata.NO_SEED) {
            throw new IllegalArgumentException("episode " + episode + " has no recorded reset seed (attribute "
                    + DatasetMetadata.EPISODE_RESET_SEEDS + "), so it cannot be re-simulated; record datasets with "
                    + "seeded resets to replay them");
        }
        this.dataset = dataset;
        this.episode = episode;
        this.start = tr.start(episode);
        this.length = tr.length(episode);
        this.seed = seeds[episode];
        this.recordedReturn = tr.episodeReturn(episode);
        this.env = envFactory.get();
        if (env.spec().observationDim() != dataset.observationDim() || env.spec().actionDim() != dataset.actionDim()) {
            env.close();
            throw new IllegalArgumentException(String.format(
                    "dataset has %d observations and %d actions but %s has %d and %d",
                    dataset.observationDim(), dataset.actionDim(), env.spec().id(),
                    env.spec().observationDim(), env.spec().actionDim()));
        }
        this.action = new float[dataset.actionDim()];
        reset();
    }

    @Override
    public String title() {
        return "armature replay: " + env.spec().id() + " episode " + episode;
    }

    @Override
    public double controlDtSeconds() {
        return env.spec().controlDtSeconds();
    }

    @Override
    public void reset() {
        observation = env.reset(seed).observation();
        t = 0;
        episodeReturn = 0;
        lastReward = 0;
        maxDeviation = 0;
        maxRewardDeviation = 0;
        compare(observation, dataset.observations(), start);
    }

    private void compare(float[] obs, float[] recorded, int index) {
        int d = dataset.observationDim();
        for (int i = 0; i < d; i++) {
            maxDeviation = Math.max(maxDeviation, Math.abs(obs[i] - recorded[index * d + i]));
        }
    }

    /**
     * The state reached after transition {@code index} is recorded twice: as {@code next_observations[index]} and,
     * inside the episode, as {@code observations[index + 1]}. Both are compared, so an edit to either shows.
     */
    private void compareNext(float[] obs, int index) {
        if (dataset.hasNextObservations()) {
            compare(obs, dataset.nextObservations(), index);
        }
        if (index + 1 < start + length) {
            compare(obs, dataset.observations(), index + 1);
        }
    }

    @Override
    public boolean step() {
        if (episodeOver()) {
            return false;
        }
        int i = start + t;
        dataset.action(i, action);
        Step s = env.step(action);
        observation = s.observation();
        lastReward = s.reward();
        episodeReturn += s.reward();
        maxRewardDeviation = Math.max(maxRewardDeviation, Math.abs(s.reward() - dataset.rewards()[i]));
        compareNext(observation, i);
        t++;
        return true;
    }

    @Override
    public boolean episodeOver() {
        return t >= length;
    }

    @Override
    public Scene scene() {
        return env.scene();
    }

    /** Steps replayed so far. */
    public int stepIndex() {
        return t;
    }

    public int length() {
        return length;
    }

    public long seed() {
        return seed;
    }

    /** Largest |re-simulated - recorded| over every observation component so far. */
    public double maxObservationDeviation() {
        return maxDeviation;
    }

    /** Largest |re-simulated - recorded| reward so far. */
    public double maxRewardDeviation() {
        return maxRewardDeviation;
    }

    public double episodeReturn() {
        return episodeReturn;
    }

    public double recordedReturn() {
        return recordedReturn;
    }

    /** Re-simulates the whole episode (from a reset) without drawing; returns this for chaining. */
    public ReplayPlayback runToEnd() {
        reset();
        while (step()) {
            // replay every recorded action
        }
        return this;
    }

    @Override
    public List<String> hudLines() {
        List<String> lines = new ArrayList<>(3);
        lines.add(String.format(Locale.ROOT, "replay %s episode %d (seed %d)", env.spec().id(), episode, seed));
        lines.add(String.format(Locale.ROOT, "step %d/%d  reward %.3f  return %.2f (recorded %.2f)", t, length,
                lastReward, episodeReturn, recordedReturn));
        int a = Math.max(0, start + t - 1);
        float[] act = new float[dataset.actionDim()];
        dataset.action(a, act);
        lines.add("action " + (t == 0 ? "-" : PolicyPlayback.formatVector(act))
                + String.format(Locale.ROOT, "  max |obs - recorded| %.2e", maxDeviation));
        return lines;
    }

    @Override
    public void close() {
        env.close();
    }
}
