package org.armature.envs.tasks;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.armature.envs.BoxSpace;
import org.armature.envs.EnvSpec;
import org.armature.envs.PhysicsEnv;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.sim.ModelSpec;
import org.armature.sim.PhysicsWorld;
import org.armature.sim.Scene;

/**
 * Shared parts of the MuJoCo-style locomotion tasks: generalised state buffers, forward velocity of the root,
 * quadratic control cost, and the observation layout "positions without the x (and y) coordinate, then velocities"
 * of Gymnasium's v5 tasks. Each task (Hopper, Walker2d, HalfCheetah, Ant) is a small subclass.
 */
public abstract class LocomotionEnv extends PhysicsEnv {

    /**
     * Physics of the locomotion tasks unless a task version says otherwise: 1/240 s, 10 solver iterations, and the
     * all-pairs broadphase (one robot on a plane: a handful of candidate pairs, no tree to maintain).
     */
    public static final PhysicsWorld.Config DEFAULT_PHYSICS =
            PhysicsWorld.Config.DEFAULT.withSmallWorldBroadphase(true);

    protected final EnvSpec spec;
    protected final double[] qpos;
    protected final double[] qvel;
    protected final double[] initQpos;
    private final double rootZReference;
    private final double rootZInitial;
    private final double resetNoiseScale;
    private final boolean gaussianResetVelocity;

    /**
     * @param physics               physics configuration (physics step, solver iterations)
     * @param rootZReference        value reported for the root's z coordinate in the initial pose (MuJoCo's joint
     *                              {@code ref}: 1.25 for Hopper/Walker2d so that z is absolute, 0 for HalfCheetah)
     * @param resetNoiseScale       scale of the reset noise on qpos and qvel (see {@link #resetTask})
     * @param gaussianResetVelocity qvel reset noise is Gaussian (Ant, HalfCheetah) rather than uniform
     */
    protected LocomotionEnv(String id, String modelName, PhysicsWorld.Config physics, int frameSkip,
                            int observationDim, int maxEpisodeSteps, double rootZReference, double resetNoiseScale,
                            boolean gaussianResetVelocity) {
        this(id, ModelSpec.loadResource(modelName), physics, frameSkip, observationDim, maxEpisodeSteps,
                rootZReference, resetNoiseScale, gaussianResetVelocity);
    }

    private LocomotionEnv(String id, ModelSpec spec, PhysicsWorld.Config physics, int frameSkip, int observationDim,
                          int maxEpisodeSteps, double rootZReference, double resetNoiseScale,
                          boolean gaussianResetVelocity) {
        super(spec, physics, frameSkip, 1.0f, spec.actuators().size());
        this.qpos = new double[model.nq()];
        this.qvel = new double[model.nv()];
        this.initQpos = model.initialQpos();
        this.rootZReference = rootZReference;
        this.rootZInitial = initQpos[1];
        this.resetNoiseScale = resetNoiseScale;
        this.gaussianResetVelocity = gaussianResetVelocity;
        float[][] ranges = model.controlRanges();
        float[] lo = new float[ranges.length];
        float[] hi = new float[ranges.length];
        for (int i = 0; i < ranges.length; i++) {
            lo[i] = ranges[i][0];
            hi[i] = ranges[i][1];
        }
        this.spec = new EnvSpec(id, BoxSpace.unbounded(observationDim), new BoxSpace(lo, hi), controlDtSeconds(),
                maxEpisodeSteps);
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    /** Reads qpos/qvel from the world into the buffers. */
    protected void readState() {
        model.qpos(qpos);
        model.qvel(qvel);
    }

    /** Planar root's z as MuJoCo reports it (absolute for Hopper/Walker2d, relative to the start for HalfCheetah). */
    protected double rootZ() {
        return qpos[1] - rootZInitial + rootZReference;
    }

    /**
     * Gymnasium's reset noise: qpos = init + U(-s, s); qvel = U(-s, s), or s * N(0, 1) with
     * {@code gaussianResetVelocity}, with s the reset noise scale. Restores the initial world first and reads the
     * resulting state into {@link #qpos}/{@link #qvel}.
     */
    @Override
    protected Reset resetTask(SplittableRandom rng) {
        restoreInitialState();
        double s = resetNoiseScale;
        double[] q = initQpos.clone();
        double[] v = new double[qvel.length];
        for (int i = 0; i < q.length; i++) {
            q[i] += rng.nextDouble(-s, s);
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = gaussianResetVelocity ? s * gaussian(rng) : rng.nextDouble(-s, s);
        }
        model.setState(q, v);
        readState();
        return new Reset(observation());
    }

    protected abstract float[] observation();

    /** Runs one control step, reads the new state, and returns the root's x velocity over the step. */
    protected double simulateForwardVelocity(float[] action) {
        double xBefore = qpos[0];
        simulate(action);
        readState();
        return (qpos[0] - xBefore) / controlDtSeconds();
    }

    /**
     * Step of the planar walkers (Hopper, Walker2d): reward
     * {@code healthy_reward + forward_reward_weight * forward_velocity - ctrl_cost_weight |a|^2}, terminated when
     * {@link #isHealthy()} fails in the new state.
     */
    protected Step healthyPlanarStep(float[] action, double forwardRewardWeight, double ctrlCostWeight,
                                     double healthyReward) {
        double xVelocity = simulateForwardVelocity(action);
        boolean healthy = isHealthy();
        double forward = forwardRewardWeight * xVelocity;
        double ctrlCost = controlCost(action, ctrlCostWeight);
        double reward = forward + healthyReward - ctrlCost;
        return new Step(observation(), reward, !healthy, false, Map.of(
                "x_position", qpos[0], "x_velocity", xVelocity, "z", rootZ(),
                "reward_forward", forward, "reward_ctrl", -ctrlCost, "reward_survive", healthyReward));
    }

    /** Observation of the planar robots: root z, then qpos[2:], then qvel, each clipped to +-velocityClip. */
    protected float[] planarObservation(double velocityClip) {
        float[] o = new float[spec.observationDim()];
        o[0] = (float) rootZ();
        for (int i = 2; i < qpos.length; i++) {
            o[i - 1] = (float) qpos[i];
        }
        int off = qpos.length - 1;
        for (int i = 0; i < qvel.length; i++) {
            o[off + i] = (float) Math.max(-velocityClip, Math.min(velocityClip, qvel[i]));
        }
        return o;
    }

    /** The state is healthy (the episode goes on); here: all of qpos and qvel finite. */
    protected boolean isHealthy() {
        return allFinite(qpos) && allFinite(qvel);
    }

    protected static double controlCost(float[] action, double weight) {
        double s = 0;
        for (float a : action) {
            s += a * a;
        }
        return weight * s;
    }

    protected static boolean allFinite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected List<Scene.Camera> cameras() {
        return List.of(new Scene.Camera("side", new float[]{0f, -4f, 1.0f}, new float[]{0f, 0f, 0.8f}, 45f));
    }

    @Override
    protected int trackedShape() {
        return 0;
    }
}
