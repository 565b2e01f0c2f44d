package org.armature.agents;

import org.armature.nn.Rng;

/**
 * Draws a fixed fraction of each batch from one sampler and the rest from another (RLPD-style symmetric
 * sampling of demonstrations and online data, Ball et al. 2023), e.g. {@code new MixedSampler(demos, online, 0.5)}.
 * Extra arrays must exist in both sources under the same names.
 */
public final class MixedSampler implements Sampler {

    private final Sampler first;
    private final Sampler second;
    private final double firstFraction;
    private Batch a;
    private Batch b;

    public MixedSampler(Sampler first, Sampler second, double firstFraction) {
        if (!(firstFraction >= 0 && firstFraction <= 1)) {
            throw new IllegalArgumentException("firstFraction must be in [0, 1], got " + firstFraction);
        }
        this.first = first;
        this.second = second;
        this.firstFraction = firstFraction;
    }

    @Override
    public void sample(Batch batch, Rng rng) {
        int na = (int) Math.round(batch.size * firstFraction);
        int nb = batch.size - na;
        if (a == null || a.size != na) {
            a = na == 0 ? null : like(batch, na);
        }
        if (b == null || b.size != nb) {
            b = nb == 0 ? null : like(batch, nb);
        }
        if (a != null) {
            first.sample(a, rng);
            copyRows(a, batch, 0);
        }
        if (b != null) {
            second.sample(b, rng);
            copyRows(b, batch, na);
        }
    }

    private static Batch like(Batch t, int n) {
        Batch x = new Batch(n, t.observations.cols, t.actions.cols, t.observations.dataType());
        t.extras().forEach((k, v) -> x.extra(k, v.cols));
        return x;
    }

    private static void copyRows(Batch src, Batch dst, int row0) {
        copy(src.observations, dst.observations, row0);
        copy(src.actions, dst.actions, row0);
        copy(src.rewards, dst.rewards, row0);
        copy(src.nextObservations, dst.nextObservations, row0);
        copy(src.discounts, dst.discounts, row0);
        dst.extras().forEach((k, v) -> copy(src.extras().get(k), v, row0));
    }

    private static void copy(org.armature.nn.Mat s, org.armature.nn.Mat d, int row0) {
        s.toHost();
        d.toHost();
        int n = s.length();
        int off = row0 * d.cols;
        for (int i = 0; i < n; i++) {
            d.set(off + i, s.get(i));
        }
        d.hostWritten();
    }

    @Override
    public long size() {
        return Math.min(first.size(), second.size());
    }
}
