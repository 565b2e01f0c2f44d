package org.armature.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterGroup;
import org.armature.cluster.ClusterBench;
import org.armature.cluster.ClusterException;
import org.armature.cluster.MemberConfig;
import org.armature.envs.Envs;
import org.armature.cluster.Members;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armature bench cluster}: per-task and per-transition cost of the cluster path on loopback (or --join). */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Per-task and per-transition cost of Ignite jobs between two members: an empty task's round "
                + "trip (one at a time, and many in flight), transitions sent back in batches, and the start of a "
                + "run's child process.",
                "  armature bench cluster                          # a second member on loopback, started here",
                "  armature bench cluster --join 10.0.0.2:47500 --tls keys/member-1.p12"})
public final class BenchClusterCommand implements Callable<Integer> {

    @Option(names = "--tasks", defaultValue = "1000", description = "empty tasks timed (default: ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--in-flight", defaultValue = "64", description = "tasks submitted at once (default: "
            + "${DEFAULT-VALUE})")
    int inFlight;

    @Option(names = "--batch", defaultValue = "1000", description = "transitions per batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--batches", defaultValue = "200", description = "batches timed (default: ${DEFAULT-VALUE})")
    int batches;

    @Option(names = "--obs", defaultValue = "11", description = "observation size (default: ${DEFAULT-VALUE}, "
            + "Hopper-v1)")
    int obs;

    @Option(names = "--act", defaultValue = "3", description = "action size (default: ${DEFAULT-VALUE}, Hopper-v1)")
    int act;

    @Option(names = "--env", paramLabel = "ID", description = "also compare env steps/s of rollout workers under a SAC "
            + "policy here and on the other member (train --rollout-workers), batches of --batch steps sent back "
            + "(e.g. Hopper-v1)")
    String env;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
            description = "with --env: rollout threads here, and worker threads of the other member (default: "
                    + "${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--seconds", defaultValue = "10", description = "with --env: seconds each side is timed "
            + "(default: ${DEFAULT-VALUE})")
    double seconds;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        if (env != null) {
            Envs.make(env).close(); // an unknown id fails here, before any member starts
            if (workers < 1 || !(seconds > 0)) {
                throw new IllegalArgumentException("--workers must be >= 1 and --seconds > 0");
            }
        }
        if (tasks < 1 || inFlight < 1 || batch < 1 || batches < 1 || obs < 1 || act < 1) {
            throw new IllegalArgumentException("--tasks, --in-flight, --batch, --batches, --obs and --act must be "
                    + ">= 1");
        }
        int floats = 2 * obs + act + 3; // observation, action, reward, terminal, timeout, next observation
        Process second = null;
        MemberConfig c;
        if (cluster.join.isEmpty()) {
            int port = ClusterOptions.freePort();
            c = cluster.config().withClusterName("bench-" + ProcessHandle.current().pid())
                    .withBind("127.0.0.1", port, ClusterOptions.freePort()).withWorkers(1);
            second = startSecondMember(c);
        } else {
            c = cluster.clientConfig();
        }
        try (Ignite ignite = Members.start(c)) {
            if (second != null) {
                awaitServers(ignite, 2);
            }
            ClusterGroup target = second != null ? ignite.cluster().forRemotes().forServers()
                    : ignite.cluster().forServers();
            ClusterBench.Result r = ClusterBench.run(ignite, target, tasks, inFlight, batch, floats, batches);
            System.out.printf(Locale.ROOT, "empty task round trip, one at a time: %.3f ms (%d tasks)%n", r.taskMillis(),
                    r.tasks());
            System.out.printf(Locale.ROOT, "empty task, %d in flight:            %.3f ms per task%n", r.inFlight(),
                    r.batchedTaskMillis());
            System.out.printf(Locale.ROOT, "transitions (%d B each) in batches of %d: %.3f us per transition, %.0f "
                            + "transitions/s, %.1f MB/s%n", r.bytesPerTransition(), r.batch(), r.transitionMicros(),
                    r.transitionsPerSecond(), r.megabytesPerSecond());
            System.out.printf(Locale.ROOT, "child process of a run (armature --version): %.2f s%n",
                    r.childStartSeconds());
            if (env != null) {
                double[] steps = ClusterBench.rollouts(ignite, target, env, workers, batch, seconds);
                System.out.printf(Locale.ROOT, "%s env steps/s under a SAC 2x256 policy, %d rollout worker(s): here "
                        + "%.0f, on the other member delivered here in batches of %d %.0f (%.1f%%); the remote workers "
                        + "stepped %.0f%% of the time%n", env, workers, steps[0], batch, steps[1],
                        100 * steps[1] / steps[0], 100 * steps[2]);
            }
        } finally {
            if (second != null) {
                second.destroy();
                if (!second.waitFor(20, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
        }
        return 0;
    }

    /** A second member in its own process (it ends with this one), joining the member this process starts. */
    private Process startSecondMember(MemberConfig first) throws Exception {
        return org.armature.cluster.MemberProcess.start(List.of("--cluster-name", first.clusterName(), "--port",
                Integer.toString(ClusterOptions.freePort()), "--communication-port",
                Integer.toString(ClusterOptions.freePort()), "--workers", Integer.toString(workers), "--join", "127.0.0.1:"
                        + first.discoveryPort(), "--join-timeout-ms", "60000"), line -> { });
    }

    private static void awaitServers(Ignite ignite, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (ignite.cluster().forServers().nodes().size() < n) {
            if (System.nanoTime() > end) {
                throw new ClusterException("the second member did not join within 90 s");
            }
            Thread.sleep(50);
        }
    }
}
