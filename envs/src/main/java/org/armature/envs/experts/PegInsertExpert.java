package org.armature.envs.experts;

import org.armature.envs.tasks.manipulation.PegInsertEnv;

/**
 * Scripted expert for {@code PegInsert-v1}: a two-phase insertion routine as a human teleoperator would do it.
 * <ol>
 *   <li><b>align</b>: hover the peg tip {@value #HOVER_M} m above the rim, centred on the hole and with the yaw
 *       matched modulo 90 degrees (the peg is square);</li>
 *   <li><b>descend</b>: push down while keeping the tip centred above the rim, compliant sideways once inside (the
 *       walls guide the peg); if the tip drifts off-centre above the rim, stays on the rim, or stops going deeper
 *       while wedged part-way in, go back to align (lift and retry).</li>
 * </ol>
 * The hole pose is the running mean of its noisy observations since the episode began, so observation noise
 * averages out as a person's estimate would. Uses the observation only.
 */
public final class PegInsertExpert extends AbstractExpert {

    static final double HOVER_M = 0.015;
    static final double ALIGN_TOLERANCE_M = 0.0015;
    static final double ALIGN_YAW_TOLERANCE = 0.03;
    static final double ABORT_TOLERANCE_M = 0.004;
    static final double DESCEND_ACTION = -0.5;
    static final int JAM_STEPS = 15;

    private enum Phase { ALIGN, DESCEND }

    private Phase phase;
    private final double[] holeSum = new double[4];
    private int holeCount;
    private int jammed;
    private double lowestTip;
    private int stalled;

    public PegInsertExpert(double noiseStd, long seed) {
        super(noiseStd, seed);
        resetEpisode();
    }

    @Override
    protected void resetEpisode() {
        phase = Phase.ALIGN;
        java.util.Arrays.fill(holeSum, 0);
        holeCount = 0;
        jammed = 0;
        lowestTip = Double.POSITIVE_INFINITY;
        stalled = 0;
    }

    @Override
    public float[] act(float[] o) {
        for (int k = 0; k < 4; k++) {
            holeSum[k] += o[7 + k];
        }
        holeCount++;
        double hx = holeSum[0] / holeCount;
        double hy = holeSum[1] / holeCount;
        double rim = holeSum[2] / holeCount;
        double hyaw = holeSum[3] / holeCount;
        double ex = hx - o[0];
        double ey = hy - o[1];
        double exy = Math.sqrt(ex * ex + ey * ey);
        double eyaw = PegInsertEnv.wrapQuarter(hyaw - o[3]);
        double above = o[2] - rim;
        double[] a = new double[4];
        a[0] = ex / PegInsertEnv.DELTA_POS_M;
        a[1] = ey / PegInsertEnv.DELTA_POS_M;
        a[3] = eyaw / PegInsertEnv.DELTA_YAW_RAD;
        if (phase == Phase.ALIGN) {
            // stay high until roughly above the hole so the peg never sweeps into the fixture walls
            double hover = exy > 0.02 ? HOVER_M + 0.03 : HOVER_M;
            a[2] = (rim + hover - o[2]) / PegInsertEnv.DELTA_POS_M;
            if (exy < ALIGN_TOLERANCE_M && Math.abs(eyaw) < ALIGN_YAW_TOLERANCE && Math.abs(above - HOVER_M) < 0.005) {
                phase = Phase.DESCEND;
                jammed = 0;
            }
        } else {
            a[2] = DESCEND_ACTION;
            if (above < 0) {
                // inside the opening: stay compliant sideways and let the walls guide the peg
                a[0] = 0;
                a[1] = 0;
                a[3] = 0;
            }
            if (above > -0.003) {
                jammed++;
                if (exy > ABORT_TOLERANCE_M || jammed > JAM_STEPS) {
                    phase = Phase.ALIGN;
                }
            } else if (above > -PegInsertEnv.SUCCESS_DEPTH_M - 0.002) {
                // wedged part-way in: no progress for a while means lift and realign
                if (o[2] < lowestTip - 0.001) {
                    lowestTip = o[2];
                    stalled = 0;
                } else if (++stalled > JAM_STEPS) {
                    phase = Phase.ALIGN;
                }
            }
        }
        if (phase == Phase.ALIGN) {
            lowestTip = Double.POSITIVE_INFINITY;
            stalled = 0;
        }
        // keep the commanded step inside the box, preserving the direction of the planar correction
        double m = Math.max(Math.abs(a[0]), Math.abs(a[1]));
        if (m > 1) {
            a[0] /= m;
            a[1] /= m;
        }
        return noisyClipped(a, -1, 1);
    }
}
