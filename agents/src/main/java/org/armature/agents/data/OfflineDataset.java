package org.armature.agents.data;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset of transitions in D4RL's layout, held in flat row-major arrays (transition {@code i} of
 * {@code observations} is {@code observations[i * observationDim .. (i + 1) * observationDim)}).
 *
 * <p>Episodes are contiguous: an episode ends at a transition whose {@code terminals} or {@code timeouts} flag is
 * set, or at the last transition of the file. {@code terminals} means the task ended (no bootstrapping);
 * {@code timeouts} means the episode was cut (time limit, or a reset before the end) and the value of the next
 * state still counts.
 *
 * <p>{@code nextObservations} is optional as in D4RL; {@link #withNextObservations()} derives it from the
 * following observation of the same episode, dropping the last transition of episodes that ended by timeout
 * (their next state is unknown), exactly like {@code d4rl.qlearning_dataset}.
 *
 * <p>{@code infos} holds per-transition columns ({@code infos/<name>} in the file): primitive arrays whose first
 * dimension is the number of transitions.
 */
public final class OfflineDataset {

    private final int size;
    private final int observationDim;
    private final int actionDim;
    private final float[] observations;
    private final float[] actions;
    private final float[] rewards;
    private final boolean[] terminals;
    private final boolean[] timeouts;
    private final float[] nextObservations;
    private final Map<String, Object> infos;
    private final DatasetMetadata metadata;
    private Trajectories trajectories;

    public OfflineDataset(int observationDim, int actionDim, float[] observations, float[] actions, float[] rewards,
                          boolean[] terminals, boolean[] timeouts, float[] nextObservations,
                          Map<String, Object> infos, DatasetMetadata metadata) {
        this.size = rewards.length;
        this.observationDim = observationDim;
        this.actionDim = actionDim;
        check(observations.length == (long) size * observationDim, "observations", "has " + observations.length
                + " values, expected " + size + " x " + observationDim);
        check(actions.length == (long) size * actionDim, "actions", "has " + actions.length + " values, expected "
                + size + " x " + actionDim);
        check(terminals.length == size, "terminals", "has " + terminals.length + " entries, expected " + size);
        check(timeouts.length == size, "timeouts", "has " + timeouts.length + " entries, expected " + size);
        if (nextObservations != null) {
            check(nextObservations.length == (long) size * observationDim, "next_observations",
                    "has " + nextObservations.length + " values, expected " + size + " x " + observationDim);
        }
        Map<String, Object> inf = new LinkedHashMap<>();
        if (infos != null) {
            for (Map.Entry<String, Object> e : infos.entrySet()) {
                Object v = e.getValue();
                check(v != null && v.getClass().isArray(), "infos/" + e.getKey(), "is not an array");
                check(Array.getLength(v) == size, "infos/" + e.getKey(), "has " + Array.getLength(v)
                        + " entries, expected " + size);
                inf.put(e.getKey(), v);
            }
        }
        this.observations = observations;
        this.actions = actions;
        this.rewards = rewards;
        this.terminals = terminals;
        this.timeouts = timeouts;
        this.nextObservations = nextObservations;
        this.infos = Collections.unmodifiableMap(inf);
        this.metadata = metadata == null ? DatasetMetadata.empty() : metadata;
    }

    private static void check(boolean ok, String key, String problem) {
        if (!ok) {
            throw new MalformedDatasetException("dataset key '" + key + "' " + problem);
        }
    }

    public int size() {
        return size;
    }

    public int observationDim() {
        return observationDim;
    }

    public int actionDim() {
        return actionDim;
    }

    /** Flat row-major observations (not copied: do not modify). */
    public float[] observations() {
        return observations;
    }

    public float[] actions() {
        return actions;
    }

    public float[] rewards() {
        return rewards;
    }

    public boolean[] terminals() {
        return terminals;
    }

    public boolean[] timeouts() {
        return timeouts;
    }

    /** Flat next observations, or null when the file has none (see {@link #withNextObservations()}). */
    public float[] nextObservations() {
        return nextObservations;
    }

    public boolean hasNextObservations() {
        return nextObservations != null;
    }

    public Map<String, Object> infos() {
        return infos;
    }

    public DatasetMetadata metadata() {
        return metadata;
    }

    public OfflineDataset withMetadata(DatasetMetadata m) {
        return new OfflineDataset(observationDim, actionDim, observations, actions, rewards, terminals, timeouts,
                nextObservations, infos, m);
    }

    /** Copies observation {@code i} into {@code out}. */
    public void observation(int i, float[] out) {
        System.arraycopy(observations, i * observationDim, out, 0, observationDim);
    }

    public void action(int i, float[] out) {
        System.arraycopy(actions, i * actionDim, out, 0, actionDim);
    }

    /** Episode boundaries and returns (computed once). */
    public synchronized Trajectories trajectories() {
        if (trajectories == null) {
            trajectories = Trajectories.of(this);
        }
        return trajectories;
    }

    public int episodeCount() {
        return trajectories().count();
    }

    /**
     * This dataset with {@code next_observations} present: itself when it has them, otherwise derived from the next
     * observation within each episode; the last transition of an episode that ended by timeout (or by the end of the
     * file) has no known next state and is dropped, and the transition before it is marked as a timeout.
     */
    public OfflineDataset withNextObservations() {
        if (nextObservations != null) {
            return this;
        }
        Trajectories tr = trajectories();
        List<int[]> keep = new ArrayList<>();
        for (int e = 0; e < tr.count(); e++) {
            int start = tr.start(e);
            int end = tr.end(e);
            if (!terminals[end - 1]) {
                end--;
            }
            if (end > start) {
                keep.add(new int[]{start, end});
            }
        }
        int n = 0;
        for (int[] r : keep) {
            n += r[1] - r[0];
        }
        float[] next = new float[n * observationDim];
        boolean[] to = new boolean[n];
        OfflineDataset sliced = slice(keep);
        int j = 0;
        for (int[] r : keep) {
            for (int i = r[0]; i < r[1]; i++, j++) {
                int src = i + 1 < size ? i + 1 : i;
                boolean last = i == r[1] - 1;
                if (last && terminals[i]) {
                    src = i; // terminal: the next state is never bootstrapped; keep a finite placeholder
                }
                System.arraycopy(observations, src * observationDim, next, j * observationDim, observationDim);
                to[j] = last && !terminals[i];
            }
        }
        return new OfflineDataset(observationDim, actionDim, sliced.observations, sliced.actions, sliced.rewards,
                sliced.terminals, to, next, sliced.infos, metadata);
    }

    /** The transitions in the given {@code [start, end)} ranges, concatenated in order. */
    public OfflineDataset slice(List<int[]> ranges) {
        int n = 0;
        for (int[] r : ranges) {
            n += r[1] - r[0];
        }
        Appender out = new Appender(n, observationDim, actionDim, nextObservations != null, infoTypes());
        for (int[] r : ranges) {
            out.append(this, r[0], r[1] - r[0]); // an episode cut by the slice becomes a timeout
        }
        return out.build(metadata);
    }

    /** The given episodes (indices into {@link #trajectories()}), in the given order. */
    public OfflineDataset selectEpisodes(int[] episodes) {
        Trajectories tr = trajectories();
        List<int[]> ranges = new ArrayList<>(episodes.length);
        for (int e : episodes) {
            ranges.add(new int[]{tr.start(e), tr.end(e)});
        }
        return slice(ranges);
    }

    /**
     * Concatenates datasets with the same dimensions. Info columns are kept only when every part has them with the
     * same element type; next observations only when every part has them.
     */
    public static OfflineDataset concat(List<OfflineDataset> parts, DatasetMetadata metadata) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        OfflineDataset first = parts.get(0);
        boolean withNext = true;
        int n = 0;
        for (OfflineDataset d : parts) {
            if (d.observationDim != first.observationDim || d.actionDim != first.actionDim) {
                throw new IllegalArgumentException("cannot combine datasets with observation/action dims "
                        + first.observationDim + "/" + first.actionDim + " and " + d.observationDim + "/"
                        + d.actionDim);
            }
            withNext &= d.hasNextObservations();
            n += d.size;
        }
        Map<String, Class<?>> common = first.infoTypes();
        for (OfflineDataset d : parts) {
            common.keySet().removeIf(k -> !(d.infos.containsKey(k) && d.infos.get(k).getClass() == common.get(k)));
        }
        Appender out = new Appender(n, first.observationDim, first.actionDim, withNext, common);
        for (OfflineDataset d : parts) {
            out.append(d, 0, d.size); // the part's last episode must not run into the next part
        }
        return out.build(metadata);
    }

    /** The arrays of a new dataset of {@code n} transitions, filled range by range ({@link #slice}, {@link #concat}). */
    private static final class Appender {
        final int od;
        final int ad;
        final float[] obs;
        final float[] act;
        final float[] rew;
        final boolean[] term;
        final boolean[] to;
        final float[] next;
        final Map<String, Object> inf = new LinkedHashMap<>();
        int j;

        /** {@code infoTypes}: the info columns to keep and their array classes. */
        Appender(int n, int od, int ad, boolean withNext, Map<String, Class<?>> infoTypes) {
            this.od = od;
            this.ad = ad;
            obs = new float[n * od];
            act = new float[n * ad];
            rew = new float[n];
            term = new boolean[n];
            to = new boolean[n];
            next = withNext ? new float[n * od] : null;
            infoTypes.forEach((k, c) -> inf.put(k, Array.newInstance(c.getComponentType(), n)));
        }

        /**
         * Appends transitions {@code [from, from + len)} of {@code d}; an episode left open at the end of the range
         * becomes a timeout.
         */
        void append(OfflineDataset d, int from, int len) {
            System.arraycopy(d.observations, from * od, obs, j * od, len * od);
            System.arraycopy(d.actions, from * ad, act, j * ad, len * ad);
            System.arraycopy(d.rewards, from, rew, j, len);
            System.arraycopy(d.terminals, from, term, j, len);
            System.arraycopy(d.timeouts, from, to, j, len);
            if (next != null) {
                System.arraycopy(d.nextObservations, from * od, next, j * od, len * od);
            }
            for (Map.Entry<String, Object> e : inf.entrySet()) {
                System.arraycopy(d.infos.get(e.getKey()), from, e.getValue(), j, len);
            }
            if (len > 0 && !term[j + len - 1]) {
                to[j + len - 1] = true;
            }
            j += len;
        }

        OfflineDataset build(DatasetMetadata metadata) {
            return new OfflineDataset(od, ad, obs, act, rew, term, to, next, inf, metadata);
        }
    }

    /** The info columns and their array classes. */
    private Map<String, Class<?>> infoTypes() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        infos.forEach((k, v) -> m.put(k, v.getClass()));
        return m;
    }

    /** A copy whose arrays can be modified (for corruption). */
    public OfflineDataset copy() {
        Map<String, Object> inf = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : infos.entrySet()) {
            Object src = e.getValue();
            Object dst = Array.newInstance(src.getClass().getComponentType(), size);
            System.arraycopy(src, 0, dst, 0, size);
            inf.put(e.getKey(), dst);
        }
        return new OfflineDataset(observationDim, actionDim, observations.clone(), actions.clone(), rewards.clone(),
                terminals.clone(), timeouts.clone(), nextObservations == null ? null : nextObservations.clone(), inf,
                metadata);
    }
}
