package org.armature.agents;

/**
 * The observation history of a policy loaded from a bundle: each new observation is normalised as the bundle says
 * and becomes the newest of {@code history} frames (oldest first) at the start of a caller's input array; an
 * episode's first observation fills every frame, as Diffusion Policy pads. Shared by every bundle policy, so MLP and
 * diffusion policies see exactly the inputs their training windows had.
 */
public final class ObservationFrames {

    private final PolicyBundles.Normalization normalization;
    private final int obsDim;
    private final int history;
    private int pushed;

    public ObservationFrames(PolicyBundles.Spec spec) {
        this.normalization = spec.observationNormalization();
        this.obsDim = spec.observationSpace().low().length;
        this.history = spec.history();
    }

    /** Starts an episode: the next observation fills the whole history. */
    public void reset() {
        pushed = 0;
    }

    /** Shifts the frames in {@code input[0, history · obsDim)} one frame older and normalises the newest in. */
    public void push(float[] observation, float[] input) {
        if (observation.length != obsDim) {
            throw new IllegalArgumentException("policy expects observations of " + obsDim + " values, got "
                    + observation.length);
        }
        int newest = (history - 1) * obsDim;
        if (history > 1) {
            System.arraycopy(input, obsDim, input, 0, newest);
        }
        for (int i = 0; i < obsDim; i++) {
            input[newest + i] = (float) BundlePolicy.normalize(normalization, i, observation[i]);
        }
        if (pushed == 0) {
            for (int f = 0; f < history - 1; f++) {
                System.arraycopy(input, newest, input, f * obsDim, obsDim);
            }
        }
        pushed++;
    }
}
