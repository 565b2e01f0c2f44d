package org.armature.agents.diffusion;

import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Builds the denoiser a {@link DenoiserSpec} describes. */
public final class Denoisers {

    private Denoisers() {
    }

    public static Denoiser build(DenoiserSpec spec, DataType dtype, Rng rng) {
        return switch (spec.type()) {
            case DenoiserSpec.MLP -> new MlpDenoiser(spec, dtype, rng);
            case DenoiserSpec.UNET -> new UnetDenoiser(spec, dtype, rng);
            default -> throw new IllegalArgumentException("unknown denoiser type '" + spec.type() + "', expected "
                    + DenoiserSpec.MLP + " or " + DenoiserSpec.UNET);
        };
    }
}
