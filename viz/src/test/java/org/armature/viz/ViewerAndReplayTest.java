package org.armature.viz;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwjgl.glfw.GLFW.*;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;

import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.envs.Env;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.envs.tasks.PendulumEnv;
import org.armature.envs.wrappers.TimeLimit;
import org.armature.offline.data.D4rlHdf5;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewerAndReplayTest {

    @Test
    void viewerLoopRunsHeadlessForNFramesAndHonoursKeys() {
        PolicyPlayback playback = new PolicyPlayback(new TimeLimit(new PendulumEnv(), 200),
                GifAndEpisodeTest.constantTorque(1f), "const", 7L);
        try (Viewer viewer = new Viewer(playback, GlContext.Mode.HEADLESS, 320, 240, null)) {
            assertEquals(30, viewer.run(30));
            // 30 frames of 1/60 s at speed 1 = 0.5 s = 10 Pendulum steps of 0.05 s
            assertEquals(10, playback.stepIndex());
            BufferedImage frame = viewer.lastFrame();
            assertEquals(320, frame.getWidth());
            long distinct = java.util.Arrays.stream(TestScenes.pixels(frame)).distinct().count();
            assertTrue(distinct > 50, "frame looks blank: " + distinct + " distinct colours");

            viewer.keyPressed(GLFW_KEY_SPACE);
            viewer.run(20);
            assertTrue(viewer.paused());
            assertEquals(10, playback.stepIndex(), "paused: no steps");
            viewer.keyPressed(GLFW_KEY_RIGHT);
            viewer.run(1);
            assertEquals(11, playback.stepIndex(), "right arrow: exactly one step");
            viewer.keyPressed(GLFW_KEY_SPACE);
            viewer.keyPressed(GLFW_KEY_EQUAL);
            viewer.run(6); // 6 frames x 1/60 s x 2 = 0.2 s = 4 steps
            assertEquals(2.0, viewer.speed());
            assertEquals(15, playback.stepIndex());
            String before = viewer.cameraName();
            viewer.keyPressed(GLFW_KEY_C);
            viewer.run(1);
            assertNotEquals(before, viewer.cameraName());
            viewer.keyPressed(GLFW_KEY_R);
            viewer.run(1);
            assertEquals(1, playback.episode(), "R starts the next episode");
            viewer.keyPressed(GLFW_KEY_ESCAPE);
            assertEquals(1, viewer.run(100), "Esc ends the loop after the current frame");
        }
    }

    /** A seeded Pendulum dataset of {@code episodes} x {@code length} steps, recorded by hand. */
    static OfflineDataset pendulumDataset(int episodes, int length, long seed0) {
        int n = episodes * length;
        float[] obs = new float[n * 3];
        float[] next = new float[n * 3];
        float[] act = new float[n];
        float[] rew = new float[n];
        boolean[] term = new boolean[n];
        boolean[] timeouts = new boolean[n];
        long[] seeds = new long[episodes];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(99);
        int i = 0;
        for (int e = 0; e < episodes; e++) {
            seeds[e] = seed0 + e;
            Env env = new PendulumEnv();
            Reset r = env.reset(seeds[e]);
            float[] o = r.observation();
            for (int t = 0; t < length; t++) {
                float a = (float) (rng.nextDouble() * 4 - 2);
                Step s = env.step(new float[]{a});
                System.arraycopy(o, 0, obs, i * 3, 3);
                System.arraycopy(s.observation(), 0, next, i * 3, 3);
                act[i] = a;
                rew[i] = (float) s.reward();
                timeouts[i] = t == length - 1;
                o = s.observation();
                i++;
            }
        }
        return new OfflineDataset(3, 1, obs, act, rew, term, timeouts, next, Map.of(),
                DatasetMetadata.of(PendulumEnv.ID, "random", seed0, seeds));
    }

    @Test
    void replayReSimulatesARecordedEpisodeExactlyAndDetectsATamperedOne(@TempDir Path dir) {
        Path file = D4rlHdf5.write(pendulumDataset(3, 40, 100L), dir.resolve("pendulum.h5"));
        OfflineDataset d = D4rlHdf5.read(file);
        ReplayPlayback replay = new ReplayPlayback(d, 2, PendulumEnv::new).runToEnd();
        assertEquals(40, replay.stepIndex());
        assertEquals(102L, replay.seed());
        assertEquals(0.0, replay.maxObservationDeviation(), 1e-6);
        assertEquals(replay.recordedReturn(), replay.episodeReturn(), 1e-3);

        float[] actions = d.actions().clone();
        actions[2 * 40 + 5] = -actions[2 * 40 + 5];
        OfflineDataset tampered = new OfflineDataset(3, 1, d.observations(), actions, d.rewards(), d.terminals(),
                d.timeouts(), d.nextObservations(), Map.of(), d.metadata());
        ReplayPlayback bad = new ReplayPlayback(tampered, 2, PendulumEnv::new).runToEnd();
        assertTrue(bad.maxObservationDeviation() > 1e-3, "a changed action must show as a deviation");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReplayPlayback(d, 3, PendulumEnv::new));
        assertTrue(e.getMessage().contains("has 3 episodes"), e.getMessage());
    }

    @Test
    void replayCheckSeesAnEditedObservationMidEpisode() {
        OfflineDataset d = pendulumDataset(2, 30, 7L);
        float[] obs = d.observations().clone();
        obs[(30 + 12) * 3 + 1] += 0.5f; // episode 1, step 12: observations only, next_observations untouched
        OfflineDataset edited = new OfflineDataset(3, 1, obs, d.actions(), d.rewards(), d.terminals(), d.timeouts(),
                d.nextObservations(), Map.of(), d.metadata());
        ReplayPlayback replay = new ReplayPlayback(edited, 1, PendulumEnv::new).runToEnd();
        assertEquals(0.5, replay.maxObservationDeviation(), 1e-4, "every recorded observation must be compared");
        assertEquals(0.0, new ReplayPlayback(edited, 0, PendulumEnv::new).runToEnd().maxObservationDeviation(), 1e-6);
    }

    @Test
    void replayPlaysInTheViewerLoop(@TempDir Path dir) {
        OfflineDataset d = pendulumDataset(1, 20, 5L);
        ReplayPlayback replay = new ReplayPlayback(d, 0, PendulumEnv::new);
        try (Viewer viewer = new Viewer(replay, GlContext.Mode.HEADLESS, 160, 120, null)) {
            viewer.run(60); // 1 s = 20 steps: the whole episode
            assertEquals(20, replay.stepIndex());
            assertEquals(0.0, replay.maxObservationDeviation(), 1e-6);
        }
    }
}
