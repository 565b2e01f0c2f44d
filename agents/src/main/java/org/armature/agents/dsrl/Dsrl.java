package org.armature.agents.dsrl;

import org.armature.agents.Sac;

/**
 * DSRL-SAC (Wagenmaker et al. 2025, "Steering Your Diffusion Policy with Latent Space RL"; code ajwagen/dsrl): SAC
 * whose action is the initial noise of a frozen diffusion policy's DDIM sampler for a whole chunk
 * ({@code chunkLength × actionDim} values, bounded by {@code noiseMagnitude}), on {@link NoiseSpaceEnv}. The base's
 * weights never change; the bundle runs base and noise actor as one {@link org.armature.agents.NoiseSpacePolicy}.
 *
 * <pre>
 *   latent MDP:  s_t (decision), w_t ~ π(·|s_t) ∈ [−m, m]^(Tp·|A|),  chunk = DDIM(s_t, w_t) played for Ta steps
 *   reward:      R_t = Σ_{k&lt;Ta} γ^k r_{t+k},   target  y = R_t + γ^Ta (1 − d) (min_i Q'_i(s', w') − α log π(w'|s'))
 * </pre>
 * The SAC update is {@link Sac}'s (CleanRL's, with the discount of each batch row); what DSRL adds is the action
 * space, the chunk-level transition and its discount. DSRL-NA (Q in action space, distilled into the noise actor) is
 * not built: its distillation runs the denoiser about ten times per update, several times this machine's budget.
 */
public final class Dsrl {

    private Dsrl() {
    }

    /**
     * DSRL's own settings (the SAC ones are {@code sac.*}); reference values in the comments.
     *
     * @param noiseMagnitude bound of every noise value (DSRL action_magnitude 1.5)
     */
    public record Config(double noiseMagnitude) {
        public static Config defaults() {
            return new Config(1.5);
        }

        public String problem() {
            return noiseMagnitude > 0 && Double.isFinite(noiseMagnitude) ? null
                    : "dsrl.noise_magnitude must be a finite number > 0, got " + noiseMagnitude;
        }
    }

    /**
     * SAC's defaults for DSRL on this machine: LayerNorm critics (DSRL: large LayerNorm networks; 3×2048 there,
     * 2×256 here), the rest CleanRL's.
     */
    public static Sac.Config sacDefaults() {
        Sac.Config c = Sac.Config.cleanRl();
        return new Sac.Config(new int[]{256, 256}, new int[]{256, 256}, c.activation(), true, c.criticDropout(),
                c.gamma(), c.tau(), c.policyLr(), c.qLr(), 1, c.targetNetworkFrequency(), c.autotune(), c.alpha(),
                c.targetEntropyScale(), c.maxGradNorm());
    }
}
