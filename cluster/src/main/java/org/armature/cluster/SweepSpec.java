package org.armature.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.armature.agents.Seeds;

/**
 * A sweep: one training command, its base options, a grid and/or random search over config keys, and seeds.
 * <pre>
 * {"command": "train",
 *  "base": {"algo": "sac", "env": "Pendulum-v1", "steps": 20000, "set": {"learning_starts": 1000}},
 *  "grid": {"sac.policy_lr": [0.0003, 0.001]},
 *  "random": {"sac.q_lr": {"log_uniform": [0.0001, 0.003]}, "samples": 4},
 *  "seeds": [1, 2, 3],
 *  "max_retries": 2}
 * </pre>
 * {@code base} keys are the command's options ({@code "steps": 20000} is {@code --steps 20000}; {@code true} a flag;
 * {@code "set"} a map of {@code --set KEY=VALUE}). Grid and random keys are config keys, given as {@code --set}.
 * Random values are drawn from {@code Seeds.of(random_seed, "sweep:" + key)}: the same spec gives the same runs.
 *
 * @param command    train, offline, bc, residual or dsrl
 * @param configs    the configurations (grid points x random samples): the {@code --set} values each adds
 * @param seeds      the seeds every configuration runs with
 * @param baseArgs   the command's arguments from {@code base}
 * @param maxRetries how often a failed run is tried again (from its stored checkpoint) before it is reported
 */
