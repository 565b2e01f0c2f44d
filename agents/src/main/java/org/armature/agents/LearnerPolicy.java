package org.armature.agents;

import org.armature.agents.data.Normalization;

/**
 * A learner's deterministic policy in env units, for evaluation: the observation is normalised as the learner was
 * trained (a dataset's {@link Normalization}; none for online learners), the learner acts, and a normalised action in
 * [−1, 1] is mapped back to the env's action box. Reads the learner's current weights on every call.
 */
public final class LearnerPolicy implements Policy {

    private final Learner learner;
    private final Normalization normalization;
    private final int observationDim;
    private final int actionDim;
    private final float[] x;
    private final float[] unit;

    /** @param normalization the dataset normalisation the learner was trained with, or null for env units */
    public LearnerPolicy(Learner learner, Normalization normalization, int observationDim, int actionDim) {
        this.learner = learner;
        this.normalization = normalization;
        this.observationDim = observationDim;
        this.actionDim = actionDim;
        this.x = new float[observationDim];
        this.unit = new float[actionDim];
    }

    @Override
    public void act(float[] observation, float[] out) {
        if (normalization == null) {
            learner.act(observation, out);
            return;
        }
        normalization.observation(observation, 0, x, 0);
        learner.act(x, unit);
        normalization.unscaleAction(unit, out);
    }

    @Override
    public int observationDim() {
        return observationDim;
    }

    @Override
    public int actionDim() {
        return actionDim;
    }
}
