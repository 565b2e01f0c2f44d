package org.armature.agents.diffusion;

import java.util.Locale;

/**
 * The DDPM forward process and its two reverse samplers, on action chunks normalised to [−1, 1].
 *
 * <ul>
 *   <li>Betas: the squared-cosine schedule of Nichol &amp; Dhariwal 2021 ({@code ᾱ(t) = cos²((t/T + s)/(1 + s) · π/2)},
 *       {@code s = 0.008}, {@code β_t = min(1 − ᾱ(t+1)/ᾱ(t), 0.999)}), Diffusion Policy's {@code squaredcos_cap_v2}
 *       with {@code T = 100} training steps.</li>
 *   <li>Training (Ho et al. 2020, eq. 14): {@code x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε}, the network predicts ε.</li>
 *   <li>DDPM step (Ho et al. 2020, eqs. 6–7) from {@code t} to {@code t'} (the previous step of the chosen
 *       timesteps; {@code t' = t − 1} with all T steps): {@code x̂_0 = (x_t − √(1 − ᾱ_t) ε̂) / √ᾱ_t}, clipped to [−1, 1]
 *       (Diffusion Policy's {@code clip_sample}), posterior mean {@code √ᾱ_t' β / (1 − ᾱ_t) x̂_0 + √α (1 − ᾱ_t') /
 *       (1 − ᾱ_t) x_t} with {@code α = ᾱ_t / ᾱ_t'}, {@code β = 1 − α}, plus {@code σ z} with the "fixed small"
 *       variance {@code σ² = (1 − ᾱ_t') / (1 − ᾱ_t) β} except at the last step.</li>
 *   <li>DDIM step (Song et al. 2021, eq. 12, η = 0, deterministic): {@code x_t' = √ᾱ_t' x̂_0 + √(1 − ᾱ_t') ε̂} with the
 *       clipped {@code x̂_0} and the predicted ε̂; {@code ᾱ} before the first step is 1.</li>
 * </ul>
 *
 * <p>Timestep spacing for {@code k < T} inference steps ({@link Spacing}): {@code trailing} (default; {@code
 * round(T − 1 − i T/k)}, starts at the last training step, as Lin et al. 2024 recommend), {@code leading}
 * ({@code (k − 1 − i) ⌊T/k⌋}, diffusers' default, never starts at pure noise) and {@code linspace}
 * ({@code round(linspace(T − 1, 0, k))}, ends at step 0).
 */
public final class NoiseSchedule {

    /** How {@code k} inference timesteps are chosen out of the {@code T} training steps. */
    public enum Spacing {
        TRAILING, LEADING, LINSPACE;

        public static Spacing parse(String s) {
            for (Spacing v : values()) {
                if (v.name().equalsIgnoreCase(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown timestep spacing '" + s + "', expected trailing, leading or "
                    + "linspace");
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Diffusion Policy's {@code squaredcos_cap_v2}. */
    public static final String SQUARED_COSINE = "squaredcos_cap_v2";
    /** Cosine schedule offset s (Nichol &amp; Dhariwal 2021). */
    static final double COSINE_S = 0.008;
    /** Largest beta (Nichol &amp; Dhariwal 2021 clip betas at 0.999 to avoid singularities near t = T). */
    static final double MAX_BETA = 0.999;

    private final int trainSteps;
    private final double[] alphaBar;

    public NoiseSchedule(int trainSteps) {
        if (trainSteps < 2) {
            throw new IllegalArgumentException("diffusion needs at least 2 training steps, got " + trainSteps);
        }
        this.trainSteps = trainSteps;
        this.alphaBar = new double[trainSteps];
        double prod = 1;
        for (int i = 0; i < trainSteps; i++) {
            double beta = Math.min(1 - cosine((i + 1.0) / trainSteps) / cosine((double) i / trainSteps), MAX_BETA);
            prod *= 1 - beta;
            alphaBar[i] = prod;
        }
    }

    private static double cosine(double u) {
        double c = Math.cos((u + COSINE_S) / (1 + COSINE_S) * Math.PI / 2);
        return c * c;
    }

    public int trainSteps() {
        return trainSteps;
    }

    /** {@code ᾱ_t} (1 for {@code t < 0}: the clean sample before the first step). */
    public double alphaBar(int t) {
        return t < 0 ? 1.0 : alphaBar[t];
    }

    /** The {@code k} timesteps a sampler visits, from the noisiest down. */
    public int[] timesteps(int k, Spacing spacing) {
        if (k < 1 || k > trainSteps) {
            throw new IllegalArgumentException("inference steps must be in 1.." + trainSteps + ", got " + k);
        }
        int[] ts = new int[k];
        for (int i = 0; i < k; i++) {
            ts[i] = switch (spacing) {
                case TRAILING -> (int) Math.round(trainSteps - 1 - i * (double) trainSteps / k);
                case LEADING -> (k - 1 - i) * (trainSteps / k);
                case LINSPACE -> k == 1 ? trainSteps - 1
                        : (int) Math.round((trainSteps - 1) * (1 - i / (double) (k - 1)));
            };
        }
        return ts;
    }

    /** {@code x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε}, for {@code n} values from offset {@code off}. */
    public void addNoise(float[] x0, float[] eps, int t, float[] xt, int off, int n) {
        double a = Math.sqrt(alphaBar[t]);
        double b = Math.sqrt(1 - alphaBar[t]);
        for (int i = off; i < off + n; i++) {
            xt[i] = (float) (a * x0[i] + b * eps[i]);
        }
    }

    /**
     * One reverse step in place: {@code x} holds {@code x_t} and becomes {@code x_{prev}} ({@code prev < 0}: the
     * final clean sample). {@code z} is the DDPM noise (ignored by DDIM and at the last DDPM step).
     */
    public void step(boolean ddim, float[] x, float[] epsHat, int t, int prev, float[] z) {
        double abT = alphaBar[t];
        double abPrev = alphaBar(prev);
        double sqrtAb = Math.sqrt(abT);
        double sqrtOneMinusAb = Math.sqrt(1 - abT);
        if (ddim) {
            double a = Math.sqrt(abPrev);
            double b = Math.sqrt(1 - abPrev);
            for (int i = 0; i < x.length; i++) {
                double x0 = clip((x[i] - sqrtOneMinusAb * epsHat[i]) / sqrtAb);
                x[i] = (float) (a * x0 + b * epsHat[i]);
            }
            return;
        }
        double alpha = abT / abPrev;
        double beta = 1 - alpha;
        double c0 = Math.sqrt(abPrev) * beta / (1 - abT);
        double ct = Math.sqrt(alpha) * (1 - abPrev) / (1 - abT);
        double sigma = prev < 0 ? 0 : Math.sqrt(Math.max((1 - abPrev) / (1 - abT) * beta, 1e-20));
        for (int i = 0; i < x.length; i++) {
            double x0 = clip((x[i] - sqrtOneMinusAb * epsHat[i]) / sqrtAb);
            x[i] = (float) (c0 * x0 + ct * x[i] + sigma * (z == null ? 0 : z[i]));
        }
    }

    private static double clip(double v) {
        return Math.max(-1, Math.min(1, v));
    }
}
