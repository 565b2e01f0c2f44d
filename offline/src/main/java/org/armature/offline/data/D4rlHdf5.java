package org.armature.offline.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.armature.sim.AtomicFiles;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import io.jhdf.exceptions.HdfException;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.MalformedDatasetException;
import org.armature.agents.data.OfflineDataset;

/**
 * Reads and writes datasets in D4RL's HDF5 layout with jHDF (pure Java):
 *
 * <pre>
 *   observations       float32 [N, obs_dim]
 *   actions            float32 [N, act_dim]
 *   rewards            float32 [N]
 *   terminals          bool    [N]     (written as 8-bit; h5py reads uint8 0/1, D4RL's own files use bool)
 *   timeouts           bool    [N]
 *   next_observations  float32 [N, obs_dim]   optional (always written by Armature)
 *   infos/NAME         [N, ...]                optional per-transition columns
 *   attributes         env_id, collection_policy, collection_seed, episode_reset_seeds, armature_version, ...
 * </pre>
 *
 * Reading accepts what h5py and D4RL write: float32 or float64 arrays, booleans as HDF5 enums (h5py's bool),
 * bitfields or integers, {@code rewards} as [N] or [N, 1], gzip-compressed chunked datasets. A missing
 * {@code timeouts} (D4RL v0 files) reads as all false. Writes go to a temporary file in the same folder that is
 * renamed over the target only when complete.
 */
public final class D4rlHdf5 {

    private D4rlHdf5() {
    }

