package org.armature.bridge;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.armature.envs.Env;
import org.armature.envs.PhysicsEnv;
import org.armature.envs.StepReward;
import org.armature.sim.Model;
import org.armature.sim.ModelSpec;

/**
 * A robot served from an env's physics in real time: the robot's side of a deployment (the digital twin behind
 * {@link SimLink} and {@code armature emulator}). On its own thread (which builds and owns the physics world) it
 * steps the world every physics step of wall-clock time with the latest accepted command as the joint position
 * controller's target, and publishes the measured state after every step.
 *
 * <p>Like a real robot controller it protects itself: position commands older than their expiry (judged on this
 * robot's clock against the state they were computed from) are dropped; a watchdog holds the arm where it is when
 * no command has arrived for {@code watchdogMillis} (a stop inside the bridge cannot act if the bridge's JVM dies
 * or pauses) and stays stopped until a new session; every accepted command is checked against the robot's own
 * limits (position, and its step against the speed limit over the loop's declared period) and counted as unsafe if
 * beyond them.
 *
 * <p>Every published state carries the task's reward where the env reports one ({@link StepReward}, the Reach
 * tasks): the per-control-step reward of the task evaluated at that state, i.e. the reward {@code env.step} would
 * return for a control step that ended in this physics state, with the zero action (the robot sees joint targets,
 * not the policy's actions, so action-dependent terms such as Reach's control cost {@code -1e-3 |a|^2} are
 * left out). It is computed by the env's own reward code on the robot's thread, without allocating. Envs that do
 * not report rewards publish NaN (no reward).
 */
public final class SimulatedRobot implements AutoCloseable {

    /** Receives the state after every physics step, on the robot's thread. */
    @FunctionalInterface
    public interface StateListener {
        void onState(RobotState state);
    }

    public static final double DEFAULT_WATCHDOG_MILLIS = 100;

    private final Supplier<Env> envFactory;
    private final long seed;
    private final RobotModel limits;
    private final double watchdogMillis;
    private final int dof;
    private final RobotState published;
    private final JointCommand pending;
    private final JointCommand active;
    private final double[] lastCommanded;
    private volatile StateListener listener;
    private volatile boolean closed;
    private volatile boolean frozen;
    private Thread thread;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile RuntimeException startError;
    private double physicsDt;
    // robot thread only: the env's reward at the current state (null: none) and the action it is evaluated with
    private StepReward taskReward;
    private float[] zeroAction;

    // guarded by this
    private boolean hasPending;
    private long lastCommandNanos;
    private boolean sessionCommanded;
    private boolean watchdogStopped;
    private boolean firstCheck = true;
    private long lastTick = -1;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong unsafe = new AtomicLong();
    private final AtomicLong watchdogStops = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();

    public SimulatedRobot(Supplier<Env> envFactory, long seed, RobotModel limits, double watchdogMillis) {
        this.envFactory = envFactory;
        this.seed = seed;
        this.limits = limits;
        this.watchdogMillis = watchdogMillis;
        this.dof = limits.dof();
        this.published = new RobotState(dof, 0);
        this.pending = new JointCommand(dof);
        this.active = new JointCommand(dof);
        this.lastCommanded = new double[dof];
    }

    public int dof() {
        return dof;
    }

    public void setListener(StateListener l) {
        listener = l;
    }

