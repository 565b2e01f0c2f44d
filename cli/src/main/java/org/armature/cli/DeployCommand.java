package org.armature.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.armature.agents.Policy;
import org.armature.bridge.ControlLoop;
import org.armature.bridge.DeploymentRecorder;
import org.armature.bridge.DeploymentTask;
import org.armature.bridge.Deployments;
import org.armature.bridge.InferenceEngine;
import org.armature.bridge.LatencyHistogram;
import org.armature.bridge.ReachTask;
import org.armature.bridge.RobotLink;
import org.armature.bridge.RobotModel;
import org.armature.bridge.Ros1Config;
import org.armature.bridge.Ros1Link;
import org.armature.bridge.Ros2Config;
import org.armature.bridge.Ros2Link;
import org.armature.bridge.SafetyConfig;
import org.armature.bridge.SafetyLayer;
import org.armature.bridge.SimLink;
import org.armature.bridge.SimulatedRobot;
import org.armature.bridge.StopReason;
import org.armature.bridge.UdpRobotLink;
import org.armature.agents.data.DatasetMetadata;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature deploy}: runs a policy bundle on the real-time control loop against a robot link. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Run a policy bundle on a fixed-rate control loop with the safety layer, against the in-process"
                + " simulated robot (sim://ENV), a robot speaking the UDP protocol (udp://HOST:PORT, e.g. "
                + "`armature emulator`), a ROS 1 robot (ros1://MASTER_HOST:PORT?state=/joint_states&command="
                + "/arm/command&joints=map.json) or a ROS 2 robot over DDS (ros2://DOMAIN_ID?state=/joint_states&"
                + "command=/arm/command&joints=map.json); see hardware-bridge/README.md.",
                "Exit codes: 0 when the duration ended, 5 after a safe stop (the reason is printed), 1 for bad input."})
public final class DeployCommand implements Callable<Integer> {

    static final int SAFE_STOP_EXIT = 5;

    @Option(names = "--bundle", required = true, description = "policy bundle directory")
    Path bundle;

    @Option(names = "--link", required = true, description = "sim://ENV | udp://HOST:PORT | "
            + "ros1://MASTER_HOST:PORT?state=TOPIC&command=TOPIC&joints=MAP.json|j1,j2,..[&type=JointTrajectory|"
            + "Float64MultiArray][&node=/NAME][&ip=ADDR] | ros2://DOMAIN_ID?state=TOPIC&command=TOPIC&joints=MAP.json|"
            + "j1,j2,..[&type=JointTrajectory|Float64MultiArray][&state_qos=best_effort|reliable][&node=NAME] "
            + "(quote it in a shell)")
    String link;

    @Option(names = "--rate", defaultValue = "500", description = "command rate in Hz (default: ${DEFAULT-VALUE})")
    double rateHz;

    @Option(names = "--duration", defaultValue = "10", description = "seconds; 0 = until stopped (default: ${DEFAULT-VALUE})")
    double durationSeconds;

    @Option(names = "--safety", description = "per-robot safety config (JSON); missing fields take the robot's defaults")
    Path safetyFile;

    @Option(names = "--print-safety", description = "print the resolved safety config (a starting point for --safety) and exit")
    boolean printSafety;

    @Option(names = "--record", description = "record the deployment as a D4RL-layout dataset (.h5)")
    Path record;

    @Option(names = "--env", description = "task of the bundle (default: the bundle's provenance env id)")
    String envOverride;

    @Option(names = "--target", description = "Reach target x,y,z in metres (default: 0.45,0,0.4)")
    String target;

    @Option(names = "--interpolation", defaultValue = "linear",
            description = "between policy decisions: linear | hold (default: ${DEFAULT-VALUE})")
    String interpolation;

    @Option(names = "--spin-us", defaultValue = "300",
            description = "busy-spin this long before each tick (default: ${DEFAULT-VALUE})")
    long spinMicros;

