package org.armature.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A robot's safety limits, read from a per-robot JSON file. Every field may be left out: {@link #resolve} fills it
 * from the robot's datasheet limits ({@link RobotModel}). The per-tick change limit is always on (leaving it out
 * gives the default; it cannot be switched off, only widened).
 *
 * @param positionLowerRad             commanded positions are clipped into [lower, upper]
 * @param positionUpperRad             see lower
 * @param velocityLimitRadPerSec       commanded joint speed limit
 * @param accelerationLimitRadPerSec2  commanded joint acceleration limit (also the safe stop's deceleration)
 * @param effortLimitNm                a measured torque beyond this stops the robot
 * @param maxStepRadPerTick            per-tick change limit of each commanded position (default: velocity limit
 *                                     times the command period)
 * @param workspaceMinM                Cartesian box for the tool centre point, checked through forward kinematics
 *                                     for every joint command (needs kinematics)
 * @param workspaceMaxM                see min
 * @param softStartSeconds             ramp from the measured state to the policy's commands
 * @param staleStateMillis             state older than this (local clock at receive) stops the robot
 * @param linkTimeoutMillis            no packet at all for this long is link loss
 * @param missedDeadlinesInARow        this many missed command slots in a row stop the robot
 * @param stateLimitMarginRad          a measured position this far beyond the limits stops the robot
 * @param measuredVelocityFactor       a measured speed above factor x velocity limit stops the robot
 * @param stopMode                     {@code hold} or {@code zero_torque}: what the robot does once decelerated
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SafetyConfig(double[] positionLowerRad, double[] positionUpperRad, double[] velocityLimitRadPerSec,
                           double[] accelerationLimitRadPerSec2, double[] effortLimitNm, double[] maxStepRadPerTick,
                           double[] workspaceMinM, double[] workspaceMaxM, Double softStartSeconds,
                           Double staleStateMillis, Double linkTimeoutMillis, Integer missedDeadlinesInARow,
                           Double stateLimitMarginRad, Double measuredVelocityFactor, String stopMode) {

    /** Soft-start ramp length (s). */
    public static final double DEFAULT_SOFT_START_SECONDS = 1.0;
    /** Lower bound of the staleness default: above the 20 ms added-latency experiment with margin. */
    public static final double MIN_STALE_STATE_MILLIS = 50.0;
    /** Staleness default in policy decision periods (when that is longer than the lower bound). */
    public static final int STALE_STATE_DECISION_PERIODS = 3;
    public static final double DEFAULT_LINK_TIMEOUT_MILLIS = 250.0;
    public static final int DEFAULT_MISSED_DEADLINES_IN_A_ROW = 5;
    public static final double DEFAULT_STATE_LIMIT_MARGIN_RAD = 0.05;
    public static final double DEFAULT_MEASURED_VELOCITY_FACTOR = 1.2;
    public static final String HOLD = "hold";
    public static final String ZERO_TORQUE = "zero_torque";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Nothing set: every limit from the robot's datasheet. */
    public static SafetyConfig empty() {
        return new SafetyConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** The robot's defaults, resolved for a command period and a policy decision period. */
    public static SafetyConfig defaults(RobotModel robot, double commandPeriodSeconds, double decisionPeriodSeconds) {
        return empty().resolve(robot, commandPeriodSeconds, decisionPeriodSeconds);
    }

    /** Reads a JSON file; errors name the file and the problem. */
    public static SafetyConfig load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        try {
            return JSON.readValue(file.toFile(), SafetyConfig.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("safety config " + file + ": " + e.getOriginalMessage()
                    .replace('\n', ' '));
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fills every missing field from the robot's limits and checks the result (sizes, signs, order). */
    public SafetyConfig resolve(RobotModel robot, double commandPeriodSeconds, double decisionPeriodSeconds) {
        int n = robot.dof();
        double[] lo = or(positionLowerRad, robot.positionLowerRad());
        double[] hi = or(positionUpperRad, robot.positionUpperRad());
        double[] vel = or(velocityLimitRadPerSec, robot.velocityLimitRadPerSec());
        double[] acc = or(accelerationLimitRadPerSec2, robot.accelerationLimitRadPerSec2());
        double[] eff = or(effortLimitNm, robot.effortLimitNm());
        positive("velocityLimitRadPerSec", vel, n);
        double[] step = maxStepRadPerTick;
        if (step == null) {
            step = new double[n];
            for (int i = 0; i < n; i++) {
                step[i] = vel[i] * commandPeriodSeconds;
            }
        }
        double[] wMin = or(workspaceMinM, robot.workspaceMinM());
        double[] wMax = or(workspaceMaxM, robot.workspaceMaxM());
        double stale = staleStateMillis != null ? staleStateMillis
                : Math.max(MIN_STALE_STATE_MILLIS, STALE_STATE_DECISION_PERIODS * decisionPeriodSeconds * 1e3);
        SafetyConfig c = new SafetyConfig(lo, hi, vel, acc, eff, step, wMin, wMax,
                softStartSeconds != null ? softStartSeconds : DEFAULT_SOFT_START_SECONDS, stale,
                linkTimeoutMillis != null ? linkTimeoutMillis : DEFAULT_LINK_TIMEOUT_MILLIS,
                missedDeadlinesInARow != null ? missedDeadlinesInARow : DEFAULT_MISSED_DEADLINES_IN_A_ROW,
                stateLimitMarginRad != null ? stateLimitMarginRad : DEFAULT_STATE_LIMIT_MARGIN_RAD,
                measuredVelocityFactor != null ? measuredVelocityFactor : DEFAULT_MEASURED_VELOCITY_FACTOR,
                stopMode != null ? stopMode.toLowerCase(Locale.ROOT) : HOLD);
        c.check(n, robot.kinematics() != null);
        return c;
    }

    private void check(int n, boolean hasKinematics) {
        size("positionLowerRad", positionLowerRad, n);
        size("positionUpperRad", positionUpperRad, n);
        positive("velocityLimitRadPerSec", velocityLimitRadPerSec, n);
        positive("accelerationLimitRadPerSec2", accelerationLimitRadPerSec2, n);
        positive("effortLimitNm", effortLimitNm, n);
        positive("maxStepRadPerTick", maxStepRadPerTick, n);
        for (int i = 0; i < n; i++) {
            if (!(positionLowerRad[i] < positionUpperRad[i])) {
                throw new IllegalArgumentException("safety config: positionLowerRad[" + i + "] = "
                        + positionLowerRad[i] + " must be below positionUpperRad[" + i + "] = " + positionUpperRad[i]);
            }
        }
        if ((workspaceMinM == null) != (workspaceMaxM == null)) {
            throw new IllegalArgumentException("safety config: give both workspaceMinM and workspaceMaxM, or neither");
        }
        if (workspaceMinM != null) {
            if (!hasKinematics) {
                throw new IllegalArgumentException("safety config: a workspace box needs the robot's forward "
                        + "kinematics, which this robot does not have");
            }
            size("workspaceMinM", workspaceMinM, 3);
            size("workspaceMaxM", workspaceMaxM, 3);
            for (int k = 0; k < 3; k++) {
                if (!(workspaceMinM[k] < workspaceMaxM[k])) {
                    throw new IllegalArgumentException("safety config: workspaceMinM[" + k + "] must be below "
                            + "workspaceMaxM[" + k + "]");
                }
            }
        }
        nonNegative("softStartSeconds", softStartSeconds);
        positive("staleStateMillis", staleStateMillis);
        positive("linkTimeoutMillis", linkTimeoutMillis);
        if (missedDeadlinesInARow < 1) {
            throw new IllegalArgumentException("safety config: missedDeadlinesInARow must be >= 1, got "
                    + missedDeadlinesInARow);
        }
        nonNegative("stateLimitMarginRad", stateLimitMarginRad);
        if (!(measuredVelocityFactor >= 1)) {
            throw new IllegalArgumentException("safety config: measuredVelocityFactor must be >= 1, got "
                    + measuredVelocityFactor);
        }
        if (!HOLD.equals(stopMode) && !ZERO_TORQUE.equals(stopMode)) {
            throw new IllegalArgumentException("safety config: stopMode is '" + stopMode + "', expected '" + HOLD
                    + "' or '" + ZERO_TORQUE + "'");
        }
    }

    private static double[] or(double[] v, double[] fallback) {
        return v != null ? v.clone() : fallback == null ? null : fallback.clone();
    }

    private static void size(String name, double[] v, int n) {
        if (v.length != n) {
            throw new IllegalArgumentException("safety config: " + name + " has " + v.length + " values, expected "
                    + n);
        }
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("safety config: " + name + " contains a non-finite value");
            }
        }
    }

    private static void positive(String name, double[] v, int n) {
        size(name, v, n);
        for (int i = 0; i < n; i++) {
            if (!(v[i] > 0)) {
                throw new IllegalArgumentException("safety config: " + name + "[" + i + "] must be > 0, got " + v[i]);
            }
        }
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("safety config: " + name + " must be > 0, got " + v);
        }
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("safety config: " + name + " must be >= 0, got " + v);
        }
    }
}
