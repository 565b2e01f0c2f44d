package org.armature.nn;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Architecture of one layer as written to {@code bundle.json}: {@code type} is one of {@code linear},
 * {@code relu}, {@code tanh}, {@code silu}, {@code mish}, {@code layer_norm}, {@code dropout}; {@code in}/{@code out}
 * are feature sizes, {@code p} the dropout probability, {@code eps} the LayerNorm epsilon.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerSpec(String type, Integer in, Integer out, Double p, Double eps) {

    public static LayerSpec of(String type, int size) {
        return new LayerSpec(type, size, size, null, null);
    }
}