public record SweepSpec(String command, List<Map<String, String>> configs, List<Long> seeds, List<String> baseArgs,
                        int maxRetries) {

    public static final Set<String> COMMANDS = Set.of("train", "offline", "bc", "residual", "dsrl", "fas");
    public static final int DEFAULT_MAX_RETRIES = 2;
    private static final Set<String> OWN_OPTIONS = Set.of("seed", "run_dir", "run-dir", "out", "resume", "overwrite");
    private static final Set<String> TOP_KEYS = Set.of("command", "base", "grid", "random", "seeds", "max_retries",
            "random_seed");

    /** One run of the sweep. */
    public record Run(String name, int config, long seed, List<String> args) {
    }

    /** Reads and checks a spec file; mistakes are errors naming the file and the key. */
    public static SweepSpec read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("sweep spec " + file + " does not exist");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("sweep spec " + file + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
        return parse(root, file.toString());
    }

    static SweepSpec parse(JsonNode root, String where) {
        if (root == null || !root.isObject()) {
            throw bad(where, "the spec must be a JSON object with command, base, grid/random and seeds");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TOP_KEYS.contains(k)) {
                throw bad(where, "unknown key '" + k + "' (expected "
                        + String.join(", ", new java.util.TreeSet<>(TOP_KEYS)) + ")");
            }
        }
        String command = root.path("command").asText("");
        if (!COMMANDS.contains(command)) {
            throw bad(where, "\"command\" must be one of " + new java.util.TreeSet<>(COMMANDS) + ", got '" + command
                    + "'");
        }
        List<String> base = new ArrayList<>();
        JsonNode b = root.path("base");
        if (!b.isMissingNode() && !b.isObject()) {
            throw bad(where, "\"base\" must be an object of the command's options");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (OWN_OPTIONS.contains(k)) {
                throw bad(where, "base." + k + " is set by the sweep (seeds come from \"seeds\", run directories "
                        + "from --out)");
            }
            if (k.equals("set")) {
                if (!e.getValue().isObject()) {
                    throw bad(where, "base.set must be an object of config keys and values");
                }
                for (Iterator<Map.Entry<String, JsonNode>> s = e.getValue().fields(); s.hasNext(); ) {
                    Map.Entry<String, JsonNode> kv = s.next();
                    base.add("--set");
                    base.add(kv.getKey() + "=" + text(kv.getValue()));
                }
            } else if (e.getValue().isBoolean()) {
                if (e.getValue().booleanValue()) {
                    base.add("--" + k.replace('_', '-'));
                }
            } else {
                base.add("--" + k.replace('_', '-'));
                base.add(text(e.getValue()));
            }
        }
        List<Map<String, String>> configs = new ArrayList<>();
        configs.add(new LinkedHashMap<>());
        JsonNode grid = root.path("grid");
        if (!grid.isMissingNode()) {
            if (!grid.isObject()) {
                throw bad(where, "\"grid\" must map config keys to lists of values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = grid.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                    throw bad(where, "grid." + e.getKey() + " must be a non-empty list of values");
                }
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> c : configs) {
                    for (JsonNode v : e.getValue()) {
                        Map<String, String> m = new LinkedHashMap<>(c);
                        m.put(e.getKey(), text(v));
                        next.add(m);
                    }
                }
                configs = next;
            }
        }
        JsonNode random = root.path("random");
        if (!random.isMissingNode()) {
            configs = randomSamples(random, configs, root.path("random_seed").asLong(0), where);
        }
        JsonNode seedsNode = root.path("seeds");
        List<Long> seeds = new ArrayList<>();
        if (seedsNode.isMissingNode()) {
            seeds.add(0L);
        } else if (!seedsNode.isArray() || seedsNode.isEmpty()) {
            throw bad(where, "\"seeds\" must be a non-empty list of integers");
        } else {
            for (JsonNode s : seedsNode) {
                if (!s.canConvertToLong() || !s.isIntegralNumber()) {
                    throw bad(where, "\"seeds\" must hold integers, got " + s);
                }
                if (seeds.contains(s.asLong())) {
                    throw bad(where, "seed " + s.asLong() + " is listed twice");
                }
                seeds.add(s.asLong());
            }
        }
        int retries = root.path("max_retries").asInt(DEFAULT_MAX_RETRIES);
        if (retries < 0) {
            throw bad(where, "\"max_retries\" must be >= 0, got " + retries);
        }
        return new SweepSpec(command, configs, seeds, base, retries);
    }

    private static List<Map<String, String>> randomSamples(JsonNode random, List<Map<String, String>> configs,
                                                           long randomSeed, String where) {
        if (!random.isObject()) {
            throw bad(where, "\"random\" must map config keys to distributions, plus \"samples\"");
        }
        int samples = random.path("samples").asInt(0);
        if (samples < 1) {
            throw bad(where, "random.samples must be an integer >= 1");
        }
        Map<String, SplittableRandom> streams = new LinkedHashMap<>();
        Map<String, JsonNode> dists = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = random.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("samples")) {
                continue;
            }
            JsonNode d = e.getValue();
            String kind = d.isObject() && d.size() == 1 ? d.fieldNames().next() : "";
            JsonNode args = d.path(kind);
            boolean range = kind.equals("uniform") || kind.equals("log_uniform") || kind.equals("int_uniform");
            if (range ? !(args.isArray() && args.size() == 2 && args.get(0).isNumber() && args.get(1).isNumber()
                    && args.get(0).asDouble() < args.get(1).asDouble()
                    && (!kind.equals("log_uniform") || args.get(0).asDouble() > 0))
                    : !(kind.equals("choice") && args.isArray() && !args.isEmpty())) {
                throw bad(where, "random." + e.getKey() + " must be {\"uniform\": [low, high]}, {\"log_uniform\": "
                        + "[low > 0, high]}, {\"int_uniform\": [low, high]} or {\"choice\": [values...]}");
            }
            dists.put(e.getKey(), d);
            streams.put(e.getKey(), new SplittableRandom(Seeds.of(randomSeed, "sweep:" + e.getKey())));
        }
        if (dists.isEmpty()) {
            throw bad(where, "\"random\" names no config key");
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> c : configs) {
            for (int i = 0; i < samples; i++) {
                Map<String, String> m = new LinkedHashMap<>(c);
                for (Map.Entry<String, JsonNode> e : dists.entrySet()) {
                    m.put(e.getKey(), draw(e.getValue(), streams.get(e.getKey())));
                }
                out.add(m);
            }
        }
        return out;
    }

    private static String draw(JsonNode d, SplittableRandom rng) {
        String kind = d.fieldNames().next();
        JsonNode a = d.get(kind);
        double lo = a.get(0).asDouble();
        double hi = a.size() > 1 ? a.get(1).asDouble() : lo;
        return switch (kind) {
            case "uniform" -> fmt(lo + (hi - lo) * rng.nextDouble());
            case "log_uniform" -> fmt(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rng.nextDouble()));
            case "int_uniform" -> Long.toString((long) lo + rng.nextLong((long) hi - (long) lo + 1));
            default -> text(a.get(rng.nextInt(a.size())));
        };
    }

    /** Six significant digits: the value the run's config gets, and the one its label shows. */
    private static String fmt(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** A value as the command line gets it: strings as they are, numbers as written (0.0003, not 3.0E-4). */
    private static String text(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        return v.isFloatingPointNumber()
                ? java.math.BigDecimal.valueOf(v.doubleValue()).stripTrailingZeros().toPlainString() : v.toString();
    }

    private static IllegalArgumentException bad(String where, String what) {
        return new IllegalArgumentException("sweep spec " + where + ": " + what);
    }

    /** The runs, configuration by configuration, seed by seed. */
    public List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        for (int c = 0; c < configs.size(); c++) {
            for (long seed : seeds) {
                List<String> args = new ArrayList<>(baseArgs);
                for (Map.Entry<String, String> e : configs.get(c).entrySet()) {
                    args.add("--set");
                    args.add(e.getKey() + "=" + e.getValue());
                }
                args.add("--seed");
                args.add(Long.toString(seed));
                runs.add(new Run(String.format(Locale.ROOT, "c%02d-s%d", c, seed), c, seed, List.copyOf(args)));
            }
        }
        return runs;
    }

    /** A configuration's label, e.g. {@code sac.policy_lr=0.001}; "base" when the sweep varies only seeds. */
    public String label(int config) {
        Map<String, String> m = configs.get(config);
        if (m.isEmpty()) {
            return "base";
        }
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }
}
