package org.armature.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class VectorEnvTest {

    @Test
    void equalsSteppingTheEnvsOneByOne() {
        int n = 3;
        long seed = 10;
        Env[] seq = new Env[n];
        float[][] obs = new float[n][];
        for (int i = 0; i < n; i++) {
            seq[i] = Envs.make("Hopper-v1");
            obs[i] = seq[i].reset(seed + i).observation();
        }
        try (VectorEnv vec = new VectorEnv(() -> Envs.make("Hopper-v1"), n, seed, 2)) {
            float[][] vobs = vec.reset();
            for (int i = 0; i < n; i++) {
                assertArrayEquals(obs[i], vobs[i]);
            }
            SplittableRandom rng = new SplittableRandom(0);
            int ends = 0;
            for (int t = 0; t < 300; t++) {
                float[][] actions = new float[n][];
                for (int i = 0; i < n; i++) {
                    actions[i] = vec.spec().actionSpace().sample(rng);
                }
                VectorStep vs = vec.step(actions);
                for (int i = 0; i < n; i++) {
                    Step s = seq[i].step(actions[i]);
                    assertEquals(s.reward(), vs.rewards()[i]);
                    assertEquals(s.terminated(), vs.terminated()[i]);
                    assertEquals(s.truncated(), vs.truncated()[i]);
                    if (s.done()) {
                        ends++;
                        assertArrayEquals(s.observation(), vs.finalObservations()[i]);
                        assertArrayEquals(seq[i].reset().observation(), vs.observations()[i]);
                    } else {
                        assertNull(vs.finalObservations()[i]);
                        assertArrayEquals(s.observation(), vs.observations()[i]);
                    }
                }
            }
            assertTrue(ends > 0, "the test should cover auto-resets");
        }
    }

    @Test
    void envsAreBuiltOnTheirWorkerThreads() {
        try (VectorEnv vec = new VectorEnv(() -> Envs.make("Walker2d-v1"), 4, 0, 2)) {
            vec.reset();
            VectorStep s = vec.step(new float[4][6]);
            assertNotNull(s.observations()[3]);
        }
    }

    @Test
    void badActionsNameTheEnv() {
        try (VectorEnv vec = new VectorEnv("Pendulum-v1", 2, 0)) {
            vec.reset();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> vec.step(new float[][]{{0f}, {Float.NaN}}));
            assertTrue(e.getMessage().startsWith("env 1:"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> vec.step(new float[][]{{0f}}));
        }
    }
}