    @Option(names = "--realtime", description = "try to give the loop thread SCHED_FIFO priority with chrt")
    boolean realtime;

    @Option(names = "--key-file", description = "shared HMAC-SHA256 key for the UDP link (same file as the robot's)")
    Path keyFile;

    @Option(names = "--seed", defaultValue = "0", description = "sim:// only: the simulated arm's start pose seed")
    long seed;

    @Option(names = "--quiet", description = "no live line, only the summary")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Deployments.BundleInfo info = Deployments.bundleInfo(bundle);
        String envId;
        boolean sim = link.startsWith("sim://");
        if (sim) {
            envId = link.substring("sim://".length());
            if (envOverride != null && !envOverride.equals(envId)) {
                throw new Errors.UserException("--env " + envOverride + " contradicts --link " + link);
            }
        } else if (link.startsWith("udp://") || link.startsWith(Ros1Config.SCHEME)
                || link.startsWith(Ros2Config.SCHEME)) {
            envId = envOverride != null ? envOverride : info.envId();
            if (envId == null) {
                throw new Errors.UserException("the bundle does not name its env; give --env");
            }
        } else {
            throw new Errors.UserException("--link must be sim://ENV, udp://HOST:PORT, ros1://MASTER_HOST:PORT?... or "
                    + "ros2://DOMAIN_ID?..., got '" + link + "'");
        }
        Errors.requireEnv(envId);
        if (info.envId() != null && !info.envId().equals(envId)) {
            throw new Errors.UserException("the bundle was trained on " + info.envId() + ", not " + envId);
        }
        if (!(durationSeconds >= 0)) {
            throw new Errors.UserException("--duration must be >= 0, got " + durationSeconds);
        }
        ControlLoop.Interpolation interp = switch (interpolation.toLowerCase(Locale.ROOT)) {
            case "linear" -> ControlLoop.Interpolation.LINEAR;
            case "hold" -> ControlLoop.Interpolation.HOLD;
            default -> throw new Errors.UserException("--interpolation must be linear or hold, got '" + interpolation
                    + "'");
        };
        double decisionPeriod = info.controlDtSeconds();
        if (!(rateHz >= 1 / decisionPeriod - 1e-9) || rateHz > 10_000) {
            throw new Errors.UserException(String.format(Locale.ROOT, "--rate must be between the policy's decision "
                    + "rate %.1f Hz and 10000 Hz, got %s", 1 / decisionPeriod, rateHz));
        }
        if (spinMicros < 0) {
            throw new Errors.UserException("--spin-us must be >= 0");
        }
        RobotModel robot = Deployments.robotFor(envId);
        double[] targetM = target == null ? null : ReachTask.parseTarget(target);
        DeploymentTask task = Deployments.taskFor(envId, targetM);
        SafetyConfig safety = (safetyFile == null ? SafetyConfig.empty() : SafetyConfig.load(safetyFile))
                .resolve(robot, 1 / rateHz, decisionPeriod);
        if (printSafety) {
            System.out.println(safety.toJson());
            return 0;
        }
        Policy policy = Policy.load(bundle);
        if (policy.observationDim() != task.observationDim() || policy.actionDim() != task.actionDim()) {
            throw new Errors.UserException("the bundle takes " + policy.observationDim() + " observations and gives "
                    + policy.actionDim() + " actions; " + envId + " has " + task.observationDim() + " and "
                    + task.actionDim());
        }
        byte[] key = BridgeOptions.readKey(keyFile);
        if (!link.startsWith("udp://") && key != null) {
            throw new Errors.UserException("--key-file applies to udp:// links only");
        }
        Ros1Config ros1 = link.startsWith(Ros1Config.SCHEME) ? Ros1Config.parse(link, Path.of(""), System.getenv())
                : null;
        Ros2Config ros2 = link.startsWith(Ros2Config.SCHEME) ? Ros2Config.parse(link, Path.of(""), System.getenv())
                : null;
        String[] joints = ros1 != null ? ros1.jointNames() : ros2 != null ? ros2.jointNames() : null;
        if (joints != null && joints.length != task.dof()) {
            throw new Errors.UserException("--link names " + joints.length + " joints " + java.util.List.of(joints)
                    + "; " + envId + " has " + task.dof());
        }
        if (record != null && Files.exists(DeploymentRecorder.segmentsDir(record))) {
            throw new Errors.UserException(DeploymentRecorder.segmentsDir(record) + " holds an unfinished recording;"
                    + " run `armature dataset recover " + record + "` first");
        }

