package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.armature.agents.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Asynchronous chunk inference with LeRobot's threshold and blending semantics, on a synthetic chunked policy. */
@Timeout(30)
class ChunkSchedulerTest {

    /**
     * A chunked policy whose action for chunk offset j, predicted from observation o, is o[0] + j (so the decision
     * each action was meant for is visible in its value), and whose inference takes {@code inferMillis}.
     */
    static Policy chunked(int chunk, long inferMillis, AtomicInteger calls) {
        return chunked(chunk, call -> inferMillis, calls);
    }

    static Policy chunked(int chunk, java.util.function.IntToLongFunction inferMillisOfCall, AtomicInteger calls) {
        return new Policy() {
            @Override
            public float[] act(float[] observation) {
                return actChunk(observation)[0];
            }

            @Override
            public float[][] actChunk(float[] observation) {
                long inferMillis = inferMillisOfCall.applyAsLong(calls.incrementAndGet());
                if (inferMillis > 0) {
                    long end = System.nanoTime() + inferMillis * 1_000_000L;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                }
                float[][] c = new float[chunk][1];
                for (int j = 0; j < chunk; j++) {
                    c[j][0] = observation[0] + j;
                }
                return c;
            }

            @Override
            public int chunkLength() {
                return chunk;
            }

            @Override
            public int observationDim() {
                return 1;
            }

            @Override
            public int actionDim() {
                return 1;
            }
        };
    }

    @Test
    void theNextChunkIsReadyBeforeTheQueueRunsOutAt50Hz() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // chunk of 16 at 50 Hz = 320 ms of actions; inference 15 ms; the request goes out at 8 left (160 ms ahead)
        try (ChunkScheduler s = new ChunkScheduler(chunked(16, 15, calls), ChunkScheduler.Config.DEFAULT)) {
            float[] obs = new float[1];
            float[] out = new float[1];
            for (int d = 0; d < 100; d++) {
                obs[0] = 1000 * d; // the observation at decision d
                s.next(obs, out);
                long t = System.nanoTime() + 20_000_000L;
                while (System.nanoTime() < t) {
                    Thread.sleep(1);
                }
            }
            assertEquals(0, s.starvations(), "the queue ran dry");
            assertTrue(s.chunksMerged() >= 100 / 8 - 1, "chunks " + s.chunksMerged());
        }
    }

    @Test
    void overlappingActionsAreBlendedAndPlayedOnesDiscarded() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // the first two inferences are instant, later ones take 2 s (so they cannot land during the checks)
        Policy p = chunked(4, call -> call <= 2 ? 0 : 2000, calls);
        try (ChunkScheduler s = new ChunkScheduler(p, new ChunkScheduler.Config(0.5, 0.3, true))) {
            float[] obs = {0};
            float[] out = new float[1];
            // decision 0: the queue is empty, the chunk [0,1,2,3] from obs 0 is inferred synchronously
            s.next(obs, out);
            assertEquals(0f, out[0]);
            assertEquals(3, s.queued());
            // decision 1 plays 1; 2 are left (= 0.5 of the chunk): a request goes out with obs 100 (decision 1)
            obs[0] = 100;
            s.next(obs, out);
            assertEquals(1f, out[0]);
            assertEquals(2, s.queued());
            long t0 = System.nanoTime();
            while (calls.get() < 2 && System.nanoTime() - t0 < 5_000_000_000L) {
                Thread.sleep(1);
            }
            Thread.sleep(100); // the worker publishes the chunk
            // the new chunk [100, 101, 102, 103] is for decisions 1..4: decision 1 was played (discarded),
            // decisions 2 and 3 overlap the queue (old 2, 3): 0.3 old + 0.7 new; decision 4 is appended
            obs[0] = 200;
            s.next(obs, out);
            assertEquals(0.3f * 2 + 0.7f * 101, out[0], 1e-4);
            s.next(obs, out);
            assertEquals(0.3f * 3 + 0.7f * 102, out[0], 1e-4);
            s.next(obs, out);
            assertEquals(103f, out[0], 1e-4);
            assertEquals(0, s.starvations());
        }
    }
}
