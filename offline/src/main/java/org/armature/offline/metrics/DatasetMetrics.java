package org.armature.offline.metrics;

import org.armature.agents.data.OfflineDataset;
import org.armature.agents.data.Trajectories;
/**
 * Schweighofer et al.'s dataset measures.
 *
 * @param trajectoryQuality   TQ = (mean episode return − random return) / (expert return − random return)
 * @param stateActionCoverage SACo = unique discretised (s, a) pairs in the dataset ÷ those of the reference run
 * @param uniqueStateActions  HyperLogLog estimate for the dataset
 * @param referenceUnique     HyperLogLog estimate for the reference run
 */
public record DatasetMetrics(double meanReturn, double randomReturn, double expertReturn, double trajectoryQuality,
                             double uniqueStateActions, double referenceUnique, double stateActionCoverage,
                             int bins, String referenceSource) {

    public static DatasetMetrics compute(OfflineDataset d, ReferenceScores.Reference ref, OfflineDataset referenceRun,
                                         String referenceName, int bins) {
        double mean = 0;
        Trajectories tr = d.trajectories();
        for (int e = 0; e < tr.count(); e++) {
            mean += tr.episodeReturn(e);
        }
        mean /= Math.max(1, tr.count());
        double tq = ref.trajectoryQuality(mean);
        double unique = Double.NaN;
        double refUnique = Double.NaN;
        if (referenceRun != null) {
            StateActionCoverage cov = StateActionCoverage.boundsOf(referenceRun, bins);
            unique = cov.uniqueStateActions(d);
            refUnique = cov.uniqueStateActions(referenceRun);
        }
        return new DatasetMetrics(mean, ref.randomReturn(), ref.expertReturn(), tq, unique, refUnique,
                unique / refUnique, bins, referenceName);
    }

    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("mean episode return   %.3f%n", meanReturn));
        sb.append(String.format("reference returns     random %.3f, expert %.3f%n", randomReturn, expertReturn));
        sb.append(String.format("TQ (trajectory quality)      %.4f%n", trajectoryQuality));
        if (Double.isNaN(stateActionCoverage)) {
            sb.append("SACo                         (no reference run: pass --reference REPLAY.h5)\n");
        } else {
            sb.append(String.format("SACo (state-action coverage) %.4f  (%.0f unique pairs / %.0f in reference %s, "
                    + "%d bins per dimension, HyperLogLog)%n", stateActionCoverage, uniqueStateActions,
                    referenceUnique, referenceSource, bins));
        }
        return sb.toString();
    }
}