        RobotLink robotLink = sim
                ? new SimLink(new SimulatedRobot(Deployments.twinFor(envId, targetM), seed,
                robot, SimulatedRobot.DEFAULT_WATCHDOG_MILLIS))
                : ros1 != null ? new Ros1Link(ros1, task.dof(), 10_000)
                : ros2 != null ? new Ros2Link(ros2, task.dof(), 10_000)
                : new UdpRobotLink(UdpRobotLink.parse(link), task.dof(), task.objectCount(), key, 2000);
        try {
            RobotLink.RobotInfo ri = robotLink.connect();
            DeploymentRecorder recorder = record == null ? null : new DeploymentRecorder(record,
                    task.observationDim(), task.actionDim(), DatasetMetadata.of(envId, "bundle:" + bundle, null, null)
                    .withExtra("link", link).withExtra("rate_hz", Double.toString(rateHz)));
            InferenceEngine engine = new InferenceEngine(policy);
            ControlLoop.Config cfg = new ControlLoop.Config(rateHz, decisionPeriod, interp, spinMicros,
                    durationSeconds, 0.2, 2000, safety.staleStateMillis());
            ControlLoop loop = new ControlLoop(robotLink, task, engine, new SafetyLayer(robot, safety, 1 / rateHz),
                    cfg, recorder);
            System.out.printf(Locale.ROOT, "deploy: %s on %s (session %016x), %s, decisions every %.1f ms, "
                            + "commands at %.0f Hz%n", bundle, link, ri.sessionId(), task, decisionPeriod * 1e3,
                    rateHz);
            Thread hook = new Thread(loop::requestStop);
            Runtime.getRuntime().addShutdownHook(hook);
            Thread keys = stopOnEnter(loop);
            loop.start();
            if (realtime) {
                setRealtime(loop, robotLink);
            }
            ControlLoop.Result r;
            long start = System.nanoTime();
            while ((r = loop.await(1000)) == null) {
                if (!quiet) {
                    System.out.println(live(loop, (System.nanoTime() - start) / 1e9));
                }
            }
            if (recorder != null) {
                recorder.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down: the hook stopped the loop
            }
            if (keys != null) {
                keys.interrupt();
            }
            summary(loop, r, engine, robotLink.counters(), recorder);
            if (r.reason() != StopReason.COMPLETED) {
                String detail = robotLink.status() != RobotLink.Status.OK ? robotLink.statusDetail() : null;
                System.err.println("error: safe stop: " + r.reason() + " (" + r.reason().description()
                        + (loop.failure() != null ? ": " + loop.failure() : "")
                        + (detail != null ? ": " + detail : "") + ")");
                return SAFE_STOP_EXIT;
            }
            return 0;
        } catch (IOException e) {
            throw new Errors.UserException(e.getMessage());
        } finally {
            robotLink.close();
        }
    }

    private static Thread stopOnEnter(ControlLoop loop) {
        if (System.console() == null) {
            return null;
        }
        Thread t = new Thread(() -> {
            try {
                if (System.in.read() >= 0) {
                    loop.requestStop();
                }
            } catch (IOException ignored) {
                // no keyboard
            }
        }, "armature-operator-key");
        t.setDaemon(true);
        t.start();
        System.out.println("deploy: press Enter (or Ctrl-C) for an operator stop");
        return t;
    }

    /** SCHED_FIFO 80 for the loop thread, 79 for the link's receiver thread (so fresh states keep arriving). */
    private static void setRealtime(ControlLoop loop, RobotLink link) throws InterruptedException {
        long tid = -1;
        for (int i = 0; i < 100 && (tid = loop.nativeThreadId()) < 0; i++) {
            Thread.sleep(10);
        }
        if (tid < 0) {
            System.out.println("deploy: real-time priority not set: the loop thread's id is unknown");
            return;
        }
        if (chrt(tid, 80, "loop") && link.receiverThreadId() > 0) {
            chrt(link.receiverThreadId(), 79, "link receiver");
        }
    }

    private static boolean chrt(long tid, int priority, String what) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("chrt", "-f", "-p", Integer.toString(priority), Long.toString(tid))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0) {
                System.out.println("deploy: " + what + " thread " + tid + " runs at SCHED_FIFO priority " + priority);
                return true;
            }
            System.out.println("deploy: real-time priority not available (" + out.replace('\n', ' ')
                    + "); needs root or CAP_SYS_NICE; running at normal priority");
        } catch (IOException e) {
            System.out.println("deploy: real-time priority not available (chrt: " + e.getMessage() + ")");
        }
        return false;
    }

    private static String live(ControlLoop loop, double t) {
        return String.format(Locale.ROOT, "t %5.1fs  ticks %7d  missed %4d  jitter p99 %5.0f µs  e2e p50 %5.0f "
                        + "p99 %5.0f µs  infer p99 %4.0f µs  clipped %d", t, loop.ticks(), loop.missedSlots(),
                loop.jitterHistogram().percentileMicros(0.99), loop.endToEndHistogram().percentileMicros(0.5),
                loop.endToEndHistogram().percentileMicros(0.99), loop.engine().latency().percentileMicros(0.99),
                loop.safety().clippedPosition() + loop.safety().clippedStep() + loop.safety().clippedAcceleration()
                        + loop.safety().workspaceRejected());
    }

    private static void summary(ControlLoop loop, ControlLoop.Result r, InferenceEngine engine,
                                Map<String, Long> counters, DeploymentRecorder recorder) {
        System.out.printf(Locale.ROOT, "summary: %s after %d ticks, %d decisions; missed slots %d (%.3f per 1000), "
                        + "late commands %d%n", r.reason(), r.ticks(), r.decisions(), r.missedSlots(),
                1000.0 * r.missedSlots() / Math.max(1, r.ticks()), r.lateCommands());
        line("period", loop.periodHistogram());
        line("jitter", loop.jitterHistogram());
        line("wake lateness", loop.wakeLatenessHistogram());
        line("tick work", loop.tickWorkHistogram());
        line("end-to-end (state receive -> command sent)", loop.endToEndHistogram());
        line("inference", engine.latency());
        SafetyLayer s = loop.safety();
        System.out.printf("  safety: commands %d, clipped position %d, velocity %d, step %d, acceleration %d, "
                        + "workspace %d, soft-start ticks %d%n", s.commands(), s.clippedPosition(), s.clippedVelocity(),
                s.clippedStep(), s.clippedAcceleration(), s.workspaceRejected(), s.softStartTicks());
        StringBuilder c = new StringBuilder();
        counters.forEach((k, v) -> {
            if (v > 0 || !k.startsWith("dropped_")) {
                c.append(' ').append(k).append('=').append(v);
            }
        });
        System.out.println("  link:" + c);
        if (recorder != null) {
            System.out.println("  recorded " + recorder.rows() + " decisions" + (recorder.lostRows() > 0
                    ? " (" + recorder.lostRows() + " lost: recorder ring full)" : ""));
        }
    }

    private static void line(String name, LatencyHistogram h) {
        System.out.println("  " + name + ": " + h.summary());
    }
}
