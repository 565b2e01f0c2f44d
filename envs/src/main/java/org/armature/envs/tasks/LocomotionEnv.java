package org.armature.envs.tasks;

import java.util.List;
import java.util.SplittableRandom;

import org.armature.envs.BoxSpace;
import org.armature.envs.EnvSpec;
import org.armature.envs.PhysicsEnv;
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

    /**
     * @param rootZReference value reported for the root's z coordinate in the initial pose (MuJoCo's joint
     *                       {@code ref}: 1.25 for Hopper/Walker2d so that z is absolute, 0 for HalfCheetah)
     */
    protected LocomotionEnv(String id, String modelName, int frameSkip, int observationDim, int maxEpisodeSteps,
                            double rootZReference) {
        this(id, modelName, DEFAULT_PHYSICS, frameSkip, observationDim, maxEpisodeSteps, rootZReference);
    }

    /** As above with a given physics configuration (physics step, solver iterations). */
    protected LocomotionEnv(String id, String modelName, PhysicsWorld.Config physics, int frameSkip,
                            int observationDim, int maxEpisodeSteps, double rootZReference) {
        this(id, ModelSpec.loadResource(modelName), physics, frameSkip, observationDim, maxEpisodeSteps,
                rootZReference);
    }

    private LocomotionEnv(String id, ModelSpec spec, PhysicsWorld.Config physics, int frameSkip, int observationDim,
                          int maxEpisodeSteps, double rootZReference) {
        super(spec, physics, frameSkip, 1.0f, spec.actuators().size());
        this.qpos = new double[model.nq()];
        this.qvel = new double[model.nv()];
        this.initQpos = model.initialQpos();
        this.rootZReference = rootZReference;
        this.rootZInitial = initQpos[1];
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
     * Gymnasium's reset noise: qpos = init + U(-positionScale, positionScale); qvel = U(-s, s) when
     * {@code gaussianVelocity} is false, else s * N(0, 1), with s = {@code velocityScale}. Restores the initial world
     * first and reads the resulting state into {@link #qpos}/{@link #qvel}.
     */
    protected void resetWithNoise(SplittableRandom rng, double positionScale, double velocityScale,
                                  boolean gaussianVelocity) {
        restoreInitialState();
        double[] q = initQpos.clone();
        double[] v = new double[qvel.length];
        for (int i = 0; i < q.length; i++) {
            q[i] += rng.nextDouble(-positionScale, positionScale);
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = gaussianVelocity ? velocityScale * gaussian(rng) : rng.nextDouble(-velocityScale, velocityScale);
        }
        model.setState(q, v);
        readState();
    }

    /** Standard normal by Box-Muller from the env's own stream (deterministic for a seed). */
    static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
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
