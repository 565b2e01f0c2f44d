package org.armature.agents.data;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.envs.Episode;

/**
 * Accumulates episodes into an {@link OfflineDataset} (growable flat arrays). The last step of every episode is
 * flagged: {@code terminals} when the task ended, otherwise {@code timeouts} (time limit or a reset before the end),
 * so episode boundaries survive the flat layout. Per-step info values that are booleans, numbers or numeric arrays
 * become {@code infos/<key>} columns when every episode has them with the same type; other keys are dropped.
 */
public final class DatasetBuilder {

    private final int observationDim;
    private final int actionDim;
    private final boolean withNextObservations;
    private float[] obs = new float[0];
    private float[] next = new float[0];
    private float[] act = new float[0];
    private float[] rew = new float[0];
    private boolean[] term = new boolean[0];
    private boolean[] to = new boolean[0];
    private int size;
    private final List<Map<String, Object>> episodeInfos = new ArrayList<>();
    private final List<Integer> episodeLengths = new ArrayList<>();
    private final List<Long> seeds = new ArrayList<>();

    public DatasetBuilder(int observationDim, int actionDim, boolean withNextObservations) {
        this.observationDim = observationDim;
        this.actionDim = actionDim;
        this.withNextObservations = withNextObservations;
    }

    public int observationDim() {
        return observationDim;
    }

    public int actionDim() {
        return actionDim;
    }

    public int size() {
        return size;
    }

    public int episodes() {
        return episodeLengths.size();
    }

    private void ensure(int extra) {
        int need = size + extra;
        if (need > rew.length) {
            int cap = Math.max(need, Math.max(1024, rew.length * 2));
            obs = Arrays.copyOf(obs, cap * observationDim);
            next = withNextObservations ? Arrays.copyOf(next, cap * observationDim) : next;
            act = Arrays.copyOf(act, cap * actionDim);
            rew = Arrays.copyOf(rew, cap);
            term = Arrays.copyOf(term, cap);
            to = Arrays.copyOf(to, cap);
        }
    }

    /** Adds an episode recorded by {@code RecordEpisodes} (T + 1 observations, T actions). */
    public void add(Episode e) {
        int t = e.length();
        if (t == 0) {
            return;
        }
        if (e.observations().length != t + 1) {
            throw new IllegalArgumentException("episode has " + e.observations().length + " observations for " + t
                    + " actions, expected T + 1");
        }
        float[] o = new float[(t + 1) * observationDim];
        for (int i = 0; i <= t; i++) {
            checkDim(e.observations()[i], observationDim, "observation");
            System.arraycopy(e.observations()[i], 0, o, i * observationDim, observationDim);
        }
        float[] a = new float[t * actionDim];
        for (int i = 0; i < t; i++) {
            checkDim(e.actions()[i], actionDim, "action");
            System.arraycopy(e.actions()[i], 0, a, i * actionDim, actionDim);
        }
        float[] r = new float[t];
        for (int i = 0; i < t; i++) {
            r[i] = (float) e.rewards()[i];
        }
        boolean[] te = new boolean[t];
        boolean[] tr = new boolean[t];
        te[t - 1] = e.terminated();
        tr[t - 1] = e.truncated();
        addEpisode(o, a, r, te, tr, infoColumns(e.infos(), t));
        seeds.set(seeds.size() - 1, e.seed() == null ? DatasetMetadata.NO_SEED : e.seed());
    }

    private static void checkDim(float[] x, int dim, String what) {
        if (x.length != dim) {
            throw new IllegalArgumentException(what + " has " + x.length + " values, expected " + dim);
        }
    }

    /**
     * Adds an episode from flat arrays: {@code observations} holds T + 1 rows (the last one is the final next
     * observation), the others T rows.
     */
    public void addEpisode(float[] observations, float[] actions, float[] rewards, boolean[] terminations,
                           boolean[] truncations, Map<String, Object> infos) {
        int t = rewards.length;
        if (t == 0) {
            return;
        }
        ensure(t);
        System.arraycopy(observations, 0, obs, size * observationDim, t * observationDim);
        if (withNextObservations) {
            System.arraycopy(observations, observationDim, next, size * observationDim, t * observationDim);
        }
        System.arraycopy(actions, 0, act, size * actionDim, t * actionDim);
        System.arraycopy(rewards, 0, rew, size, t);
        for (int i = 0; i < t; i++) {
            term[size + i] = terminations[i];
            to[size + i] = truncations[i] && !terminations[i];
        }
        if (!term[size + t - 1]) {
            to[size + t - 1] = true;
        }
        size += t;
        episodeInfos.add(infos == null ? Map.of() : infos);
        episodeLengths.add(t);
        seeds.add(DatasetMetadata.NO_SEED);
    }

