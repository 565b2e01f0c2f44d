package org.armature.envs;

import java.util.ArrayList;
import java.util.List;

import org.armature.sim.Model;
import org.armature.sim.ModelSpec;
import org.armature.sim.PhysicsWorld;
import org.armature.sim.Scene;

/**
 * Base class for tasks simulated in a {@link PhysicsWorld}: builds the model (on the calling thread, which then owns
 * the env), holds the initial snapshot that every reset restores, steps {@code frameSkip} physics steps per control
 * step with the control held, applies optional physics randomisation at reset, and derives the {@link Scene} from
 * the world.
 */
public abstract class PhysicsEnv extends AbstractEnv {

    protected final PhysicsWorld world;
    protected final Model model;
    protected final int frameSkip;
    private final PhysicsWorld.Snapshot initialState;
    private ModelSpec.Randomization physicsRandomization;

    protected PhysicsEnv(ModelSpec spec, PhysicsWorld.Config config, int frameSkip, float groundFriction,
                         int actionDim) {
        super(actionDim);
        if (frameSkip < 1) {
            throw new IllegalArgumentException("frameSkip must be >= 1, got " + frameSkip);
        }
        this.world = new PhysicsWorld(config);
        if (groundFriction > 0) {
            world.addGroundPlane(groundFriction);
        }
        this.model = Model.build(spec, world);
        this.frameSkip = frameSkip;
        this.initialState = world.snapshot();
    }

    /** Control period: {@code frameSkip * physicsDt}. */
    public double controlDtSeconds() {
        return frameSkip * world.physicsDtSeconds();
    }

    public PhysicsWorld world() {
        return world;
    }

    public Model model() {
        return model;
    }

    public int frameSkip() {
        return frameSkip;
    }

    /**
     * Enables domain randomisation of masses, friction, actuator gains and strength, drawn from the env's seeded
     * random stream at every reset; null restores nominal parameters (the default).
     */
    public void setPhysicsRandomization(ModelSpec.Randomization ranges) {
        this.physicsRandomization = ranges;
    }

    /** Restores the initial world state and draws physics parameters; call first in {@code resetTask}. */
    protected void restoreInitialState() {
        world.restore(initialState);
        if (physicsRandomization != null) {
            model.randomize(rng(), physicsRandomization);
        } else {
            model.resetPhysicsParameters();
        }
        model.setControl(new float[model.actuatorCount()]);
    }

    /** Holds {@code control} for {@code frameSkip} physics steps. */
    protected void simulate(float[] control) {
        model.setControl(control);
        world.step(frameSkip);
    }

    @Override
    public Scene scene() {
        List<Scene.Shape> shapes = new ArrayList<>();
        model.appendScene(shapes);
        addSceneExtras(shapes);
        return new Scene(shapes, cameras(), trackedShape(), true);
    }

    /** Markers (targets, goals) and extra objects for the scene. */
    protected void addSceneExtras(List<Scene.Shape> shapes) {
    }

    /** Fixed cameras the task suggests. */
    protected List<Scene.Camera> cameras() {
        return List.of();
    }

    /** Shape index a tracking camera follows, or -1. */
    protected int trackedShape() {
        return -1;
    }
}
