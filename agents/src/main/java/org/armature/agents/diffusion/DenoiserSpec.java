package org.armature.agents.diffusion;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Architecture of a {@link Denoiser}, as written to bundle.json. {@code type} {@value #UNET}: Diffusion Policy's
 * conditional 1-D temporal U-Net ({@code downDims}, {@code kernelSize}, {@code groups}); {@value #MLP}: residual MLP
 * blocks with LayerNorm ({@code hidden}, {@code blocks}), the form DPPO and DSRL use. Both embed the diffusion step
 * sinusoidally into {@code stepEmbedDim} values followed by a {@code Linear(d, 4d) → Mish → Linear(4d, d)} encoder.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DenoiserSpec(String type, int actionDim, int horizon, int conditionDim, int stepEmbedDim,
                           int[] downDims, Integer kernelSize, Integer groups, Integer hidden, Integer blocks) {

    public static final String UNET = "unet";
    public static final String MLP = "mlp";

    /** The U-Net with Diffusion Policy's step embedding (256), kernel 5 and 8 GroupNorm groups. */
    public static DenoiserSpec unet(int actionDim, int horizon, int conditionDim, int... downDims) {
        return new DenoiserSpec(UNET, actionDim, horizon, conditionDim, 256, downDims.clone(), 5, 8, null, null);
    }

    /** The residual MLP denoiser with a 128-wide step embedding. */
    public static DenoiserSpec mlp(int actionDim, int horizon, int conditionDim, int hidden, int blocks) {
        return new DenoiserSpec(MLP, actionDim, horizon, conditionDim, 128, null, null, null, hidden, blocks);
    }
}
