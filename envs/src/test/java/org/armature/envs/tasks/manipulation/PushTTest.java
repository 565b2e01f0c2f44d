package org.armature.envs.tasks.manipulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.armature.envs.EnvChecker;
import org.armature.envs.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PushTTest {

    static final double W = 2 * PushTEnv.BAR_HALF_WIDTH;       // 0.24
    static final double H = PushTEnv.BAR_HEIGHT;               // 0.06
    static final double SW = 2 * PushTEnv.STEM_HALF_WIDTH;     // 0.06
    static final double SH = PushTEnv.STEM_END - PushTEnv.BAR_HEIGHT; // 0.18
    static final double AREA = W * H + SW * SH;

    @ParameterizedTest
    @ValueSource(strings = {"PushT-v1", "PushTSparse-v1"})
    void passesTheChecker(String id) {
        EnvChecker.Report r = new EnvChecker(120).check(id);
        assertTrue(r.passed(), id + " failed: " + r.failures());
    }

    @Test
    void blockExactlyOnTheGoalCoversEverything() {
        PushTEnv env = new PushTEnv();
        env.reset(0);
        double[] g = PushTEnv.GOAL_POSE;
        env.setPoses(0.4, -0.4, g[0], g[1], g[2]);
        assertEquals(1.0, env.coverage(), 1e-6);
        Step s = env.step(new float[]{0.4f, -0.4f});
        assertEquals(1.0, (Double) s.info().get("coverage"), 1e-3);
        assertTrue(s.success());
        assertEquals(s.reward(), (Double) s.info().get("reward_coverage"), 0.0);
    }

    @Test
    void knownOffsetsGiveKnownCoverage() {
        PushTEnv env = new PushTEnv();
        double[] g = PushTEnv.GOAL_POSE;
        double c = Math.cos(g[2]);
        double s = Math.sin(g[2]);
        for (double d : new double[]{0.005, 0.01, 0.03, 0.05}) {
            // shift along the block's own x axis: bar keeps (W - d) H, stem keeps (SW - d) SH
            double expected = ((W - d) * H + Math.max(0, SW - d) * SH) / AREA;
            assertEquals(expected, env.coverageAt(g[0] + c * d, g[1] + s * d, g[2]), 1e-9, "x shift " + d);
            // shift along the block's y axis (stem direction) by d < H: bar keeps W (H - d) plus the stem's
            // overlap with... the shifted bar over the goal stem: SW d; stem keeps SW (SH - d)
            double expectedY = (W * (H - d) + SW * Math.min(d, H) + SW * (SH - d)) / AREA;
            assertEquals(expectedY, env.coverageAt(g[0] - s * d, g[1] + c * d, g[2]), 1e-9, "y shift " + d);
        }
        // a T turned half way round about the middle of its bar overlaps only in the bar
        double mx = g[0] - s * H / 2;
        double my = g[1] + c * H / 2;
        double turned = env.coverageAt(2 * mx - g[0], 2 * my - g[1], g[2] + Math.PI);
        assertEquals(W * H / AREA, turned, 1e-9);
        // far away: nothing
        assertEquals(0.0, env.coverageAt(g[0] + 0.4, g[1], g[2]), 0.0);
    }

    @Test
    void exactCoverageAgreesWithAFineRaster() {
        PushTEnv env = new PushTEnv();
        SplittableRandom rng = new SplittableRandom(3);
        double[] g = PushTEnv.GOAL_POSE;
        for (int k = 0; k < 10; k++) {
            double x = g[0] + rng.nextDouble(-0.08, 0.08);
            double y = g[1] + rng.nextDouble(-0.08, 0.08);
            double t = g[2] + rng.nextDouble(-1, 1);
            double exact = env.coverageAt(x, y, t);
            // raster: 1 mm cells over the goal's bounding box
            int inGoal = 0;
            int inBoth = 0;
            for (double px = -0.2; px <= 0.2; px += 0.001) {
                for (double py = -0.2; py <= 0.2; py += 0.001) {
                    if (PushTEnv.distanceToT(px, py, g[0], g[1], g[2]) == 0) {
                        inGoal++;
                        if (PushTEnv.distanceToT(px, py, x, y, t) == 0) {
                            inBoth++;
                        }
                    }
                }
            }
            assertEquals((double) inBoth / inGoal, exact, 0.01, "pose " + x + ", " + y + ", " + t);
        }
    }

    @Test
    void pusherMovesTheBlockOnlyByContact() {
        PushTEnv env = new PushTEnv();
        env.reset(0);
        // block at the goal, pusher beside it: commanding the pusher away leaves the block in place
        double[] g = PushTEnv.GOAL_POSE;
        env.setPoses(-0.3, -0.3, g[0], g[1], g[2]);
        for (int t = 0; t < 20; t++) {
            env.step(new float[]{-0.4f, -0.4f});
        }
        double[] p = env.blockPose();
        assertEquals(g[0], p[0], 1e-3);
        assertEquals(g[2], p[2], 1e-3);
        // now drive the pusher through the block's bar: the block moves and never overlaps the pusher
        double[] before = env.blockPose();
        double c = Math.cos(g[2]);
        double s = Math.sin(g[2]);
        // start below the bar (block -y side) and push along the block's +y axis
        env.setPoses(g[0] + s * 0.06, g[1] - c * 0.06, g[0], g[1], g[2]);
        for (int t = 0; t < 20; t++) {
            Step st = env.step(new float[]{(float) (g[0] - s * 0.1), (float) (g[1] + c * 0.1)});
            double dist = PushTEnv.distanceToT(st.observation()[0], st.observation()[1], st.observation()[2],
                    st.observation()[3], st.observation()[4]);
            assertTrue(dist > PushTEnv.PUSHER_RADIUS - 0.006, "pusher penetrates the block: centre " + dist
                    + " m from the T");
        }
        double[] after = env.blockPose();
        double moved = Math.hypot(after[0] - before[0], after[1] - before[1]);
        assertTrue(moved > 0.05, "pushed block moved " + moved);
        assertFalse(env.coverage() > 0.9, "a block pushed 10 cm off the goal no longer covers it");
    }
}
