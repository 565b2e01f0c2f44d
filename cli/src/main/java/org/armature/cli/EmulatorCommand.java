package org.armature.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.armature.bridge.Deployments;
import org.armature.bridge.NetworkFaults;
import org.armature.bridge.ReachTask;
import org.armature.bridge.RobotServer;
import org.armature.bridge.SimulatedRobot;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature emulator}: a simulated robot served over the UDP robot protocol, with fault injection. */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = {"Serve an env's physics in real time over the UDP robot protocol (the robot's digital twin),"
                + " with the robot-side watchdog and fault injection.",
                "Prints at the end how many commands it received and how many were unsafe (beyond the robot's "
                        + "position or speed limits)."})
public final class EmulatorCommand implements Callable<Integer> {

    @Option(names = "--env", defaultValue = "Reach-v1", description = "env id (default: ${DEFAULT-VALUE})")
    String envId;

    @Option(names = "--port", defaultValue = "7600", description = "UDP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes the robot to the network)")
    String bind;

    @Option(names = "--seed", defaultValue = "0", description = "env reset seed: the arm's start pose (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--target", description = "Reach target x,y,z in metres that the reported reward measures "
            + "the distance to; give deploy the same --target (default: deploy's default, 0.45,0,0.4)")
    String target;

    @Option(names = "--duration", defaultValue = "0", description = "serve this many seconds (default: until Ctrl-C)")
    double durationSeconds;

    @Option(names = "--watchdog-ms", defaultValue = "100",
            description = "hold the arm when no command arrived for this long (default: ${DEFAULT-VALUE})")
    double watchdogMillis;

    @Option(names = "--realtime", description = "try to run the robot and receiver threads at SCHED_FIFO 70/69 (chrt)")
    boolean realtime;

    @Option(names = "--key-file", description = "shared HMAC-SHA256 key (same file as deploy's --key-file)")
    Path keyFile;

    @Option(names = "--latency-ms", defaultValue = "0", description = "added one-way latency, both directions")
    double latencyMs;

    @Option(names = "--jitter-ms", defaultValue = "0", description = "uniform +- jitter on the added latency")
    double jitterMs;

    @Option(names = "--drop", defaultValue = "0", description = "probability that a datagram is lost")
    double drop;

    @Option(names = "--reorder", defaultValue = "0", description = "probability that a datagram is held back")
    double reorder;

    @Option(names = "--corrupt", defaultValue = "0", description = "probability that a byte of a datagram is flipped")
    double corrupt;

    @Option(names = "--freeze-after", defaultValue = "0", description = "stop answering after this many seconds")
    double freezeAfter;

    @Option(names = "--crash-after", defaultValue = "0", description = "die after this many seconds")
    double crashAfter;

    @Option(names = "--fault-seed", defaultValue = "1", description = "seed of the injected faults (default: ${DEFAULT-VALUE})")
    long faultSeed;

    @Override
    public Integer call() throws Exception {
        Errors.requireEnv(envId);
        if (port < 0 || port > 65535) {
            throw new Errors.UserException("--port must be 0-65535, got " + port);
        }
        if (!(durationSeconds >= 0) || !(watchdogMillis > 0)) {
            throw new Errors.UserException("--duration must be >= 0 and --watchdog-ms > 0");
        }
        NetworkFaults faults = new NetworkFaults(latencyMs, jitterMs, drop, reorder, corrupt, freezeAfter, crashAfter,
                faultSeed);
        byte[] key = BridgeOptions.readKey(keyFile);
        double[] targetM = target == null ? ReachTask.DEFAULT_TARGET : ReachTask.parseTarget(target);
        SimulatedRobot robot = new SimulatedRobot(Deployments.twinFor(envId, targetM), seed,
                Deployments.robotFor(envId), watchdogMillis);
        RobotServer server = new RobotServer(robot, new InetSocketAddress(bind, port), key, faults);
        InetSocketAddress at;
        try {
            at = server.start();
        } catch (java.net.BindException e) {
            throw new Errors.UserException("cannot bind udp://" + bind + ":" + port + " (" + e.getMessage() + ")");
        }
        if (realtime) {
            Thread.sleep(50);
            long[] tids = server.threadIds();
            for (int i = 0; i < 2; i++) {
                if (tids[i] > 0) {
                    Process p = new ProcessBuilder("chrt", "-f", "-p", Integer.toString(70 - i),
                            Long.toString(tids[i])).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes()).trim();
                    System.out.println(p.waitFor() == 0 ? "emulator: thread " + tids[i] + " at SCHED_FIFO " + (70 - i)
                            : "emulator: real-time priority not available (" + out.replace('\n', ' ') + ")");
                }
            }
        }
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch printed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            done.countDown();
            try {
                printed.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // exiting
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.printf(java.util.Locale.ROOT, "emulator: serving %s on udp://%s:%d (target %.3f,%.3f,%.3f m, "
                        + "watchdog %.0f ms%s%s)%n", envId, at.getAddress().getHostAddress(), at.getPort(),
                targetM[0], targetM[1], targetM[2], watchdogMillis, key != null ? ", HMAC" : "",
                faults.any() || freezeAfter > 0 || crashAfter > 0 ? ", faults " + faults : "");
        System.out.flush();
        long end = durationSeconds > 0 ? System.nanoTime() + (long) (durationSeconds * 1e9) : Long.MAX_VALUE;
        while (!server.crashed() && System.nanoTime() < end && !done.await(100, TimeUnit.MILLISECONDS)) {
            // serving
        }
        boolean crashed = server.crashed();
        server.close();
        Map<String, Long> c = server.counters();
        System.out.printf("emulator: %d commands received, %d accepted, %d expired, %d unsafe; %d watchdog stops; "
                        + "%d states sent; %d sessions%n", c.get("commands_received"), c.get("commands_accepted"),
                c.get("commands_expired"), c.get("unsafe_commands"), c.get("watchdog_stops"), c.get("states_sent"),
                c.get("sessions"));
        StringBuilder drops = new StringBuilder();
        c.forEach((k, v) -> {
            if ((k.startsWith("dropped_") || k.startsWith("injected_")) && v > 0) {
                drops.append(' ').append(k).append('=').append(v);
            }
        });
        System.out.println("emulator: packets:" + (drops.length() == 0 ? " none dropped" : drops));
        System.out.flush();
        printed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        if (crashed) {
            System.err.println("error: emulator crashed (injected by --crash-after " + crashAfter + ")");
            return 1;
        }
        return 0;
    }
}
