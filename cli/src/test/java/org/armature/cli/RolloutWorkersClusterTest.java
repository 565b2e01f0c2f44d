package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.armature.cli.SweepClusterTest.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code armature train --rollout-workers N --join}: SAC's envs stepped by workers on member processes of a loopback
 * cluster, the learner joined as a client; one test kills a member mid-run and the run finishes on the other.
 */
class RolloutWorkersClusterTest {

    private final List<Member> members = new ArrayList<>();

    @AfterEach
    void stopMembers() throws InterruptedException {
        for (Member m : members) {
            m.process().destroyForcibly();
            m.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> trainArgs(Path run, String cluster, long steps) {
        return new ArrayList<>(List.of("train", "--algo", "sac", "--env", "Pendulum-v1", "--steps",
                Long.toString(steps), "--seed", "1", "--run-dir", run.toString(), "--rollout-workers", "2",
                "--join", "127.0.0.1:47771", "--cluster-name", cluster, "--failure-detection-ms", "3000",
                "--set", "learning_starts=400", "--set", "eval_interval=1000", "--set", "eval_episodes=2",
                "--set", "batch_size=32", "--set", "sac.actor_hidden=[32,32]", "--set", "sac.critic_hidden=[32,32]",
                "--set", "rollouts.batch_steps=100"));
    }

    private static JsonNode result(Path run) throws Exception {
        return new ObjectMapper().readTree(run.resolve("result.json").toFile());
    }

    @Test
    void sacTrainsOnTwoWorkersOfAnotherMemberAndLeavesNothingRunning(@TempDir Path tmp) throws Exception {
        String cluster = "rollout-test-" + ProcessHandle.current().pid();
        Member a = SweepClusterTest.startMember(cluster, 47771, 47772, null);
        members.add(a);
        SweepClusterTest.await(a, "member 127.0.0.1:47771", 60);
        Path run = tmp.resolve("run");
        CoreCommandsTest.Result r = CoreCommandsTest.run(trainArgs(run, cluster, 2000).toArray(new String[0]));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("on 2 rollout workers"), r.out());
        assertEquals(2000, result(run).get("env_steps").asLong());
        assertEquals(1600, result(run).get("updates").asLong());
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        int lag = List.of(lines.get(0).split(",", -1)).indexOf("policy_lag");
        assertTrue(lag >= 0, lines.get(0));
        // 2,000 steps of 200-step episodes in batches of 100 from two workers: how the steps split between the
        // workers depends on which batch arrives first, and floor(a / 200) + floor((2000 - a) / 200) is 9 or 10
        long episodes = lines.stream().skip(1).filter(l -> !l.split(",", -1)[2].isEmpty()).count();
        assertTrue(episodes == 9 || episodes == 10, "2000 steps of 200-step episodes: " + lines);
        assertTrue(lines.stream().skip(1).allMatch(l -> Long.parseLong(l.split(",", -1)[lag]) >= 0));
        assertTrue(Files.isRegularFile(run.resolve("bundle").resolve("bundle.json")));

        CoreCommandsTest.Result status = CoreCommandsTest.run("cluster", "status", "--join", "127.0.0.1:47771",
                "--cluster-name", cluster);
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("0 running job(s)"), "the workers ended with the run: " + status.out());

        // wrong input: a run that cannot act on workers, and --join without workers; neither writes anything
        Path bad = tmp.resolve("bad");
        List<String> srl = trainArgs(bad, cluster, 1000);
        srl.set(srl.indexOf("sac"), "srl");
        r = CoreCommandsTest.run(srl.toArray(new String[0]));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("rollout workers run sac and td3"), r.err());
        r = CoreCommandsTest.run("train", "--algo", "sac", "--env", "Pendulum-v1", "--steps", "100", "--run-dir",
                bad.toString(), "--join", "127.0.0.1:47771");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("add --rollout-workers"), r.err());
        assertTrue(!Files.exists(bad), "nothing written for refused input");
    }

    @Test
    void aKilledMembersWorkerContinuesOnAnotherMember(@TempDir Path tmp) throws Exception {
        String cluster = "rollout-kill-" + ProcessHandle.current().pid();
        Member a = SweepClusterTest.startMember(cluster, 47771, 47772, null);
        members.add(a);
        SweepClusterTest.await(a, "member 127.0.0.1:47771", 60);
        Member b = SweepClusterTest.startMember(cluster, 47773, 47774, "127.0.0.1:47771");
        members.add(b);
        SweepClusterTest.await(b, "member 127.0.0.1:47773", 60);
        Path run = tmp.resolve("run");
        CompletableFuture<CoreCommandsTest.Result> train = CompletableFuture.supplyAsync(() -> CoreCommandsTest.run(
                trainArgs(run, cluster, 8000).toArray(new String[0])));
        // kill member b (SIGKILL) once a fifth of the run is in metrics.csv
        long end = System.nanoTime() + 120_000_000_000L;
        Path metrics = run.resolve("metrics.csv");
        while (!Files.exists(metrics) || Files.readAllLines(metrics).size() < 9) {
            assertTrue(System.nanoTime() < end && !train.isDone(), "the run did not get going: "
                    + (train.isDone() ? train.get().out() + train.get().err() : ""));
            Thread.sleep(20);
        }
        b.process().destroyForcibly();
        b.process().waitFor(10, TimeUnit.SECONDS);
        CoreCommandsTest.Result r = train.get(180, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("left; continuing on 127.0.0.1:47771"), r.out());
        assertEquals(8000, result(run).get("env_steps").asLong());
        long pid = a.process().pid();
        a.process().destroy();
        assertTrue(a.process().waitFor(30, TimeUnit.SECONDS), "member stops on SIGTERM");
        assertEquals(Set.of(), SweepClusterTest.leftovers(cluster, List.of(pid, b.process().pid())));
    }
}
