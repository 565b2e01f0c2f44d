package org.armature.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;

import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.envs.tasks.PendulumEnv;
import org.armature.offline.data.D4rlHdf5;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view / replay / render / plot commands end to end, headless. */
class VizCommandsTest {

    private static String run(int expectedExit, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true);
        System.setOut(capture);
        System.setErr(capture);
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = buf.toString();
        assertEquals(expectedExit, code, String.join(" ", args) + " printed: " + text);
        return text;
    }

    /** Two seeded random-action Pendulum episodes of 30 steps. */
    static Path dataset(Path dir) {
        int episodes = 2;
        int length = 30;
        int n = episodes * length;
        float[] obs = new float[n * 3];
        float[] next = new float[n * 3];
        float[] act = new float[n];
        float[] rew = new float[n];
        boolean[] timeouts = new boolean[n];
        long[] seeds = {11, 12};
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        int i = 0;
        for (int e = 0; e < episodes; e++) {
            PendulumEnv env = new PendulumEnv();
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
        OfflineDataset d = new OfflineDataset(3, 1, obs, act, rew, new boolean[n], timeouts, next, Map.of(),
                DatasetMetadata.of(PendulumEnv.ID, "random", 11L, seeds));
        return D4rlHdf5.write(d, dir.resolve("pendulum.h5"));
    }

    @Test
    void renderWritesFramesAndAGifPerEpisode(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        String text = run(0, "render", "--env", "Pendulum-v1", "--policy", "random", "--episodes", "2", "--out",
                out.toString(), "--gif", "--size", "96x64", "--seed", "4");
        assertTrue(text.contains("episode_001: seed 5, 200 steps"), text);
        assertTrue(Files.isRegularFile(out.resolve("episode_000.gif")));
        try (var s = Files.list(out.resolve("episode_001"))) {
            assertEquals(201, s.count());
        }
        BufferedImage f = ImageIO.read(out.resolve("episode_000/frame_00000.png").toFile());
        assertEquals(96, f.getWidth());
        assertEquals(64, f.getHeight());
        assertTrue(run(1, "render", "--env", "Pendulum-v1", "--out", out.toString(), "--size", "big")
                .contains("expected WIDTHxHEIGHT"));
    }

    @Test
    void viewRunsTheLiveLoopHeadlessAndRefusesToRunForeverWithoutADisplay() {
        String text = run(0, "view", "--env", "Pendulum-v1", "--policy", "random", "--seed", "3", "--headless",
                "--max-frames", "12", "--size", "128x96");
        assertTrue(text.contains("viewer: 12 frames"), text);
        assertTrue(text.contains("at step 4"), "12 frames at 60 fps = 0.2 s = 4 steps: " + text);
        if (System.getenv("DISPLAY") == null) {
            assertTrue(run(1, "view", "--env", "Pendulum-v1").contains("no display"));
        }
    }

    @Test
    void replayCheckMatchesTheRecordingAndPlotDatasetWritesAHistogram(@TempDir Path dir) throws Exception {
        Path file = dataset(dir);
        String text = run(0, "replay", file.toString(), "--episode", "1", "--check");
        assertTrue(text.contains("30/30 steps re-simulated"), text);
        assertTrue(text.contains("max |obs - recorded| 0.000e+00"), text);
        assertTrue(run(0, "replay", file.toString(), "--headless", "--max-frames", "5", "--size", "64x48")
                .contains("episode 0 (seed 11)"));
        assertTrue(run(1, "replay", file.toString(), "--episode", "9", "--check").contains("has 2 episodes"));

        Path png = dir.resolve("hist.png");
        run(0, "plot", "--dataset", file.toString(), "--out", png.toString(), "--size", "500x300");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(500, img.getWidth());
        assertEquals(300, img.getHeight());
        assertTrue(run(1, "plot", "--dataset", dir.resolve("missing.h5").toString(), "--out", png.toString())
                .contains("does not exist"));
    }

    @Test
    void plotRunsWritesLearningCurves(@TempDir Path dir) throws Exception {
        Path r = Files.createDirectories(dir.resolve("run-seed0"));
        Files.writeString(r.resolve("metrics.csv"),
                "env_steps,eval_return_mean,eval_return_std\n0,-1200,50\n1000,-800,40\n2000,-300,20\n");
        Path png = dir.resolve("curve.png");
        String text = run(0, "plot", r.toString(), "--out", png.toString());
        assertTrue(text.contains("final eval return -300.00 at 2000 environment steps"), text);
        assertNotNull(ImageIO.read(png.toFile()));
        assertTrue(run(1, "plot", r.toString(), "--out", dir.resolve("x.jpg").toString()).contains(".png"));
    }

    @Test
    void plotMetricSuccessAveragesSuccessRatesAcrossSeedsAndRefusesRunsWithoutThem(@TempDir Path dir)
            throws Exception {
        Path seeds = Files.createDirectories(dir.resolve("peg"));
        for (String[] run : new String[][]{{"s0", "0.2", "0.5"}, {"s1", "0.4", "1.0"}}) {
            Path r = Files.createDirectories(seeds.resolve(run[0]));
            Files.writeString(r.resolve("metrics.csv"), "env_steps,eval_return_mean,eval_return_std,eval_success_rate\n"
                    + "1000,0.2,0.1," + run[1] + "\n1500,,,\n2000,0.6,0.1," + run[2] + "\n");
        }
        Path png = dir.resolve("success.png");
        String text = run(0, "plot", seeds.toString(), "--metric", "success", "--out", png.toString());
        assertTrue(text.contains("peg: 2 seed(s), 2 points, final eval success rate 0.75 at 2000 environment steps"),
                text);
        assertNotNull(ImageIO.read(png.toFile()));

        Path old = Files.createDirectories(dir.resolve("old-run"));
        Files.writeString(old.resolve("metrics.csv"), "env_steps,eval_return_mean,eval_return_std\n1000,-5,1\n");
        String refused = run(1, "plot", old.toString(), "--metric", "success", "--out", dir.resolve("x.png").toString());
        assertTrue(refused.startsWith("error: ") && refused.contains("has no eval_success_rate column"), refused);
        assertEquals(1, refused.strip().lines().count(), refused);
        assertTrue(Files.notExists(dir.resolve("x.png")));
        assertTrue(run(1, "plot", old.toString(), "--metric", "successes", "--out", png.toString())
                .contains("--metric must be return, success or coverage, got 'successes'"));
    }

    @Test
    void expertPolicyRendersASuccessfulReachEpisodeAndBadBundlesAreOneLine(@TempDir Path dir) throws Exception {
        String text = run(0, "render", "--env", "Reach-v1", "--policy", "expert", "--episodes", "1", "--out",
                dir.resolve("reach").toString(), "--gif", "--no-frames", "--size", "64x48");
        assertTrue(text.contains("success yes"), text);
        assertTrue(run(1, "render", "--env", "Hopper-v1", "--policy", "expert", "--out", dir.toString())
                .contains("no scripted expert for Hopper-v1"));
        Path notABundle = Files.createDirectories(dir.resolve("not-a-bundle"));
        assertTrue(run(1, "render", "--env", "Pendulum-v1", "--policy", notABundle.toString(), "--out",
                dir.toString()).contains("cannot load policy bundle"));
    }

    @Test
    void withoutAWorkingEglRenderingFailsWithTheInstallHintAndWritesNothing(@TempDir Path dir) throws Exception {
        // a child JVM whose EGL loader finds no vendor library, as on a machine without libegl-mesa0
        Path out = dir.resolve("out");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "render", "--env", "Pendulum-v1",
                "--out", out.toString(), "--size", "64x48");
        pb.environment().put("__EGL_VENDOR_LIBRARY_FILENAMES", dir.resolve("missing.json").toString());
        pb.environment().remove("DISPLAY");
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        String text = new String(proc.getInputStream().readAllBytes());
        assertEquals(1, proc.waitFor(), text);
        assertTrue(text.startsWith("error: could not create an OpenGL 3.3 core context"), text);
        assertTrue(text.contains("libegl1 libegl-mesa0 libgl1-mesa-dri"), text);
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void randomPolicyIsSeededAndInsideTheActionBox() {
        var spec = new PendulumEnv().spec();
        PolicyResolver.Resolved a = PolicyResolver.resolve("random", spec, 5);
        PolicyResolver.Resolved b = PolicyResolver.resolve("random", spec, 5);
        for (int i = 0; i < 100; i++) {
            float[] x = a.policy().act(new float[3]);
            assertArrayEquals(x, b.policy().act(new float[3]));
            assertTrue(spec.actionSpace().contains(x));
        }
    }
}
