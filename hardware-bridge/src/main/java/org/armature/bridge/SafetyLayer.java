package org.armature.bridge;

/**
 * Filters every joint command before it is sent, and checks every measured state. Allocation-free per tick.
 *
 * <p>Per command, in order: the soft-start blend (from the measured state at start to the requested target over
 * {@code softStartSeconds}), the position limits, then a rate limiter on the commanded trajectory: the commanded
 * velocity is capped by the velocity limit, the per-tick change limit and the speed from which the target (and the
 * position limits) can still be reached while braking within the acceleration limit; then its change is capped by
 * the acceleration limit; finally the tool centre point of the resulting command is checked against the workspace
 * box through forward kinematics (a command leaving the box is replaced by a braking step). Every limit that
 * changed a command is counted.
 *
 * <p>Per state: non-finite values, staleness (local receive clock), positions beyond the limits plus a margin,
 * speeds beyond a factor of the limit, efforts beyond the limit, and the robot's own stop flag each give a
 * {@link StopReason}.
 *
 * <p>The safe stop ({@link #beginStop}, {@link #stopTick}) decelerates the commanded trajectory within the
 * acceleration limit from its current velocity, then holds (or requests zero torque).
 */
public final class SafetyLayer {

    private final SafetyConfig cfg;
    private final int dof;
    private final double dt;
    private final long staleNanos;
    private final RobotModel.ForwardKinematics fk;
    private final double[] prev;
    private final double[] vel;
    private final double[] start;
    private final double[] candidate;
    private final double[] tcp = new double[3];
    private final int softStartTicks;
    private long ticks;
    private boolean stopping;
    private boolean stopped;

    // counters (read by the summary; written by the loop thread only)
    private long clippedPosition;
    private long clippedVelocity;
    private long clippedStep;
    private long clippedAcceleration;
    private long workspaceRejected;
    private long softStartTicksUsed;
    private long commands;

    public SafetyLayer(RobotModel robot, SafetyConfig resolved, double commandPeriodSeconds) {
        this.cfg = resolved;
        this.dof = robot.dof();
        this.dt = commandPeriodSeconds;
        this.staleNanos = (long) (resolved.staleStateMillis() * 1e6);
        this.fk = resolved.workspaceMinM() != null && robot.kinematics() != null ? robot.kinematics().get() : null;
        this.prev = new double[dof];
        this.vel = new double[dof];
        this.start = new double[dof];
        this.candidate = new double[dof];
        this.softStartTicks = (int) Math.round(resolved.softStartSeconds() / commandPeriodSeconds);
    }

    public SafetyConfig config() {
        return cfg;
    }

    /** Starts a session from the measured state: commands begin at the measured positions, at rest. */
    public void start(RobotState measured) {
        for (int i = 0; i < dof; i++) {
            double q = clamp(measured.positionsRad[i], cfg.positionLowerRad()[i], cfg.positionUpperRad()[i]);
            start[i] = q;
            prev[i] = q;
            vel[i] = 0;
        }
        ticks = 0;
        stopping = false;
        stopped = false;
    }

    /** Zeroes the clipping counters (after warm-up). */
    public void resetCounters() {
        clippedPosition = 0;
        clippedVelocity = 0;
        clippedStep = 0;
        clippedAcceleration = 0;
        workspaceRejected = 0;
        softStartTicksUsed = 0;
        commands = 0;
    }

    /** Checks a measured state; null when it is safe to go on. */
    public StopReason checkState(RobotState s, long nowNanos) {
        if (!s.valid() || nowNanos - s.receiveNanos > staleNanos) {
            return StopReason.STALE_STATE;
        }
        if (!s.finite()) {
            return StopReason.NON_FINITE_STATE;
        }
        if (s.robotStopped) {
            return StopReason.ROBOT_STOPPED;
        }
        double margin = cfg.stateLimitMarginRad();
        for (int i = 0; i < dof; i++) {
            double q = s.positionsRad[i];
            if (q < cfg.positionLowerRad()[i] - margin || q > cfg.positionUpperRad()[i] + margin
                    || Math.abs(s.velocitiesRadPerSec[i]) > cfg.measuredVelocityFactor()
                    * cfg.velocityLimitRadPerSec()[i]
                    || Math.abs(s.effortsNm[i]) > cfg.effortLimitNm()[i]) {
                return StopReason.STATE_LIMIT;
            }
        }
        return null;
    }

