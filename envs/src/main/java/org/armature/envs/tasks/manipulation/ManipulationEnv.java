package org.armature.envs.tasks.manipulation;

import java.util.LinkedHashMap;
import java.util.Map;

import org.armature.envs.EnvSpec;
import org.armature.envs.PhysicsEnv;
import org.armature.envs.Step;
import org.armature.sim.ModelSpec;
import org.armature.sim.PhysicsWorld;

/**
 * Shared reward plumbing of the manipulation tasks, each of which comes in two variants:
 * <ul>
 *   <li><b>dense</b> ({@code Reach-v1}, ...): the shaped reward is the sum of named terms, each reported in
 *       {@code info} as {@code reward_<term>}; success does not end the episode (Meta-World's convention), the
 *       time limit does;</li>
 *   <li><b>sparse</b> ({@code ReachSparse-v1}, ...): reward 1 on the step that succeeds, which terminates the
 *       episode, 0 otherwise.</li>
 * </ul>
 * Both report {@code info.success} (a {@link Boolean}) on every step, computed from the physics state only, so the
 * two variants agree on success for the same seed and actions. A state that is no longer finite (a physics blow-up)
 * terminates the episode in both variants with {@code info.physics_diverged = true}.
 */
public abstract class ManipulationEnv extends PhysicsEnv {

    protected final boolean sparse;
    protected final EnvSpec spec;

    protected ManipulationEnv(ModelSpec model, PhysicsWorld.Config config, int frameSkip, float groundFriction,
                              boolean sparse, EnvSpecFactory specFactory, int actionDim) {
        super(model, config, frameSkip, groundFriction, actionDim);
        this.sparse = sparse;
        this.spec = specFactory.make(controlDtSeconds());
    }

    /** Builds the spec once the control period is known. */
    @FunctionalInterface
    protected interface EnvSpecFactory {
        EnvSpec make(double controlDtSeconds);
    }

    @Override
    public boolean definesSuccess() {
        return true;
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    public boolean isSparse() {
        return sparse;
    }

    /**
     * Assembles the step from the task's success flag and reward terms ({@code terms[i]} named {@code names[i]}).
     * {@code extraInfo} entries (may be null) are added to {@code info} in both variants.
     */
    protected Step finish(float[] observation, boolean success, String[] names, double[] terms,
                          Map<String, Object> extraInfo) {
        boolean diverged = !allFinite(observation);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("success", success && !diverged);
        if (extraInfo != null) {
            info.putAll(extraInfo);
        }
        if (!sparse) {
            for (int i = 0; i < terms.length; i++) {
                info.put("reward_" + names[i], terms[i]);
            }
        }
        double reward = reward(success, terms, diverged);
        if (diverged) {
            info.put("physics_diverged", true);
            java.util.Arrays.fill(observation, 0f);
        }
        boolean terminated = diverged || (sparse && success);
        return new Step(observation, reward, terminated, false, info);
    }

    /**
     * The reward of a step from the task's success flag and reward terms, and whether its state diverged: 1 or 0
     * on success in the sparse variant, the sum of the terms in the dense one, 0 for a diverged state. The one
     * formula behind {@link #finish} and the tasks' {@link org.armature.envs.StepReward}.
     */
    protected final double reward(boolean success, double[] terms, boolean diverged) {
        if (sparse) {
            return success && !diverged ? 1.0 : 0.0;
        }
        if (diverged) {
            return 0;
        }
        double reward = 0;
        for (double t : terms) {
            reward += t;
        }
        return reward;
    }

    protected static boolean allFinite(float[] x) {
        for (float v : x) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
