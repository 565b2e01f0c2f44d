package org.armature.offline.data;

import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.MalformedDatasetException;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.data.DatasetBuilder;

/**
 * Imports a Minari dataset ({@code <dataset>/data/main_data.hdf5}) into D4RL's flat layout.
 *
 * <p>Minari stores one group {@code episode_<i>} per episode with {@code observations} holding T + 1 entries (the
 * reset observation, then one per step), {@code actions}, {@code rewards}, {@code terminations} and
 * {@code truncations} with T entries, and optional {@code infos}. The import turns observation t into
 * {@code observations[t]} and observation t + 1 into {@code next_observations[t]}, terminations into
 * {@code terminals} and truncations into {@code timeouts} (an episode whose last step has neither flag gets a
 * timeout, so it stays a separate episode). Episodes are taken in the order of their index. Per-episode
 * {@code seed} attributes become {@code episode_reset_seeds}. Dict (group) observations are not supported.
 */
public final class MinariImport {

    private static final Pattern EPISODE = Pattern.compile("episode_(\\d+)");

    private MinariImport() {
    }

    /** {@code path} is the Minari dataset directory or its {@code main_data.hdf5}. */
    public static OfflineDataset read(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("data").resolve("main_data.hdf5") : path;
        if (!Files.isRegularFile(file)) {
            throw new MalformedDatasetException("Minari dataset file " + file + " does not exist (expected "
                    + "<dataset>/data/main_data.hdf5)");
        }
        String name = file.toString();
        try (HdfFile h = new HdfFile(file)) {
            List<Group> episodes = new ArrayList<>();
            List<Integer> indices = new ArrayList<>();
            for (Node n : h) {
                Matcher m = EPISODE.matcher(n.getName());
                if (m.matches() && n instanceof Group g) {
                    episodes.add(g);
                    indices.add(Integer.parseInt(m.group(1)));
                }
            }
            if (episodes.isEmpty()) {
                throw new MalformedDatasetException(name + ": no 'episode_<i>' groups (is this a Minari dataset?)");
            }
            Integer[] order = new Integer[episodes.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Integer.compare(indices.get(a), indices.get(b)));

            DatasetBuilder builder = null;
            long[] seeds = new long[order.length];
            boolean anySeed = false;
            for (int k = 0; k < order.length; k++) {
                Group g = episodes.get(order[k]);
                String ep = g.getName();
                Node obsNode = g.getChild("observations");
                if (obsNode == null) {
                    throw D4rlHdf5.bad(name, ep + "/observations", "is missing");
                }
                if (!(obsNode instanceof Dataset obsSet)) {
                    throw D4rlHdf5.bad(name, ep + "/observations", "is a group (dict observation space); only Box "
                            + "observations can be imported");
                }
                Dataset actSet = child(g, "actions", name, ep);
                int[] od = obsSet.getDimensions();
                int[] ad = actSet.getDimensions();
                int t = ad[0];
                int obsDim = od.length == 1 ? 1 : od[1];
                int actDim = ad.length == 1 ? 1 : ad[1];
                if (od[0] != t + 1) {
                    throw D4rlHdf5.bad(name, ep + "/observations", "has " + od[0] + " entries, expected "
                            + (t + 1) + " (T + 1 for " + t + " actions)");
                }
                float[] obs = D4rlHdf5.floats(obsSet, name, ep + "/observations");
                float[] act = D4rlHdf5.floats(actSet, name, ep + "/actions");
                Dataset rewSet = child(g, "rewards", name, ep);
                if (rewSet.getDimensions()[0] != t) {
                    throw D4rlHdf5.bad(name, ep + "/rewards", "has " + rewSet.getDimensions()[0]
                            + " entries, expected " + t + " (mismatched lengths)");
                }
                float[] rew = D4rlHdf5.floats(rewSet, name, ep + "/rewards");
                for (int i = 0; i < rew.length; i++) {
                    if (!Float.isFinite(rew[i])) {
                        throw D4rlHdf5.bad(name, ep + "/rewards", "has " + rew[i] + " at step " + i);
                    }
                }
                boolean[] term = D4rlHdf5.bools(child(g, "terminations", name, ep), t, name, ep + "/terminations");
                boolean[] trunc = D4rlHdf5.bools(child(g, "truncations", name, ep), t, name, ep + "/truncations");
                if (builder == null) {
                    builder = new DatasetBuilder(obsDim, actDim, true);
                } else if (builder.observationDim() != obsDim || builder.actionDim() != actDim) {
                    throw D4rlHdf5.bad(name, ep, "has observation/action dims " + obsDim + "/" + actDim
                            + " but earlier episodes have " + builder.observationDim() + "/" + builder.actionDim());
                }
                Map<String, Object> infos = new LinkedHashMap<>();
                if (g.getChild("infos") instanceof Group ig) {
                    for (Node n : ig) {
                        if (n instanceof Dataset ds && !ds.isScalar() && ds.getDimensions().length >= 1) {
                            int len = ds.getDimensions()[0];
                            if (len == t + 1 || len == t) {
                                Object data = ds.getData();
                                if (data instanceof String[] strings) {
                                    try {
                                        data = D4rlHdf5.boolsFromEnum(strings, name, ep + "/infos/" + n.getName());
                                    } catch (MalformedDatasetException notBooleans) {
                                        continue; // text infos are not kept
                                    }
                                }
                                int off = len - t; // T + 1 infos: the first one belongs to reset
                                Object rows = Array.newInstance(data.getClass().getComponentType(), t);
                                System.arraycopy(data, off, rows, 0, t);
                                infos.put(n.getName(), rows);
                            }
                        }
                    }
                }
                builder.addEpisode(obs, act, rew, term, trunc, infos);
                seeds[k] = seedOf(g);
                anySeed |= seeds[k] != DatasetMetadata.NO_SEED;
            }
            String envId = envIdOf(h);
            DatasetMetadata meta = new DatasetMetadata(envId, "minari:" + attr(h, "dataset_id"), null,
                    anySeed ? seeds : null, DatasetMetadata.currentVersion(), Map.of("source", "minari " + file));
            return builder.build(meta);
        } catch (HdfException e) {
            throw new MalformedDatasetException("cannot read " + file + " as HDF5: " + e.getMessage());
        }
    }

    private static Dataset child(Group g, String key, String file, String ep) {
        Node n = g.getChild(key);
        if (!(n instanceof Dataset d)) {
            throw D4rlHdf5.bad(file, ep + "/" + key, n == null ? "is missing" : "is a group, expected an array");
        }
        return d;
    }

    private static long seedOf(Group g) {
        Attribute a = g.getAttribute("seed");
        if (a != null && a.getData() instanceof Number n) {
            return n.longValue();
        }
        return DatasetMetadata.NO_SEED;
    }

    private static String attr(Node h, String key) {
        Attribute a = h.getAttribute(key);
        return a == null ? "unknown" : String.valueOf(a.getData());
    }

    private static String envIdOf(Node h) {
        Attribute spec = h.getAttribute("env_spec");
        if (spec != null) {
            try {
                JsonNode j = new ObjectMapper().readTree(String.valueOf(spec.getData()));
                if (j.hasNonNull("id")) {
                    return j.get("id").asText();
                }
            } catch (Exception ignored) {
                // not JSON: fall through
            }
        }
        return null;
    }
}
