package org.armature.bridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * The real-time loop: on a dedicated thread, at a fixed command rate, every tick reads the freshest state, checks
 * it, (at decision ticks) builds the observation and runs the policy, interpolates between the policy's joint
 * targets, filters through the {@link SafetyLayer} and sends. Allocation-free per tick.
 *
 * <p><b>Two rates.</b> The policy decides at its bundle's control period (Reach: 25 ms); the command stream runs at
 * {@code rateHz}. Decision ticks are those where {@code floor(k * commandPeriod / decisionPeriod)} changes; between
 * them the command moves linearly from the previous target to the new one over one decision period (or holds the
 * new target, {@link Interpolation#HOLD}, as the simulator's controller does).
 *
 * <p><b>Timing.</b> Sleeps with {@link LockSupport#parkNanos} until {@code spinMicros} before the tick, then
 * busy-spins. A tick that wakes a whole period or more late has missed the slots in between: they are counted, the
 * schedule moves on to the current slot and no catch-up commands are sent. {@code missedDeadlinesInARow} missed
 * slots in a row are a fault.
 *
 * <p><b>Stops.</b> Operator stop, NaN action, stale/non-finite/out-of-limit state, link loss, a new robot session,
 * missed deadlines and the robot's own stop flag start the safe stop in the tick that detects them; the loop
 * decelerates, holds for {@code holdAfterStopSeconds}, then ends. It never restarts by itself.
 */
public final class ControlLoop {

    public enum Interpolation { LINEAR, HOLD }

    /**
     * @param rateHz               command rate
     * @param decisionPeriodSeconds the policy's control period (from the bundle)
     * @param interpolation        between decision targets
     * @param spinMicros           busy-spin this long before each tick (the rest is parked)
     * @param durationSeconds      run this long, then stop (0: until stopped)
     * @param holdAfterStopSeconds keep sending the hold command this long after deceleration ended
     * @param firstStateTimeoutMillis wait this long for the first state before giving up (link lost)
     * @param commandExpiryMillis  the robot drops position commands older than this (judged on its own clock
     *                             against the state they were computed from)
     */
    public record Config(double rateHz, double decisionPeriodSeconds, Interpolation interpolation, long spinMicros,
                         double durationSeconds, double holdAfterStopSeconds, long firstStateTimeoutMillis,
                         double commandExpiryMillis) {
        public static final long DEFAULT_SPIN_MICROS = 300;

        public Config {
            if (!(rateHz >= 1 && rateHz <= 10_000)) {
                throw new IllegalArgumentException("rate must be between 1 and 10000 Hz, got " + rateHz);
            }
            if (!(decisionPeriodSeconds > 0)) {
                throw new IllegalArgumentException("decision period must be > 0 s, got " + decisionPeriodSeconds);
            }
            if (decisionPeriodSeconds < 1 / rateHz - 1e-12) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "the command rate %.1f Hz is below the policy's decision rate %.1f Hz; use --rate >= %.1f",
                        rateHz, 1 / decisionPeriodSeconds, 1 / decisionPeriodSeconds));
            }
            if (durationSeconds < 0) {
                throw new IllegalArgumentException("duration must be >= 0 s, got " + durationSeconds);
            }
        }

        public static Config of(double rateHz, double decisionPeriodSeconds, double durationSeconds,
                                double commandExpiryMillis) {
            return new Config(rateHz, decisionPeriodSeconds, Interpolation.LINEAR, DEFAULT_SPIN_MICROS,
                    durationSeconds, 0.2, 1000, commandExpiryMillis);
        }
    }

    /** What a finished run reports. */
    public record Result(StopReason reason, long ticks, long decisions, long missedSlots, long lateCommands,
                         long stopDetectedTick, long firstStopCommandTick) {
    }

    /** Called on the loop thread after every command is sent (tests; must not allocate). */
    @FunctionalInterface
    public interface CommandObserver {
        void onCommand(long tick, long sentNanos, JointCommand command, boolean stopping);
    }

    private final RobotLink link;
    private final DeploymentTask task;
    private final InferenceEngine engine;
    private final SafetyLayer safety;
    private final Config cfg;
    private final DecisionSink sink;
    private final long periodNanos;
    private final double commandPeriod;
    private final int missedLimit;
    private final long linkTimeoutNanos;

    private final RobotState state;
    private final RobotState decisionState;
    private final JointCommand command;
    private final float[] observation;
    private final float[] rawAction;
    private final float[] nextObservation;
    private final float[] nextRawAction;
    private final float[] sentAction;
    private final double[] previousTarget;
    private final double[] target;
    private final double[] desired;
    private final double[] lastSent;

    final LatencyHistogram period = new LatencyHistogram();
    final LatencyHistogram jitter = new LatencyHistogram();
    final LatencyHistogram wakeLateness = new LatencyHistogram();
    final LatencyHistogram endToEnd = new LatencyHistogram();
    final LatencyHistogram tickWork = new LatencyHistogram();

    private volatile StopReason operatorStop;
    private volatile long injectStallNanos;
    private volatile CommandObserver observer;
    private volatile Thread thread;
    private volatile Result result;
    private volatile long nativeTid = -1;
    private volatile long ticksDone;
    private volatile long missedSlots;
    private volatile boolean running;

    public ControlLoop(RobotLink link, DeploymentTask task, InferenceEngine engine, SafetyLayer safety, Config cfg,
                       DecisionSink sink) {
        if (engine.observationDim() != task.observationDim() || engine.actionDim() != task.actionDim()) {
            throw new IllegalArgumentException("the policy takes " + engine.observationDim() + " observations and gives "
                    + engine.actionDim() + " actions, but task " + task.envId() + " has " + task.observationDim()
                    + " and " + task.actionDim());
        }
        this.link = link;
        this.task = task;
        this.engine = engine;
        this.safety = safety;
        this.cfg = cfg;
        this.sink = sink;
        this.periodNanos = Math.round(1e9 / cfg.rateHz());
        this.commandPeriod = periodNanos / 1e9;
        this.missedLimit = safety.config().missedDeadlinesInARow();
        this.linkTimeoutNanos = (long) (safety.config().linkTimeoutMillis() * 1e6);
        int dof = task.dof();
        state = new RobotState(dof, task.objectCount());
        decisionState = new RobotState(dof, task.objectCount());
        command = new JointCommand(dof);
        observation = new float[task.observationDim()];
        rawAction = new float[task.actionDim()];
        nextObservation = new float[task.observationDim()];
        nextRawAction = new float[task.actionDim()];
        sentAction = new float[task.actionDim()];
        previousTarget = new double[dof];
        target = new double[dof];
        desired = new double[dof];
        lastSent = new double[dof];
    }

    /** Starts the loop thread (warm-up first, on that thread). */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("a control loop runs once; build a new one to restart");
        }
        running = true;
        thread = new Thread(() -> result = run(), "armature-control-loop");
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for the loop to end (at most {@code timeoutMillis}); null if still running. */
    public Result await(long timeoutMillis) throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join(timeoutMillis);
        }
        return result;
    }

    /** Operator stop (key, SIGINT, SIGTERM): the safe stop starts at the next tick. */
    public void requestStop() {
        operatorStop = StopReason.OPERATOR_STOP;
    }

    /** Fault injection: the loop thread stalls this long once, at its next tick. */
    public void injectStall(long nanos) {
        injectStallNanos = nanos;
    }

    public void setCommandObserver(CommandObserver o) {
        observer = o;
    }

    public boolean running() {
        return running;
    }

    /** Linux thread id of the loop thread (for {@code chrt}), -1 before it runs or when unknown. */
    public long nativeThreadId() {
        return nativeTid;
    }

    public long ticks() {
        return ticksDone;
    }

    public long missedSlots() {
        return missedSlots;
    }

    public LatencyHistogram periodHistogram() {
        return period;
    }

    public LatencyHistogram jitterHistogram() {
        return jitter;
    }

    public LatencyHistogram endToEndHistogram() {
        return endToEnd;
    }

    public LatencyHistogram wakeLatenessHistogram() {
        return wakeLateness;
    }

    public LatencyHistogram tickWorkHistogram() {
        return tickWork;
    }

    public SafetyLayer safety() {
        return safety;
    }

    public InferenceEngine engine() {
        return engine;
    }

    private Result run() {
        try {
            nativeTid = currentNativeThreadId();
            return loop();
        } catch (RuntimeException | Error e) {
            // a bug in the loop itself: no more commands are sent; the robot's watchdog holds the arm
            failure = e;
            return new Result(StopReason.INTERNAL_ERROR, ticksDone, 0, missedSlots, 0, ticksDone, -1);
        } finally {
            running = false;
        }
    }

    private volatile Throwable failure;

    /** The exception that ended the loop (warm-up policy failure or an internal error), or null. */
    public Throwable failure() {
        return failure;
    }

    private Result loop() {
        // the first state: bounded wait
        long deadline = System.nanoTime() + cfg.firstStateTimeoutMillis() * 1_000_000L;
        while (!link.readLatest(state)) {
            if (System.nanoTime() > deadline || operatorStop != null) {
                return new Result(operatorStop != null ? StopReason.OPERATOR_STOP : StopReason.LINK_LOST, 0, 0, 0, 0,
                        0, 0);
            }
            LockSupport.parkNanos(1_000_000);
        }
        // warm up inference and the stop path on the real observation before the first command
        task.observation(state, observation);
        try {
            engine.warmUp(observation, 2000);
        } catch (RuntimeException e) {
            failure = e;
            return new Result(StopReason.POLICY_ERROR, 0, 0, 0, 0, 0, 0); // nothing was sent: the robot holds
        }
        link.readLatest(state);
        safety.start(state);
        warmUpStopPath();
        safety.start(state);
        safety.resetCounters();
        for (int i = 0; i < previousTarget.length; i++) {
            previousTarget[i] = state.positionsRad[i];
            target[i] = state.positionsRad[i];
            lastSent[i] = state.positionsRad[i];
        }

        long expiryMicros = (long) (cfg.commandExpiryMillis() * 1000);
        long durationTicks = cfg.durationSeconds() > 0 ? Math.round(cfg.durationSeconds() * cfg.rateHz()) : -1;
        long holdTicks = Math.max(1, Math.round(cfg.holdAfterStopSeconds() * cfg.rateHz()));
        long spinNanos = cfg.spinMicros() * 1000;
        double ticksPerDecision = cfg.decisionPeriodSeconds() / commandPeriod;

        StopReason stop = null;
        long stopTick = -1;
        long firstStopCommandTick = -1;
        long heldTicks = 0;
        long lastDecision = -1;
        long decisionTick = 0;
        long decisions = 0;
        int clippedInDecision = 0;
        boolean haveDecision = false;
        long consecutiveMissed = 0;
        long missed = 0;
        long late = 0;
        long lastWake = 0;

        long t0 = System.nanoTime() + periodNanos;
        long k = 0;
        while (true) {
            long scheduled = t0 + k * periodNanos;
            sleepUntil(scheduled, spinNanos);
            long stall = injectStallNanos;
            if (stall > 0) {
                injectStallNanos = 0;
                busyWait(System.nanoTime() + stall);
            }
            long wake = System.nanoTime();
            long lateness = wake - scheduled;
            if (lateness >= periodNanos) {
                long skipped = lateness / periodNanos;
                k += skipped;
                missed += skipped;
                consecutiveMissed += skipped;
                missedSlots = missed;
                scheduled = t0 + k * periodNanos;
                lateness = wake - scheduled;
            } else {
                consecutiveMissed = 0;
            }
            wakeLateness.recordNanos(lateness);
            if (lastWake != 0) {
                long p = wake - lastWake;
                period.recordNanos(p);
                jitter.recordNanos(Math.abs(p - periodNanos));
            }
            lastWake = wake;

            boolean haveState = link.readLatest(state);
            if (stop == null) {
                StopReason r = operatorStop;
                if (r == null) {
                    RobotLink.Status st = link.status();
                    if (st == RobotLink.Status.SESSION_CHANGED) {
                        r = StopReason.SESSION_CHANGED;
                    } else if (st == RobotLink.Status.FAULT) {
                        r = StopReason.LINK_FAULT;
                    } else if (st == RobotLink.Status.LOST || !haveState
                            || wake - state.receiveNanos > linkTimeoutNanos) {
                        r = StopReason.LINK_LOST;
                    }
                }
                if (r == null) {
                    r = safety.checkState(state, wake);
                }
                if (r == null && consecutiveMissed >= missedLimit) {
                    r = StopReason.MISSED_DEADLINES;
                }
                if (r == null && durationTicks >= 0 && k >= durationTicks) {
                    r = StopReason.COMPLETED;
                }
                long d = (long) Math.floor(k / ticksPerDecision + 1e-9);
                if (r == null && d != lastDecision) {
                    // decision tick: decide into the "next" buffers; the previous row is closed only when this
                    // decision succeeds (otherwise it is the last row and carries the stop reason)
                    task.observation(state, nextObservation);
                    try {
                        engine.act(nextObservation, nextRawAction);
                    } catch (RuntimeException e) {
                        failure = e;
                        r = StopReason.POLICY_ERROR;
                    }
                    if (r == null && !SafetyLayer.finite(nextRawAction)) {
                        r = StopReason.NON_FINITE_ACTION;
                    }
                    if (r == null) {
                        if (haveDecision) {
                            emitRow(decisionState, clippedInDecision, 0);
                        }
                        System.arraycopy(nextObservation, 0, observation, 0, observation.length);
                        System.arraycopy(nextRawAction, 0, rawAction, 0, rawAction.length);
                        System.arraycopy(cfg.interpolation() == Interpolation.LINEAR ? desired : target, 0,
                                previousTarget, 0, target.length);
                        if (decisions == 0) {
                            System.arraycopy(state.positionsRad, 0, previousTarget, 0, target.length);
                        }
                        task.jointTargets(state, rawAction, target);
                        decisionState.copyFrom(state);
                        decisionTick = k;
                        lastDecision = d;
                        decisions++;
                        haveDecision = true;
                        clippedInDecision = 0;
                    }
                }
                if (r != null) {
                    stop = r;
                    stopTick = k;
                    safety.beginStop();
                }
            }

            long commandsBefore = clippedCount();
            if (stop == null) {
                double frac = cfg.interpolation() == Interpolation.LINEAR
                        ? Math.min(1.0, (k - decisionTick + 1) / ticksPerDecision) : 1.0;
                for (int i = 0; i < desired.length; i++) {
                    desired[i] = previousTarget[i] + frac * (target[i] - previousTarget[i]);
                }
                safety.filter(desired, command);
            } else {
                safety.stopTick(command);
                if (firstStopCommandTick < 0) {
                    firstStopCommandTick = k;
                }
            }
            if (clippedCount() != commandsBefore) {
                clippedInDecision++;
            }
            command.stateRobotTimeNanos = state.robotTimeNanos;
            command.expiryMicros = (int) Math.min(Integer.MAX_VALUE, expiryMicros);
            command.tick = k;
            command.periodMicros = (int) (periodNanos / 1000);
            link.send(command);
            long sent = System.nanoTime();
            System.arraycopy(command.positionsRad, 0, lastSent, 0, lastSent.length);
            if (haveState) {
                endToEnd.recordNanos(sent - state.receiveNanos);
            }
            tickWork.recordNanos(sent - wake);
            if (sent - scheduled > periodNanos) {
                late++;
            }
            CommandObserver obs = observer;
            if (obs != null) {
                obs.onCommand(k, sent, command, stop != null);
            }
            k++;
            ticksDone = k;
            if (stop != null && safety.stopped()) {
                heldTicks++;
                if (heldTicks >= holdTicks) {
                    break;
                }
            }
        }
        if (haveDecision) {
            emitRow(decisionState, clippedInDecision, 1 + stop.ordinal());
        }
        return new Result(stop, k, decisions, missed, late, stopTick, firstStopCommandTick);
    }

    private long clippedCount() {
        return safety.clippedPosition() + safety.clippedStep() + safety.clippedAcceleration()
                + safety.clippedVelocity() + safety.workspaceRejected();
    }

    private void emitRow(RobotState at, int clipped, int stopCode) {
        if (sink == null) {
            return;
        }
        task.actionFor(at, lastSent, sentAction);
        sink.onDecision(at.receiveNanos, observation, rawAction, sentAction, state.reward, clipped, stopCode);
    }

    /** Runs the stop path on a copy of the start state, so the first fault does not meet a cold path. */
    private void warmUpStopPath() {
        JointCommand scratch = new JointCommand(command.dof());
        for (int i = 0; i < 20_000; i++) {
            safety.filter(state.positionsRad, scratch);
        }
        safety.beginStop();
        for (int i = 0; i < 20_000; i++) {
            safety.stopTick(scratch);
        }
        for (int i = 0; i < 2000; i++) {
            safety.checkState(state, state.receiveNanos);
            task.jointTargets(state, rawAction, target);
            task.actionFor(state, target, sentAction);
        }
    }

    private static void sleepUntil(long deadline, long spinNanos) {
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= spinNanos) {
                break;
            }
            LockSupport.parkNanos(remaining - spinNanos);
        }
        busyWait(deadline);
    }

    private static void busyWait(long deadline) {
        while (System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /** Linux thread id of the calling thread (from /proc/thread-self), or -1. */
    public static long currentNativeThreadId() {
        try {
            Path p = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return Long.parseLong(p.getFileName().toString());
        } catch (Exception e) {
            return -1;
        }
    }
}
