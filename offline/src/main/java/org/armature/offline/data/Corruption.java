package org.armature.offline.data;

import java.util.SplittableRandom;

import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;

/**
 * Random data corruption following RIQL (Yang et al., NeurIPS 2023, "Towards Robust Offline Reinforcement Learning
 * under Diverse Data Corruption", Sec. 3 and Appendix on corruption details). A fraction {@code ratio} (the paper's
 * corruption rate c, 0.3 in its main results) of the transitions is chosen uniformly without replacement, and in
 * each one element is replaced:
 * <ul>
 *   <li>{@code states}: s ← s + λ ⊙ std(s), λ ~ U[−ε, ε]^{d_s}, std(s) the per-dimension std over the dataset;</li>
 *   <li>{@code actions}: a ← a + λ ⊙ std(a), λ ~ U[−ε, ε]^{d_a} (clipped back to [−1, 1] when the dataset's
 *       actions all lie there, so they stay in the action space);</li>
 *   <li>{@code rewards}: r ← U[−30ε, 30ε];</li>
 *   <li>{@code dynamics}: s' ← s' + λ ⊙ std(s'), λ ~ U[−ε, ε]^{d_s}.</li>
 * </ul>
 * ε is {@code scale} (1.0 in the paper's main results). Only the chosen transition is touched: a corrupted state
 * does not change the previous transition's {@code next_observations}, which is why the output always stores
 * {@code next_observations}. The indices chosen are recorded in {@code infos/corrupted}.
 */
public final class Corruption {

    public enum Kind { STATES, ACTIONS, REWARDS, DYNAMICS }

    /** RIQL's reward corruption range multiplier: r ~ U[−30ε, 30ε]. */
    public static final double REWARD_RANGE = 30.0;

    private Corruption() {
    }

    public static Kind parseKind(String s) {
        for (Kind k : Kind.values()) {
            if (k.name().equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown corruption kind '" + s + "', expected states, actions, rewards "
                + "or dynamics");
    }

    public static OfflineDataset corrupt(OfflineDataset source, Kind kind, double ratio, double scale, long seed) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("corruption ratio " + ratio + " must be in [0, 1]");
        }
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("corruption scale " + scale + " must be a finite number >= 0");
        }
        OfflineDataset d = source.withNextObservations().copy();
        int n = d.size();
        int k = (int) Math.round(ratio * n);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] idx = Mixer.draw(n, k, rng);
        boolean[] corrupted = new boolean[n];
        int od = d.observationDim();
        int ad = d.actionDim();
        switch (kind) {
            case STATES -> {
                double[] std = std(d.observations(), od);
                for (int c = 0; c < k; c++) {
                    perturb(d.observations(), idx[c] * od, std, scale, rng);
                }
            }
            case DYNAMICS -> {
                double[] std = std(d.nextObservations(), od);
                for (int c = 0; c < k; c++) {
                    perturb(d.nextObservations(), idx[c] * od, std, scale, rng);
                }
            }
            case ACTIONS -> {
                double[] std = std(d.actions(), ad);
                boolean unitBox = true;
                for (float a : d.actions()) {
                    unitBox &= a >= -1f && a <= 1f;
                }
                for (int c = 0; c < k; c++) {
                    perturb(d.actions(), idx[c] * ad, std, scale, rng);
                    if (unitBox) {
                        for (int j = 0; j < ad; j++) {
                            int p = idx[c] * ad + j;
                            d.actions()[p] = Math.max(-1f, Math.min(1f, d.actions()[p]));
                        }
                    }
                }
            }
            case REWARDS -> {
                for (int c = 0; c < k; c++) {
                    d.rewards()[idx[c]] = (float) rng.nextDouble(-REWARD_RANGE * scale,
                            Math.nextUp(REWARD_RANGE * scale));
                }
            }
        }
        for (int c = 0; c < k; c++) {
            corrupted[idx[c]] = true;
        }
        java.util.Map<String, Object> infos = new java.util.LinkedHashMap<>(d.infos());
        infos.put("corrupted", corrupted);
        DatasetMetadata m = d.metadata()
                .withExtra("corruption", "riql-random kind=" + kind.name().toLowerCase() + " ratio=" + ratio
                        + " scale=" + scale + " seed=" + seed)
                .withArmatureVersion(DatasetMetadata.currentVersion());
        return new OfflineDataset(od, ad, d.observations(), d.actions(), d.rewards(), d.terminals(), d.timeouts(),
                d.nextObservations(), infos, m);
    }

    private static void perturb(float[] x, int offset, double[] std, double scale, SplittableRandom rng) {
        for (int j = 0; j < std.length; j++) {
            double lambda = scale == 0 ? 0 : rng.nextDouble(-scale, Math.nextUp(scale));
            x[offset + j] += (float) (lambda * std[j]);
        }
    }

    static double[] std(float[] x, int dim) {
        int n = x.length / dim;
        double[] mean = new double[dim];
        double[] m2 = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += x[i * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= Math.max(1, n);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                double dv = x[i * dim + j] - mean[j];
                m2[j] += dv * dv;
            }
        }
        for (int j = 0; j < dim; j++) {
            m2[j] = Math.sqrt(m2[j] / Math.max(1, n));
        }
        return m2;
    }
}
