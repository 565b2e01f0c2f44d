package org.armature.offline.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;

/**
 * Builds mixed datasets by trajectory counts, as in Hong et al. (ICLR 2023): e.g. 5% expert and 95% random
 * trajectories. Each source contributes {@code round(fraction × total)} whole episodes drawn without replacement
 * (seeded); the total is the largest one every source can supply, or the requested number of episodes.
 */
public final class Mixer {

    /** One source and the fraction of the mixed dataset's episodes it provides. */
    public record Part(String name, OfflineDataset dataset, double fraction) {
    }

    private Mixer() {
    }

    /**
     * @param totalEpisodes episodes in the result; 0 for the largest total the sources allow
     */
    public static OfflineDataset mix(List<Part> parts, int totalEpisodes, long seed) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("mix needs at least one FILE:FRACTION");
        }
        double sum = 0;
        for (Part p : parts) {
            if (!(p.fraction > 0) || p.fraction > 1) {
                throw new IllegalArgumentException("fraction for " + p.name + " is " + p.fraction
                        + ", expected a number in (0, 1]");
            }
            sum += p.fraction;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("fractions add up to " + sum + ", expected 1");
        }
        int total = totalEpisodes;
        if (total <= 0) {
            total = Integer.MAX_VALUE;
            for (Part p : parts) {
                total = (int) Math.min(total, Math.floor(p.dataset.episodeCount() / p.fraction + 1e-9));
            }
        }
        List<OfflineDataset> selected = new ArrayList<>();
        StringBuilder desc = new StringBuilder("mix(");
        SplittableRandom rng = new SplittableRandom(seed);
        for (Part p : parts) {
            int k = (int) Math.round(p.fraction * total);
            int available = p.dataset.episodeCount();
            if (k > available) {
                throw new IllegalArgumentException(p.name + " has " + available + " episodes but the mix needs "
                        + k + " (" + p.fraction + " of " + total + ")");
            }
            if (k == 0) {
                throw new IllegalArgumentException(p.name + " would contribute 0 of " + total + " episodes; "
                        + "use more episodes or a larger fraction");
            }
            int[] pick = draw(available, k, rng);
            java.util.Arrays.sort(pick);
            selected.add(p.dataset.selectEpisodes(pick));
            if (desc.length() > 4) {
                desc.append(", ");
            }
            String policy = p.dataset.metadata().collectionPolicy();
            desc.append(p.name).append(policy == null ? "" : "[" + policy + "]").append(':').append(k);
        }
        desc.append(')');
        OfflineDataset first = parts.get(0).dataset;
        DatasetMetadata m = new DatasetMetadata(first.metadata().envId(), desc.toString(), seed, null,
                DatasetMetadata.currentVersion(), java.util.Map.of());
        return OfflineDataset.concat(selected, m);
    }

    /** {@code k} of {@code 0 .. n − 1} drawn without replacement, in draw order (a partial Fisher–Yates shuffle). */
    static int[] draw(int n, int k, SplittableRandom rng) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, k);
    }
}