    /** Builds the env on the robot thread and starts stepping in real time. */
    public void start() {
        thread = new Thread(this::run, "armature-robot");
        thread.setDaemon(true);
        thread.start();
        try {
            if (!ready.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the simulated robot did not start within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the simulated robot");
        }
        if (startError != null) {
            throw startError;
        }
    }

    /** A new session: the robot holds where it is until the first command of that session. */
    public synchronized void newSession() {
        hasPending = false;
        sessionCommanded = false;
        watchdogStopped = false;
        firstCheck = true;
        lastTick = -1;
        active.mode = JointCommand.Mode.HOLD;
        System.arraycopy(published.positionsRad, 0, active.positionsRad, 0, dof);
    }

    /** Offers a command (any thread); returns false when it was dropped as expired. */
    public synchronized boolean command(JointCommand c, long nowNanos) {
        received.incrementAndGet();
        if (c.mode == JointCommand.Mode.POSITION && nowNanos - c.stateRobotTimeNanos > c.expiryMicros * 1000L) {
            expired.incrementAndGet();
            return false;
        }
        if (watchdogStopped) {
            return true; // stays stopped until a new session
        }
        checkSafety(c);
        pending.copyFrom(c);
        hasPending = true;
        lastCommandNanos = nowNanos;
        sessionCommanded = true;
        accepted.incrementAndGet();
        return true;
    }

    private void checkSafety(JointCommand c) {
        if (c.mode == JointCommand.Mode.ZERO_TORQUE) {
            return;
        }
        boolean bad = false;
        double period = c.periodMicros / 1e6;
        // commands lost on the way (or slots the loop missed) leave a gap in the tick numbers: the step since the
        // last command received may span that many periods
        long gap = firstCheck || lastTick < 0 ? 1 : Math.max(1, c.tick - lastTick);
        for (int i = 0; i < dof; i++) {
            double q = c.positionsRad[i];
            if (!Double.isFinite(q) || q < limits.positionLowerRad()[i] - 1e-9
                    || q > limits.positionUpperRad()[i] + 1e-9) {
                bad = true;
                noteUnsafe(c, i, "position " + q);
            }
            double ref = firstCheck ? published.positionsRad[i] : lastCommanded[i];
            double tolerance = firstCheck ? 1e-3 : 1e-9; // the measured state moves on between state and command
            double step = Math.abs(q - ref);
            double allowed = limits.velocityLimitRadPerSec()[i] * period * gap * (1 + 1e-9) + tolerance;
            if (step > allowed) {
                bad = true;
                noteUnsafe(c, i, "step " + step + " > " + allowed + " over " + gap + " tick(s)");
            }
            lastCommanded[i] = q;
        }
        firstCheck = false;
        lastTick = c.tick;
        if (bad) {
            unsafe.incrementAndGet();
        }
    }

    private volatile String firstUnsafe;

    private void noteUnsafe(JointCommand c, int joint, String what) {
        if (firstUnsafe == null) {
            firstUnsafe = "tick " + c.tick + " mode " + c.mode + " joint " + joint + ": " + what;
        }
    }

    /** What made the first unsafe command unsafe (null when none was). */
    public String firstUnsafe() {
        return firstUnsafe;
    }

    /** Fault injection: the robot's controller stops answering (no state published, commands ignored). */
    public void freeze() {
        frozen = true;
    }

    public boolean frozen() {
        return frozen;
    }

    private volatile long robotTid = -1;

    /** Linux thread id of the robot's physics thread, or -1. */
    public long threadId() {
        return robotTid;
    }

    private void run() {
        robotTid = ControlLoop.currentNativeThreadId();
        Env env;
        PhysicsEnv pe;
        Model model;
        Model.JointInfo[] joints = new Model.JointInfo[dof];
        float[] control = new float[dof];
        double[] kp = new double[dof];
        double[] kv = new double[dof];
        double[] fLo = new double[dof];
        double[] fHi = new double[dof];
        try {
            env = envFactory.get();
            env.reset(seed);
            if (!(env.unwrapped() instanceof PhysicsEnv p)) {
                throw new IllegalArgumentException(env.spec().id() + " is not a physics env");
            }
            pe = p;
            model = pe.model();
            if (env.unwrapped() instanceof StepReward r) {
                taskReward = r;
                zeroAction = new float[env.spec().actionDim()];
            }
            List<ModelSpec.Actuator> acts = model.spec().actuators();
            if (acts.size() != dof) {
                throw new IllegalArgumentException(env.spec().id() + " has " + acts.size() + " actuators, the robot "
                        + limits.name() + " has " + dof + " joints");
            }
            for (int i = 0; i < dof; i++) {
                ModelSpec.Actuator a = acts.get(i);
                if (!"position".equals(a.type())) {
                    throw new IllegalArgumentException(env.spec().id() + ": actuator " + a.name() + " is '"
                            + a.type() + "'; the simulated robot serves joint position control only");
                }
                joints[i] = model.joint(a.joint());
                kp[i] = a.kp() == null ? 0 : a.kp();
                kv[i] = a.kv() == null ? 0 : a.kv();
                fLo[i] = a.forceRange() == null ? Double.NEGATIVE_INFINITY : a.forceRange()[0];
                fHi[i] = a.forceRange() == null ? Double.POSITIVE_INFINITY : a.forceRange()[1];
            }
            physicsDt = pe.world().physicsDtSeconds();
            synchronized (this) {
                readState(model, joints, control, kp, kv, fLo, fHi, System.nanoTime());
                active.mode = JointCommand.Mode.HOLD;
                System.arraycopy(published.positionsRad, 0, active.positionsRad, 0, dof);
            }
        } catch (RuntimeException e) {
            startError = e;
            ready.countDown();
            return;
        }
        ready.countDown();
        long stepNanos = Math.round(physicsDt * 1e9);
        long next = System.nanoTime() + stepNanos;
        long watchdogNanos = (long) (watchdogMillis * 1e6);
        try {
            while (!closed) {
                long now = System.nanoTime();
                if (now < next) {
                    LockSupport.parkNanos(next - now);
                    continue;
                }
                if (now - next > 10 * stepNanos) {
                    next = now; // fell far behind (CPU contention): resynchronise instead of fast-forwarding
                }
                next += stepNanos;
                synchronized (this) {
                    if (hasPending) {
                        active.copyFrom(pending);
                        hasPending = false;
                    }
                    if (sessionCommanded && !watchdogStopped && now - lastCommandNanos > watchdogNanos) {
                        watchdogStopped = true;
                        watchdogStops.incrementAndGet();
                        active.mode = JointCommand.Mode.HOLD;
                        System.arraycopy(published.positionsRad, 0, active.positionsRad, 0, dof);
                    }
                    for (int i = 0; i < dof; i++) {
                        control[i] = active.mode == JointCommand.Mode.ZERO_TORQUE
                                ? (float) published.positionsRad[i] : (float) active.positionsRad[i];
                    }
                }
                model.setControl(control);
                pe.world().step(1);
                steps.incrementAndGet();
                synchronized (this) {
                    readState(model, joints, control, kp, kv, fLo, fHi, System.nanoTime());
                    StateListener l = listener;
                    if (l != null && !frozen) {
                        l.onState(published);
                    }
                }
            }
        } finally {
            env.close();
        }
    }

    private void readState(Model model, Model.JointInfo[] joints, float[] control, double[] kp, double[] kv,
                           double[] fLo, double[] fHi, long now) {
        for (int i = 0; i < dof; i++) {
            double q = model.jointPosition(joints[i]);
            double qd = model.jointVelocity(joints[i]);
            published.positionsRad[i] = q;
            published.velocitiesRadPerSec[i] = qd;
            double f = kp[i] * (control[i] - q) - kv[i] * qd;
            published.effortsNm[i] = Math.max(fLo[i], Math.min(fHi[i], f));
        }
        published.reward = taskReward == null ? Double.NaN : taskReward.stepReward(zeroAction);
        published.robotTimeNanos = now;
        published.receiveNanos = now;
        published.sequence++;
        published.robotStopped = watchdogStopped;
    }

    /** Copies the current state (any thread). */
    public synchronized void state(RobotState out) {
        out.copyFrom(published);
    }

    public double physicsDtSeconds() {
        return physicsDt;
    }

    public long commandsReceived() {
        return received.get();
    }

    public long commandsAccepted() {
        return accepted.get();
    }

    public long commandsExpired() {
        return expired.get();
    }

    public long unsafeCommands() {
        return unsafe.get();
    }

    public long watchdogStops() {
        return watchdogStops.get();
    }

    public synchronized boolean watchdogStopped() {
        return watchdogStopped;
    }

    public synchronized JointCommand.Mode activeMode() {
        return active.mode;
    }

    public long physicsSteps() {
        return steps.get();
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