    /** Per-step info maps to columns; keys missing in some step or of unsupported type are dropped. */
    static Map<String, Object> infoColumns(List<Map<String, Object>> infos, int t) {
        Map<String, Object> cols = new LinkedHashMap<>();
        if (infos == null || infos.size() != t || t == 0) {
            return cols;
        }
        outer:
        for (Map.Entry<String, Object> first : infos.get(0).entrySet()) {
            String key = first.getKey();
            Object v0 = first.getValue();
            if (v0 instanceof Boolean) {
                boolean[] col = new boolean[t];
                for (int i = 0; i < t; i++) {
                    if (!(infos.get(i).get(key) instanceof Boolean b)) {
                        continue outer;
                    }
                    col[i] = b;
                }
                cols.put(key, col);
            } else if (v0 instanceof Number) {
                double[] col = new double[t];
                for (int i = 0; i < t; i++) {
                    if (!(infos.get(i).get(key) instanceof Number n)) {
                        continue outer;
                    }
                    col[i] = n.doubleValue();
                }
                cols.put(key, col);
            } else if (v0 instanceof float[] f0) {
                float[][] col = new float[t][];
                for (int i = 0; i < t; i++) {
                    if (!(infos.get(i).get(key) instanceof float[] f) || f.length != f0.length) {
                        continue outer;
                    }
                    col[i] = f.clone();
                }
                cols.put(key, col);
            } else if (v0 instanceof double[] d0) {
                double[][] col = new double[t][];
                for (int i = 0; i < t; i++) {
                    if (!(infos.get(i).get(key) instanceof double[] d) || d.length != d0.length) {
                        continue outer;
                    }
                    col[i] = d.clone();
                }
                cols.put(key, col);
            }
        }
        return cols;
    }

    /** Per-episode reset seeds recorded so far ({@link DatasetMetadata#NO_SEED} where unknown). */
    public long[] episodeSeeds() {
        long[] s = new long[seeds.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = seeds.get(i);
        }
        return s;
    }

    /** The dataset; {@code metadata}'s episode seeds are filled from the added episodes when it has none. */
    public OfflineDataset build(DatasetMetadata metadata) {
        DatasetMetadata m = metadata == null ? DatasetMetadata.empty() : metadata;
        if (m.episodeResetSeeds() == null) {
            long[] s = episodeSeeds();
            boolean any = false;
            for (long x : s) {
                any |= x != DatasetMetadata.NO_SEED;
            }
            if (any) {
                m = m.withEpisodeResetSeeds(s);
            }
        }
        return new OfflineDataset(observationDim, actionDim, Arrays.copyOf(obs, size * observationDim),
                Arrays.copyOf(act, size * actionDim), Arrays.copyOf(rew, size), Arrays.copyOf(term, size),
                Arrays.copyOf(to, size), withNextObservations ? Arrays.copyOf(next, size * observationDim) : null,
                mergeInfos(), m);
    }

    private Map<String, Object> mergeInfos() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (episodeInfos.isEmpty()) {
            return out;
        }
        for (Map.Entry<String, Object> e : episodeInfos.get(0).entrySet()) {
            Class<?> type = e.getValue().getClass();
            boolean everywhere = true;
            for (Map<String, Object> m : episodeInfos) {
                Object v = m.get(e.getKey());
                everywhere &= v != null && v.getClass() == type;
            }
            if (!everywhere) {
                continue;
            }
            Object col = Array.newInstance(type.getComponentType(), size);
            int j = 0;
            for (int k = 0; k < episodeInfos.size(); k++) {
                int len = episodeLengths.get(k);
                System.arraycopy(episodeInfos.get(k).get(e.getKey()), 0, col, j, len);
                j += len;
            }
            out.put(e.getKey(), col);
        }
        return out;
    }
}
