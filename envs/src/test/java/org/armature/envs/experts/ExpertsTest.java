package org.armature.envs.experts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.envs.Step;
import org.junit.jupiter.api.Test;

/**
 * Expert success rates on fixed seeds, with margins below the 100-episode numbers in BENCHMARKS.md. Episode seeds
 * 0..n-1, expert seed 1000 + i.
 */
class ExpertsTest {

    static double successRate(String id, double noise, int episodes) throws Exception {
        Expert expert = Experts.make(id, noise, 0);
        int ok = 0;
        try (Env env = Envs.make(id)) {
            for (int ep = 0; ep < episodes; ep++) {
                expert.reset(1000 + ep);
                float[] o = env.reset(ep).observation();
                boolean success = false;
                while (true) {
                    float[] a = expert.act(o);
                    assertTrue(env.spec().actionSpace().contains(a), "expert action inside the box");
                    Step s = env.step(a);
                    success |= s.success();
                    o = s.observation();
                    if (s.done()) {
                        break;
                    }
                }
                ok += success ? 1 : 0;
            }
        }
        return (double) ok / episodes;
    }

    @Test
    void reachExpertSolvesReach() throws Exception {
        assertTrue(successRate("Reach-v1", 0.0, 20) >= 0.95);
    }

    @Test
    void pegInsertExpertSolvesPegInsert() throws Exception {
        assertTrue(successRate("PegInsert-v1", 0.0, 20) >= 0.85);
    }

    @Test
    void pushTExpertOftenSolvesPushT() throws Exception {
        // 100-episode rate is in BENCHMARKS.md; this guards against regressions on 12 fixed seeds
        assertTrue(successRate("PushT-v1", 0.0, 12) >= 0.6);
    }

    @Test
    void pushTExpertIsMultimodal() {
        // same observation, different expert seeds: the chosen contact (hence the first target) differs
        float[] obs;
        try (Env env = Envs.make("PushT-v1")) {
            obs = env.reset(3).observation();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        java.util.Set<String> firstTargets = new java.util.HashSet<>();
        for (long seed = 0; seed < 12; seed++) {
            Expert e = Experts.make("PushT-v1", 0.0, 0);
            e.reset(seed);
            float[] a = e.act(obs);
            firstTargets.add(String.format("%.3f,%.3f", a[0], a[1]));
        }
        assertTrue(firstTargets.size() >= 2, "expert choices vary with its seed: " + firstTargets);
    }

    @Test
    void defaultDemonstrationNoiseMakesPegInsertImperfect() throws Exception {
        double rate = successRate("PegInsert-v1", Experts.defaultNoiseStd("PegInsert-v1"), 20);
        assertTrue(rate >= 0.2 && rate <= 0.85, "noisy PegInsert expert success " + rate);
    }

    @Test
    void registryCoversDenseAndSparseIdsAndRejectsUnknown() {
        for (String id : new String[]{"Reach-v1", "ReachSparse-v1", "PushT-v1", "PushTSparse-v1", "PegInsert-v1",
                "PegInsertSparse-v1"}) {
            assertTrue(Experts.has(id), id);
        }
        assertFalse(Experts.has("Hopper-v1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experts.make("Hopper-v1", 0, 0));
        assertTrue(e.getMessage().contains("Hopper-v1"));
        assertThrows(IllegalArgumentException.class, () -> Experts.make("Reach-v1", -1, 0));
    }

    @Test
    void noiseIsSeededAndResetRestartsTheStream() {
        Expert a = Experts.make("Reach-v1", 0.3, 1);
        Expert b = Experts.make("Reach-v1", 0.3, 2);
        float[] obs = new float[20];
        obs[3] = -2.3f;
        obs[5] = 1.5f;
        obs[17] = 0.5f;
        obs[19] = 0.4f;
        a.reset(42);
        b.reset(42);
        float[] x = a.act(obs);
        assertArrayEquals(x, b.act(obs));
        assertFalse(java.util.Arrays.equals(x, a.act(obs)), "noise is drawn per step");
        assertEquals(0.3, a.noiseStd());
    }
}