    /** True when every value of the action is finite. */
    public static boolean finite(float[] action) {
        for (float v : action) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Filters the requested joint targets into {@code out} (mode POSITION). */
    public void filter(double[] target, JointCommand out) {
        commands++;
        double alpha = 1;
        if (ticks < softStartTicks) {
            alpha = (ticks + 1) / (double) softStartTicks;
            softStartTicksUsed++;
        }
        ticks++;
        boolean cp = false;
        boolean cv = false;
        boolean cs = false;
        boolean ca = false;
        double[] lo = cfg.positionLowerRad();
        double[] hi = cfg.positionUpperRad();
        double[] vmax = cfg.velocityLimitRadPerSec();
        double[] amax = cfg.accelerationLimitRadPerSec2();
        double[] step = cfg.maxStepRadPerTick();
        for (int i = 0; i < dof; i++) {
            double t = start[i] + alpha * (target[i] - start[i]);
            if (alpha == 1) {
                t = target[i];
            }
            if (t < lo[i] || t > hi[i]) {
                t = clamp(t, lo[i], hi[i]);
                cp = true;
            }
            double e = t - prev[i];
            double v = e / dt;
            // speed from which the target is reached braking within the acceleration limit
            double brake = Math.sqrt(2 * amax[i] * Math.abs(e));
            double cap = Math.min(vmax[i], brake + amax[i] * dt);
            if (Math.abs(v) > vmax[i]) {
                cv = true;
            }
            if (Math.abs(v) > cap) {
                v = Math.copySign(cap, v);
            }
            if (Math.abs(v) * dt > step[i]) {
                v = Math.copySign(step[i] / dt, v);
                cs = true;
            }
            double dv = v - vel[i];
            double dvMax = amax[i] * dt;
            if (Math.abs(dv) > dvMax * (1 + 1e-12)) {
                v = vel[i] + Math.copySign(dvMax, dv);
                ca = true;
            }
            candidate[i] = clamp(prev[i] + v * dt, lo[i], hi[i]);
        }
        if (fk != null && !insideWorkspace(candidate)) {
            workspaceRejected++;
            brakeStep(candidate);
        }
        for (int i = 0; i < dof; i++) {
            vel[i] = (candidate[i] - prev[i]) / dt;
            prev[i] = candidate[i];
            out.positionsRad[i] = candidate[i];
        }
        out.mode = JointCommand.Mode.POSITION;
        if (cp) {
            clippedPosition++;
        }
        if (cv) {
            clippedVelocity++;
        }
        if (cs) {
            clippedStep++;
        }
        if (ca) {
            clippedAcceleration++;
        }
    }

    private boolean insideWorkspace(double[] q) {
        fk.tcp(q, tcp);
        double[] lo = cfg.workspaceMinM();
        double[] hi = cfg.workspaceMaxM();
        for (int k = 0; k < 3; k++) {
            if (tcp[k] < lo[k] || tcp[k] > hi[k]) {
                return false;
            }
        }
        return true;
    }

    /** One step of deceleration within the acceleration limits from the current commanded velocity. */
    private boolean brakeStep(double[] out) {
        boolean moving = false;
        for (int i = 0; i < dof; i++) {
            double dvMax = cfg.accelerationLimitRadPerSec2()[i] * dt;
            double v = vel[i];
            v = Math.abs(v) <= dvMax ? 0 : v - Math.copySign(dvMax, v);
            out[i] = clamp(prev[i] + v * dt, cfg.positionLowerRad()[i], cfg.positionUpperRad()[i]);
            moving |= v != 0;
        }
        return moving;
    }

    /** Switches to the safe stop; {@link #filter} must not be called afterwards until {@link #start}. */
    public void beginStop() {
        stopping = true;
    }

    public boolean stopping() {
        return stopping;
    }

    /** True once deceleration has finished and the hold (or zero-torque) command is being sent. */
    public boolean stopped() {
        return stopped;
    }

    /** One tick of the safe stop into {@code out}: deceleration, then hold / zero torque. */
    public void stopTick(JointCommand out) {
        boolean moving = !stopped && brakeStep(candidate);
        for (int i = 0; i < dof; i++) {
            if (!stopped) {
                vel[i] = (candidate[i] - prev[i]) / dt;
                prev[i] = candidate[i];
            }
            out.positionsRad[i] = prev[i];
        }
        if (!moving) {
            stopped = true;
            out.mode = SafetyConfig.ZERO_TORQUE.equals(cfg.stopMode()) ? JointCommand.Mode.ZERO_TORQUE
                    : JointCommand.Mode.HOLD;
        } else {
            out.mode = JointCommand.Mode.POSITION;
        }
    }

    public long commands() {
        return commands;
    }

    public long clippedPosition() {
        return clippedPosition;
    }

    public long clippedVelocity() {
        return clippedVelocity;
    }

    public long clippedStep() {
        return clippedStep;
    }

    public long clippedAcceleration() {
        return clippedAcceleration;
    }

    public long workspaceRejected() {
        return workspaceRejected;
    }

    public long softStartTicks() {
        return softStartTicksUsed;
    }

    static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
