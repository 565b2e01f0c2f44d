package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden checks of the training stack: fixed-seed runs of SAC and TD3 (Pendulum-v1, 2,000 env steps) and of BC,
 * TD3+BC, IQL and CQL (the Pendulum suite's medium-expert dataset, 500 gradient steps) must reproduce the recorded
 * metrics (wall-clock columns dropped, numbers to 6 significant digits), evaluations, bundle weights (SHA-256) and bundle policy description exactly.
 *
 * <p>The recorded values live in {@code src/test/resources/golden/online.golden} and {@code offline.golden}. A change that alters random streams
 * or numerics on purpose regenerates them in its own commit with {@code -Dgolden.update=true} (see agents/README.md,
 * "Golden checks").
 */
class GoldenRunsTest {

    private static final Path GOLDEN_DIR = Path.of("src/test/resources/golden");
    /** Columns that measure time, not learning. */
    private static final Set<String> TIME_COLUMNS = Set.of("wall_seconds", "wall_s", "updates_per_second");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onlineRunsReproduceTheGoldenRecord(@TempDir Path dir) throws Exception {
        StringBuilder record = new StringBuilder();
        for (String algo : List.of("sac", "td3")) {
            Path out = dir.resolve("online-" + algo);
            CoreCommandsTest.Result r = CoreCommandsTest.run("train", "--algo", algo, "--env", "Pendulum-v1",
                    "--steps", "2000", "--seed", "1", "--out", out.toString(), "--set", "learning_starts=500",
                    "--set", "eval_interval=1000", "--set", "eval_episodes=2", "--set", "checkpoint_interval=0");
            assertEquals(0, r.code(), r.err());
            Path run;
            try (Stream<Path> s = Files.list(out)) {
                run = s.filter(Files::isDirectory).findFirst().orElseThrow();
            }
            describeRun(record, "train " + algo, run);
        }
        compare("online.golden", record.toString());
    }

    @Test
    void offlineRunsReproduceTheGoldenRecord(@TempDir Path dir) throws Exception {
        StringBuilder record = new StringBuilder();
        Path data = dir.resolve("data");
        CoreCommandsTest.Result built = CoreCommandsTest.run("datasets", "build", "--suite", "pendulum", "--env",
                "Pendulum-v1", "--out", data.toString(), "--seed", "0");
        assertEquals(0, built.code(), built.err());
        Path dataset = data.resolve("pendulum-v1-medium-expert.h5");
        for (String algo : List.of("bc", "td3bc", "iql", "cql")) {
            Path run = dir.resolve("offline-" + algo);
            CoreCommandsTest.Result r = CoreCommandsTest.run("offline", "--algo", algo, "--dataset",
                    dataset.toString(), "--env", "Pendulum-v1", "--steps", "500", "--seed", "0", "--eval-every",
                    "250", "--eval-episodes", "2", "--log-every", "50", "--run-dir", run.toString());
            assertEquals(0, r.code(), r.err());
            describeRun(record, "offline " + algo, run);
        }
        compare("offline.golden", record.toString());
    }

    private static void compare(String file, String actual) throws IOException {
        Path golden = GOLDEN_DIR.resolve(file);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        String expected = Files.readString(golden, StandardCharsets.UTF_8);
        assertEquals(expected, actual, "training runs differ from " + golden
                + " (regenerate on purpose with -Dgolden.update=true, in its own commit)");
    }

    /** Appends the run's CSVs (time columns dropped), weight-file digests and bundle policy description. */
    private static void describeRun(StringBuilder sb, String name, Path run) throws IOException {
        sb.append("== ").append(name).append('\n');
        for (String csv : List.of("metrics.csv", "eval.csv")) {
            Path f = run.resolve(csv);
            if (Files.exists(f)) {
                sb.append("-- ").append(csv).append('\n').append(withoutTimeColumns(Files.readAllLines(f)));
            }
        }
        Path bundle = run.resolve("bundle");
        try (Stream<Path> s = Files.list(bundle)) {
            for (Path f : s.sorted().toList()) {
                if (!f.getFileName().toString().equals("bundle.json")) {
                    sb.append("-- sha256 ").append(f.getFileName()).append(' ').append(sha256(f)).append('\n');
                }
            }
        }
        JsonNode spec = JSON.readTree(bundle.resolve("bundle.json").toFile());
        TreeMap<String, String> policy = new TreeMap<>();
        JsonNode p = spec.get("policy");
        policy.put("policy.type", p.get("type").asText());
        policy.put("policy.layers", p.get("layers").toString());
        policy.put("policy.logStd", String.valueOf(p.get("logStd")));
        policy.put("observationSpace", spec.get("observationSpace").toString());
        policy.put("actionSpace", spec.get("actionSpace").toString());
        JsonNode norm = spec.get("observationNormalization");
        policy.put("observationNormalization", norm == null ? "null"
                : norm.get("mean") + " " + norm.get("std") + " " + norm.get("clip").asDouble());
        policy.put("controlDtSeconds", Double.toString(spec.get("controlDtSeconds").asDouble()));
        policy.forEach((k, v) -> sb.append("-- bundle ").append(k).append(' ').append(v).append('\n'));
    }

    static String withoutTimeColumns(List<String> lines) {
        if (lines.isEmpty()) {
            return "";
        }
        String[] header = lines.get(0).split(",", -1);
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < header.length; i++) {
            if (!TIME_COLUMNS.contains(header[i])) {
                keep.add(i);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            for (int k = 0; k < keep.size(); k++) {
                sb.append(k > 0 ? "," : "").append(keep.get(k) < cells.length ? number(cells[keep.get(k)]) : "");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * A numeric cell at 6 significant digits, so that how a writer formats numbers does not matter (the weight
     * digests catch any numerical difference); other cells unchanged.
     */
    private static String number(String cell) {
        try {
            return String.format(java.util.Locale.ROOT, "%.6g", Double.parseDouble(cell));
        } catch (NumberFormatException e) {
            return cell;
        }
    }

    private static String sha256(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