    /** Reads a D4RL-layout file; any problem is a {@link MalformedDatasetException} naming the file and key. */
    public static OfflineDataset read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MalformedDatasetException("dataset file " + file + " does not exist");
        }
        try (HdfFile h = new HdfFile(file)) {
            return read(h, file.toString());
        } catch (HdfException e) {
            throw new MalformedDatasetException("cannot read " + file + " as HDF5: " + e.getMessage());
        }
    }

    static OfflineDataset read(Group h, String name) {
        Dataset obsSet = required(h, "observations", name);
        int[] od = obsSet.getDimensions();
        if (od.length != 2) {
            throw bad(name, "observations", "has shape " + Arrays.toString(od) + ", expected [N, obs_dim]");
        }
        int n = od[0];
        int obsDim = od[1];
        float[] obs = floats(obsSet, name, "observations");
        Dataset actSet = required(h, "actions", name);
        int[] ad = actSet.getDimensions();
        if (ad.length < 1 || ad.length > 2) {
            throw bad(name, "actions", "has shape " + Arrays.toString(ad) + ", expected [N, act_dim]");
        }
        int actDim = ad.length == 2 ? ad[1] : 1;
        checkLength(name, "actions", ad[0], n);
        float[] act = floats(actSet, name, "actions");
        Dataset rewSet = required(h, "rewards", name);
        int[] rd = rewSet.getDimensions();
        if (rd.length == 0 || rd.length > 2 || (rd.length == 2 && rd[1] != 1)) {
            throw bad(name, "rewards", "has shape " + Arrays.toString(rd) + ", expected [N]");
        }
        checkLength(name, "rewards", rd[0], n);
        float[] rew = floats(rewSet, name, "rewards");
        boolean[] term = bools(required(h, "terminals", name), n, name, "terminals");
        Node toNode = h.getChild("timeouts");
        boolean[] to = toNode instanceof Dataset ds ? bools(ds, n, name, "timeouts") : new boolean[n];
        float[] next = null;
        if (h.getChild("next_observations") instanceof Dataset ns) {
            int[] nd = ns.getDimensions();
            if (nd.length != 2 || nd[1] != obsDim) {
                throw bad(name, "next_observations", "has shape " + Arrays.toString(nd) + ", expected [" + n + ", "
                        + obsDim + "]");
            }
            checkLength(name, "next_observations", nd[0], n);
            next = floats(ns, name, "next_observations");
        }
        Map<String, Object> infos = new LinkedHashMap<>();
        if (h.getChild("infos") instanceof Group ig) {
            readInfos(ig, "", n, name, infos);
        }
        finite(obs, name, "observations", obsDim);
        finite(act, name, "actions", actDim);
        finite(rew, name, "rewards", 1);
        if (next != null) {
            finite(next, name, "next_observations", obsDim);
        }
        return new OfflineDataset(obsDim, actDim, obs, act, rew, term, to, next, infos, readMetadata(h));
    }

    private static void readInfos(Group g, String prefix, int n, String file, Map<String, Object> out) {
        for (Node child : g) {
            String key = prefix + child.getName();
            if (child instanceof Group sub) {
                readInfos(sub, key + "/", n, file, out);
            } else if (child instanceof Dataset ds && !ds.isScalar() && !ds.isEmpty()) {
                int[] dims = ds.getDimensions();
                if (dims.length == 0 || dims[0] != n) {
                    throw bad(file, "infos/" + key, "has " + (dims.length == 0 ? 0 : dims[0])
                            + " entries, expected " + n);
                }
                Object data = ds.getData();
                if (data instanceof String[] s) {
                    data = boolsFromEnum(s, file, "infos/" + key);
                }
                out.put(key, data);
            }
        }
    }

    static DatasetMetadata readMetadata(Node h) {
        String envId = null;
        String policy = null;
        Long seed = null;
        long[] seeds = null;
        String version = null;
        // sorted: jHDF's attribute map has no stable order, and the metadata reaches config.json
        Map<String, String> extra = new java.util.TreeMap<>();
        for (Map.Entry<String, Attribute> e : h.getAttributes().entrySet()) {
            Object v = e.getValue().getData();
            switch (e.getKey()) {
                case DatasetMetadata.ENV_ID -> envId = String.valueOf(v);
                case DatasetMetadata.COLLECTION_POLICY -> policy = String.valueOf(v);
                case DatasetMetadata.COLLECTION_SEED -> seed = v instanceof Number num ? num.longValue() : null;
                case DatasetMetadata.EPISODE_RESET_SEEDS -> seeds = longs(v);
                case DatasetMetadata.ARMATURE_VERSION -> version = String.valueOf(v);
                case "_jHDF" -> {
                }
                default -> extra.put(e.getKey(), v != null && v.getClass().isArray() ? arrayToString(v)
                        : String.valueOf(v));
            }
        }
        return new DatasetMetadata(envId, policy, seed, seeds, version, extra);
    }

    private static long[] longs(Object v) {
        if (v instanceof long[] l) {
            return l;
        }
        if (v instanceof Number num) {
            return new long[]{num.longValue()};
        }
        if (v != null && v.getClass().isArray()) {
            long[] out = new long[Array.getLength(v)];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((Number) Array.get(v, i)).longValue();
            }
            return out;
        }
        return null;
    }

    private static String arrayToString(Object a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Array.getLength(a); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(Array.get(a, i));
        }
        return sb.append(']').toString();
    }

    private static Dataset required(Group h, String key, String file) {
        Node n = h.getChild(key);
        if (n == null) {
            throw bad(file, key, "is missing (a D4RL dataset needs observations, actions, rewards, terminals)");
        }
        if (!(n instanceof Dataset d)) {
            throw bad(file, key, "is a group, expected an array");
        }
        return d;
    }

    private static void checkLength(String file, String key, int len, int n) {
        if (len != n) {
            throw bad(file, key, "has " + len + " entries but observations has " + n + " (mismatched lengths)");
        }
    }

    static MalformedDatasetException bad(String file, String key, String problem) {
        return new MalformedDatasetException(file + ": key '" + key + "' " + problem);
    }

    /** Reads a numeric array dataset as floats (also the Minari importer's reader). */
    static float[] floats(Dataset d, String file, String key) {
        Object flat;
        try {
            flat = d.getDataFlat();
        } catch (HdfException e) {
            throw bad(file, key, "cannot be read: " + e.getMessage());
        }
        if (flat instanceof float[] f) {
            return f;
        }
        if (flat instanceof double[] x) {
            float[] f = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                f[i] = (float) x[i];
            }
            return f;
        }
        if (flat != null && flat.getClass().isArray() && flat.getClass().getComponentType().isPrimitive()
                && flat.getClass() != boolean[].class) {
            float[] f = new float[Array.getLength(flat)];
            for (int i = 0; i < f.length; i++) {
                f[i] = ((Number) Array.get(flat, i)).floatValue();
            }
            return f;
        }
        throw bad(file, key, "has element type " + d.getJavaType() + ", expected numbers");
    }

    static boolean[] bools(Dataset d, int n, String file, String key) {
        int[] dims = d.getDimensions();
        if (dims.length == 0 || dims.length > 2 || (dims.length == 2 && dims[1] != 1)) {
            throw bad(file, key, "has shape " + Arrays.toString(dims) + ", expected [N]");
        }
        checkLength(file, key, dims[0], n);
        Object flat = d.getDataFlat();
        if (flat instanceof boolean[] b) {
            return b;
        }
        if (flat instanceof String[] s) {
            return boolsFromEnum(s, file, key);
        }
        if (flat instanceof byte[] x) {
            boolean[] b = new boolean[x.length];
            for (int i = 0; i < x.length; i++) {
                b[i] = x[i] != 0;
            }
            return b;
        }
        if (flat != null && flat.getClass().isArray() && flat.getClass().getComponentType().isPrimitive()) {
            boolean[] b = new boolean[Array.getLength(flat)];
            for (int i = 0; i < b.length; i++) {
                b[i] = ((Number) Array.get(flat, i)).doubleValue() != 0;
            }
            return b;
        }
        throw bad(file, key, "has element type " + d.getJavaType() + ", expected booleans");
    }

    /** h5py stores numpy bool as an HDF5 enum {FALSE = 0, TRUE = 1}; jHDF reads it as the member names. */
    static boolean[] boolsFromEnum(String[] s, String file, String key) {
        boolean[] b = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
            String v = s[i];
            if ("TRUE".equalsIgnoreCase(v) || "1".equals(v)) {
                b[i] = true;
            } else if (!("FALSE".equalsIgnoreCase(v) || "0".equals(v))) {
                throw bad(file, key, "has value '" + v + "' at index " + i + ", expected a boolean");
            }
        }
        return b;
    }

    private static void finite(float[] x, String file, String key, int dim) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw bad(file, key, "has " + (Float.isNaN(x[i]) ? "NaN" : "an infinite value") + " at transition "
                        + (i / dim) + (dim > 1 ? ", dimension " + (i % dim) : ""));
            }
        }
    }

    /** Writes {@code d} to {@code file} (temporary file, then rename); returns the file. */
    public static Path write(OfflineDataset d, Path file) {
        if (d.size() == 0) {
            throw new IllegalArgumentException("refusing to write an empty dataset (0 transitions)");
        }
        try {
            AtomicFiles.write(file, tmp -> writeTo(d, tmp)); // jHDF creates the temporary file itself
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e); // "cannot write x.h5: No space left on device"
        }
        return file;
    }

    private static void writeTo(OfflineDataset d, Path tmp) {
        int n = d.size();
        try (WritableHdfFile h = HdfFile.write(tmp)) {
            h.putDataset("observations", rows(d.observations(), n, d.observationDim()));
            h.putDataset("actions", rows(d.actions(), n, d.actionDim()));
            h.putDataset("rewards", d.rewards());
            h.putDataset("terminals", d.terminals());
            h.putDataset("timeouts", d.timeouts());
            if (d.hasNextObservations()) {
                h.putDataset("next_observations", rows(d.nextObservations(), n, d.observationDim()));
            }
            if (!d.infos().isEmpty()) {
                WritableGroup ig = h.putGroup("infos");
                Map<String, WritableGroup> groups = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : d.infos().entrySet()) {
                    String[] parts = e.getKey().split("/");
                    WritableGroup g = ig;
                    StringBuilder path = new StringBuilder();
                    for (int i = 0; i < parts.length - 1; i++) {
                        path.append(parts[i]).append('/');
                        WritableGroup parent = g;
                        String part = parts[i];
                        g = groups.computeIfAbsent(path.toString(), k -> parent.putGroup(part));
                    }
                    g.putDataset(parts[parts.length - 1], e.getValue());
                }
            }
            DatasetMetadata m = d.metadata();
            if (m.envId() != null) {
                h.putAttribute(DatasetMetadata.ENV_ID, m.envId());
            }
            if (m.collectionPolicy() != null) {
                h.putAttribute(DatasetMetadata.COLLECTION_POLICY, m.collectionPolicy());
            }
            if (m.collectionSeed() != null) {
                h.putAttribute(DatasetMetadata.COLLECTION_SEED, m.collectionSeed());
            }
            if (m.episodeResetSeeds() != null && m.episodeResetSeeds().length > 0) {
                h.putAttribute(DatasetMetadata.EPISODE_RESET_SEEDS, m.episodeResetSeeds());
            }
            h.putAttribute(DatasetMetadata.ARMATURE_VERSION,
                    m.armatureVersion() == null ? DatasetMetadata.currentVersion() : m.armatureVersion());
            for (Map.Entry<String, String> e : m.extra().entrySet()) {
                if (!e.getValue().isEmpty()) {
                    h.putAttribute(e.getKey(), e.getValue());
                }
            }
        }
    }

    private static float[][] rows(float[] flat, int n, int dim) {
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * dim, out[i], 0, dim);
        }
        return out;
    }
}
