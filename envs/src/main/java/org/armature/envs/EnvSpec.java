package org.armature.envs;

/**
 * Static description of an environment.
 *
 * @param id               versioned id, e.g. {@code Hopper-v1}
 * @param observationSpace observation box (float32)
 * @param actionSpace      action box (float32); actions outside it are clipped and counted
 * @param controlDtSeconds simulated seconds per {@code step()} ({@code frameSkip * physicsDt})
 * @param maxEpisodeSteps  episode limit applied by {@link org.armature.envs.wrappers.TimeLimit}; 0 for none
 */
public record EnvSpec(String id, BoxSpace observationSpace, BoxSpace actionSpace, double controlDtSeconds,
                      int maxEpisodeSteps) {

    public int observationDim() {
        return observationSpace.dim();
    }

    public int actionDim() {
        return actionSpace.dim();
    }

    public EnvSpec withObservationSpace(BoxSpace space) {
        return new EnvSpec(id, space, actionSpace, controlDtSeconds, maxEpisodeSteps);
    }

    public EnvSpec withActionSpace(BoxSpace space) {
        return new EnvSpec(id, observationSpace, space, controlDtSeconds, maxEpisodeSteps);
    }

    public EnvSpec withControlDt(double dtSeconds) {
        return new EnvSpec(id, observationSpace, actionSpace, dtSeconds, maxEpisodeSteps);
    }

    public EnvSpec withMaxEpisodeSteps(int steps) {
        return new EnvSpec(id, observationSpace, actionSpace, controlDtSeconds, steps);
    }
}
