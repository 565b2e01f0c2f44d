package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.armature.cluster.ChildProcess;
import org.armature.cluster.MemberProcess;
import org.armature.cluster.SweepSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep of 12 short runs on a loopback cluster of 3 member processes, one of them killed (SIGKILL) after it
 * stored a checkpoint: the sweep completes, every run equals the same run executed locally, and no member or run
 * process is left.
 */
class SweepClusterTest {

    private final List<Member> members = new ArrayList<>();

    /** A member process and the lines it printed. */
    record Member(Process process, List<String> lines) {
        boolean printed(String text) {
            return lines.stream().anyMatch(l -> l.contains(text));
        }
    }

    static Member startMember(String cluster, int port, int communicationPort, String join) throws IOException {
        List<String> args = new ArrayList<>(List.of("--cluster-name", cluster, "--port", Integer.toString(port),
                "--communication-port", Integer.toString(communicationPort), "--workers", "1",
                "--failure-detection-ms", "3000"));
        if (join != null) {
            args.addAll(List.of("--join", join));
        }
        List<String> lines = new CopyOnWriteArrayList<>();
        return new Member(MemberProcess.start(args, lines::add), lines);
    }

    static void await(Member m, String text, long seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!m.printed(text)) {
            assertTrue(m.process().isAlive() || m.printed(text), "member ended: " + m.lines());
            assertTrue(System.nanoTime() < end, "no '" + text + "' within " + seconds + " s: " + m.lines());
            Thread.sleep(50);
        }
    }

    @AfterEach
    void stopMembers() throws InterruptedException {
        for (Member m : members) {
            m.process().destroyForcibly();
            m.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void twelveRunsFinishWithAMemberKilledAndEqualLocalRuns(@TempDir Path tmp) throws Exception {
        String cluster = "sweep-test-" + ProcessHandle.current().pid();
        Member a = startMember(cluster, 47731, 47732, null);
        members.add(a);
        await(a, "member 127.0.0.1:47731", 60);
        Member b = startMember(cluster, 47733, 47734, "127.0.0.1:47731");
        Member c = startMember(cluster, 47735, 47736, "127.0.0.1:47731");
        members.add(b);
        members.add(c);
        await(b, "member 127.0.0.1:47733", 60);
        await(c, "member 127.0.0.1:47735", 60);

        Path spec = tmp.resolve("sweep.json");
        Files.writeString(spec, "{" + SweepCommandTest.TINY_TRAIN.replace("\"learning_starts\": 100",
                "\"learning_starts\": 100, \"batch_size\": 16") + ", \"grid\": {\"sac.policy_lr\": [0.0003, 0.001]}, "
                + "\"seeds\": [1, 2, 3, 4, 5, 6]}");
        Path out = tmp.resolve("out");
        CompletableFuture<CoreCommandsTest.Result> sweep = CompletableFuture.supplyAsync(() -> CoreCommandsTest.run(
                "sweep", "--spec", spec.toString(), "--out", out.toString(), "--join", "127.0.0.1:47731",
                "--cluster-name", cluster, "--poll-ms", "100"));

        // kill member b (SIGKILL) once it stored the checkpoint of its second run: halfway through its share
        long end = System.nanoTime() + 180_000_000_000L;
        while (b.lines().stream().filter(l -> l.contains("stored the checkpoint of"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).distinct().count() < 2) {
            assertTrue(System.nanoTime() < end && !sweep.isDone(), "member b stored no second checkpoint: "
                    + b.lines() + (sweep.isDone() ? sweep.get().out() + sweep.get().err() : ""));
            Thread.sleep(20);
        }
        b.process().destroyForcibly();
        b.process().waitFor(10, TimeUnit.SECONDS);

        CoreCommandsTest.Result r = sweep.get(240, TimeUnit.SECONDS);
        System.out.println(r.out());
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> rows = Files.readAllLines(out.resolve("runs.csv"));
        assertEquals(13, rows.size(), String.join("\n", rows));
        assertTrue(rows.stream().skip(1).allMatch(l -> l.split(",")[3].equals("finished")), String.join("\n", rows));
        assertTrue(rows.stream().skip(1).anyMatch(l -> l.split(",")[6].equals("true")),
                "a run of the killed member continued from its stored checkpoint elsewhere: " + String.join("\n", rows)
                        + "\n" + a.lines() + "\n" + c.lines());
        assertTrue(Files.isRegularFile(out.resolve("summary.csv")) && Files.isRegularFile(out.resolve("curves.png")));

        // every run equals the same run executed here
        for (SweepSpec.Run run : SweepSpec.read(spec).runs()) {
            Path local = tmp.resolve("local").resolve(run.name());
            List<String> args = new ArrayList<>(List.of("train"));
            args.addAll(run.args());
            args.addAll(List.of("--run-dir", local.toString()));
            CoreCommandsTest.Result lr = CoreCommandsTest.run(args.toArray(new String[0]));
            assertEquals(0, lr.code(), lr.err());
            assertSameResult(local, out.resolve("runs").resolve(run.name()));
        }

        // nothing left running: the members stop, the killed member's run processes ended with it
        for (Member m : List.of(a, c)) {
            m.process().destroy();
            assertTrue(m.process().waitFor(30, TimeUnit.SECONDS), "member stops on SIGTERM");
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Long> pids = members.stream().map(m -> m.process().pid()).toList();
        while (!leftovers(cluster, pids).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(Set.of(), leftovers(cluster, pids));
    }

    /** Processes of this test still alive: its members (their cluster name) and the run processes they started. */
    static Set<String> leftovers(String cluster, List<Long> memberPids) {
        Set<String> alive = new TreeSet<>();
        ProcessHandle.allProcesses().forEach(p -> {
            String line = p.info().commandLine().orElse("");
            boolean run = memberPids.stream().anyMatch(m -> line.contains(ChildProcess.PARENT_PID + "=" + m + " "));
            if (p.isAlive() && (line.contains(cluster) || run)) {
                alive.add(p.pid() + " " + line.substring(0, Math.min(200, line.length())));
            }
        });
        return alive;
    }

    /** Same final evaluation, same steps and updates, same policy weights. */
    static void assertSameResult(Path expected, Path actual) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode e = json.readTree(expected.resolve("result.json").toFile());
        JsonNode a = json.readTree(actual.resolve("result.json").toFile());
        for (String k : new String[]{"env_steps", "updates", "final_eval_return_mean", "final_eval_return_std"}) {
            assertEquals(e.get(k).asText(), a.get(k).asText(), k + " of " + actual);
        }
        try (Stream<Path> files = Files.list(expected.resolve("bundle"))) {
            for (Path f : files.filter(p -> !p.getFileName().toString().endsWith(".json")).toList()) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(actual.resolve("bundle")
                        .resolve(f.getFileName())), f.getFileName() + " of " + actual);
            }
        }
    }
}
