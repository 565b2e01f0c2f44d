package org.armature.viz;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    static Path run(Path parent, String name, String... rows) throws Exception {
        Path dir = Files.createDirectories(parent.resolve(name));
        StringBuilder b = new StringBuilder("env_steps,train_return,eval_return_mean,eval_return_std\n");
        for (String r : rows) {
            b.append(r).append('\n');
        }
        Files.writeString(dir.resolve("metrics.csv"), b.toString());
        return dir;
    }

    static void assertPng(Path file, int w, int h) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] sig = in.readNBytes(8);
            assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, sig, "PNG signature");
        }
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img);
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
    }

    @Test
    void seedsOfOneConfigAreAveragedAndTheFileIsAPngOfTheRequestedSize(@TempDir Path dir) throws Exception {
        Path s0 = run(dir, "sac-seed0", "1000,,-1000,50", "1500,-900,,", "2000,,-500,40", "3000,,-200,30");
        Path s1 = run(dir, "sac-seed1", "1000,,-800,50", "2000,,-300,40", "3000,,-100,30");
        Path other = run(dir, "td3", "1000,,-1200,10", "2000,,-1100,10");
        Path out = dir.resolve("plots/curves.png");
        List<Plots.Curve> curves = Plots.learningCurves(List.of(s0, s1, other), out, 640, 400, "test");
        assertPng(out, 640, 400);
        assertEquals(2, curves.size());
        Plots.Curve sac = curves.get(0);
        assertEquals("sac", sac.label());
        assertEquals(2, sac.seeds());
        assertArrayEquals(new double[]{1000, 2000, 3000}, sac.envSteps());
        assertArrayEquals(new double[]{-900, -400, -150}, sac.mean(), 1e-9);
        // sample std of {-1000, -800} = 141.42
        assertEquals(-900 - Math.sqrt(20000), sac.lower()[0], 1e-9);
        Plots.Curve td3 = curves.get(1);
        assertEquals(1, td3.seeds());
        assertEquals(-1210, td3.lower()[0], 1e-9);
    }

    @Test
    void aFolderOfRunsIsOneCurveAndSingleRunHookWritesThePng(@TempDir Path dir) throws Exception {
        Path group = Files.createDirectories(dir.resolve("pendulum-sac"));
        run(group, "a", "0,,-1200,100", "5000,,-150,20");
        run(group, "b", "0,,-1300,100", "5000,,-170,20");
        assertEquals(2, Plots.curves(List.of(group)).get(0).seeds());
        Path single = group.resolve("a");
        Plots.learningCurve(single, single.resolve("learning_curve.png"));
        assertPng(single.resolve("learning_curve.png"), Plots.DEFAULT_WIDTH, Plots.DEFAULT_HEIGHT);
    }

    @Test
    void badRunDirectoriesGiveOneClearMessage(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.curves(List.of(empty)));
        assertTrue(e.getMessage().contains("metrics.csv"), e.getMessage());
        Path noEval = run(dir, "noeval", "1000,-5,,");
        e = assertThrows(IllegalArgumentException.class, () -> Plots.curves(List.of(noEval)));
        assertTrue(e.getMessage().contains("no rows with an eval_return_mean"), e.getMessage());
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("metrics.csv"), "step,return\n1,2\n");
        e = assertThrows(IllegalArgumentException.class, () -> Plots.curves(List.of(bad)));
        assertTrue(e.getMessage().contains("needs env_steps and eval_return_mean"), e.getMessage());
        try (var s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.toString().endsWith(".png")));
        }
    }

    @Test
    void returnHistogramIsAPng(@TempDir Path dir) throws Exception {
        double[] returns = new double[200];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(0);
        for (int i = 0; i < returns.length; i++) {
            returns[i] = -400 + 100 * rng.nextDouble();
        }
        Path out = dir.resolve("hist.png");
        Plots.returnHistogram(returns, "test", out, 700, 450, 20);
        assertPng(out, 700, 450);
    }

    @Test
    void runsWithEqualConfigsExceptSeedAreOneCurve(@TempDir Path dir) throws Exception {
        Path a = run(dir, "20261121-1-sac-Pendulum-v1-1", "0,,-1200,1", "1000,,-400,1");
        Path b = run(dir, "20261121-2-sac-Pendulum-v1-2", "0,,-1000,1", "1000,,-200,1");
        Path c = run(dir, "20261121-3-sac-Pendulum-v1-1", "0,,-1100,1", "1000,,-900,1");
        Files.writeString(a.resolve("config.json"), "{\"algo\":\"sac\",\"env_id\":\"Pendulum-v1\",\"seed\":1,\"lr\":1}");
        Files.writeString(b.resolve("config.json"), "{\"algo\":\"sac\",\"env_id\":\"Pendulum-v1\",\"seed\":2,\"lr\":1}");
        Files.writeString(c.resolve("config.json"), "{\"algo\":\"sac\",\"env_id\":\"Pendulum-v1\",\"seed\":1,\"lr\":2}");
        List<Plots.Curve> curves = Plots.curves(List.of(a, b, c));
        assertEquals(2, curves.size());
        assertEquals("sac Pendulum-v1", curves.get(0).label());
        assertEquals(2, curves.get(0).seeds());
        assertArrayEquals(new double[]{-1100, -300}, curves.get(0).mean(), 1e-9);
        assertEquals(1, curves.get(1).seeds());
        assertTrue(curves.get(1).label().startsWith("sac Pendulum-v1 ("), curves.get(1).label());
    }

    @Test
    void aFolderOfUnrelatedRunsIsOneCurvePerAlgorithmAndEnv(@TempDir Path dir) throws Exception {
        Path runs = Files.createDirectories(dir.resolve("runs"));
        Path a = run(runs, "20261121-sac-Hopper-v1-1", "0,,100,1", "1000,,300,1");
        Path b = run(runs, "20261121-sac-Hopper-v1-2", "0,,200,1", "1000,,500,1");
        Path c = run(runs, "20261121-td3-Pendulum-v1-1", "0,,-1200,1", "1000,,-150,1");
        Files.writeString(a.resolve("config.json"), "{\"algo\":\"sac\",\"env_id\":\"Hopper-v1\",\"seed\":1}");
        Files.writeString(b.resolve("config.json"), "{\"algo\":\"sac\",\"env_id\":\"Hopper-v1\",\"seed\":2}");
        Files.writeString(c.resolve("config.json"), "{\"algo\":\"td3\",\"env_id\":\"Pendulum-v1\",\"seed\":1}");
        List<Plots.Curve> curves = Plots.curves(List.of(runs));
        assertEquals(2, curves.size(), "SAC on Hopper and TD3 on Pendulum must not be averaged");
        assertEquals("sac Hopper-v1", curves.get(0).label());
        assertEquals(2, curves.get(0).seeds());
        assertArrayEquals(new double[]{150, 400}, curves.get(0).mean(), 1e-9);
        assertEquals("td3 Pendulum-v1", curves.get(1).label());
        assertEquals(1, curves.get(1).seeds());
    }

    @Test
    void offlineRunsOfOneConfigGroupAcrossSeedsDespiteTheirNestedSeedAndMachineKeys(@TempDir Path dir)
            throws Exception {
        Path[] runs = new Path[3];
        for (int s = 0; s < 3; s++) {
            runs[s] = Files.createDirectories(dir.resolve("iql-s" + s + "x"));
            Files.writeString(runs[s].resolve("eval.csv"), "step,wall_s,return_mean,return_std\n1000,2," + (-900 + s)
                    + ",30\n");
            String algo = s < 2 ? "iql" : "cql";
            Files.writeString(runs[s].resolve("config.json"), "{\"algo\":\"" + algo + "\",\"env_id\":\"Pendulum-v1\","
                    + "\"seed\":" + s + ",\"java\":\"17.0." + s + "\",\"available_processors\":" + (s + 1)
                    + ",\"run\":{\"algo\":\"" + algo + "\",\"seed\":" + s + "}}");
        }
        List<Plots.Curve> curves = Plots.curves(List.of(runs));
        assertEquals(2, curves.size());
        assertEquals("iql Pendulum-v1", curves.get(0).label());
        assertEquals(2, curves.get(0).seeds());
        assertEquals("cql Pendulum-v1", curves.get(1).label());
    }

    @Test
    void offlineRunsArePlottedFromEvalCsvAgainstGradientSteps(@TempDir Path dir) throws Exception {
        Path off = Files.createDirectories(dir.resolve("offline-iql-Pendulum-v1-s0"));
        Files.writeString(off.resolve("metrics.csv"), "step,wall_s,critic_loss\n100,1.0,0.5\n");
        Files.writeString(off.resolve("eval.csv"),
                "step,wall_s,return_mean,return_std,normalized_score\n1000,2,-900,30,10\n2000,4,-400,20,60\n");
        Path out = dir.resolve("off.png");
        List<Plots.Curve> curves = Plots.learningCurves(List.of(off), out, 500, 300, null);
        assertEquals(MetricsCsv.GRADIENT_STEPS_AXIS, curves.get(0).xAxis());
        assertArrayEquals(new double[]{-900, -400}, curves.get(0).mean(), 1e-9);
        assertPng(out, 500, 300);
    }

    @Test
    void successRatesAreReadFromTheirOwnColumnsAndAveragedAcrossSeeds(@TempDir Path dir) throws Exception {
        Path group = Files.createDirectories(dir.resolve("peg"));
        String header = "env_steps,eval_return_mean,eval_return_std,eval_success_rate\n";
        Files.createDirectories(group.resolve("s0"));
        Files.createDirectories(group.resolve("s1"));
        Files.writeString(group.resolve("s0/metrics.csv"), header + "1000,5,1,0.0\n2000,9,1,0.6\n");
        Files.writeString(group.resolve("s1/metrics.csv"), header + "1000,6,1,0.2\n2000,8,1,1.0\n");
        Path out = dir.resolve("success.png");
        List<Plots.Curve> curves = Plots.learningCurves(List.of(group), EvalMetric.SUCCESS, out, 500, 300, null);
        assertPng(out, 500, 300);
        Plots.Curve c = curves.get(0);
        assertEquals(2, c.seeds());
        assertArrayEquals(new double[]{0.1, 0.8}, c.mean(), 1e-9);
        assertEquals(0.8 - Math.sqrt(0.08), c.lower()[1], 1e-9); // sample std of {0.6, 1.0}
        assertArrayEquals(new double[]{5.5, 8.5}, Plots.curves(List.of(group)).get(0).mean(), 1e-9, "return stays");

        Plots.Curve single = Plots.curves(List.of(group.resolve("s0")), EvalMetric.SUCCESS).get(0);
        assertTrue(Double.isNaN(single.lower()[0]), "success rates are logged without a spread: no band");

        Path off = Files.createDirectories(dir.resolve("offline-bc"));
        Files.writeString(off.resolve("eval.csv"), "step,wall_s,return_mean,return_std,normalized_score,success_rate\n"
                + "1000,2,-900,30,10,0.25\n");
        assertArrayEquals(new double[]{0.25}, Plots.curves(List.of(off), EvalMetric.SUCCESS).get(0).mean(), 1e-9);

        Path noColumn = run(dir, "old", "1000,,-5,1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.curves(List.of(noColumn), EvalMetric.SUCCESS));
        assertTrue(e.getMessage().contains("has no eval_success_rate column to plot the evaluation success rate from"),
                e.getMessage());
        Path noSuccess = Files.createDirectories(dir.resolve("no-success"));
        Files.writeString(noSuccess.resolve("metrics.csv"), header + "1000,5,1,\n");
        e = assertThrows(IllegalArgumentException.class, () -> Plots.curves(List.of(noSuccess), EvalMetric.SUCCESS));
        assertTrue(e.getMessage().contains("no rows with an eval_success_rate value"), e.getMessage());
    }

    @Test
    void coverageAndWallClockAxis(@TempDir Path dir) throws Exception {
        Path group = Files.createDirectories(dir.resolve("pusht"));
        String header = "step,wall_s,return_mean,return_std,normalized_score,success_rate,max_coverage_mean\n";
        Files.createDirectories(group.resolve("s0"));
        Files.createDirectories(group.resolve("s1"));
        Files.writeString(group.resolve("s0/eval.csv"), header + "1000,100,5,1,NaN,0.0,0.2\n2000,200,9,1,NaN,0.1,0.6\n");
        Files.writeString(group.resolve("s1/eval.csv"), header + "1000,110,6,1,NaN,0.0,0.4\n2000,210,8,1,NaN,0.3,0.8\n");
        Plots.Curve steps = Plots.curves(List.of(group), EvalMetric.COVERAGE).get(0);
        assertEquals(MetricsCsv.GRADIENT_STEPS_AXIS, steps.xAxis());
        assertArrayEquals(new double[]{1000, 2000}, steps.envSteps(), 1e-9);
        assertArrayEquals(new double[]{0.3, 0.7}, steps.mean(), 1e-9);
        Path out = dir.resolve("wall.png");
        Plots.Curve wall = Plots.learningCurves(List.of(group), EvalMetric.COVERAGE, true, out, 500, 300, null).get(0);
        assertPng(out, 500, 300);
        assertEquals(MetricsCsv.WALL_AXIS, wall.xAxis());
        // the seeds' common wall-clock range [110, 200], each seed interpolated onto the shorter one's points
        assertArrayEquals(new double[]{110, 200}, wall.envSteps(), 1e-9);
        assertEquals((0.24 + 0.4) / 2, wall.mean()[0], 1e-9);
        assertEquals((0.6 + 0.76) / 2, wall.mean()[1], 1e-9);
        // an online run reads wall_seconds; a run without coverage says which column is missing
        Path online = Files.createDirectories(dir.resolve("online"));
        Files.writeString(online.resolve("metrics.csv"), "env_steps,wall_seconds,eval_return_mean,eval_return_std\n"
                + "1000,3.5,-5,1\n");
        assertArrayEquals(new double[]{3.5}, Plots.curves(List.of(online), EvalMetric.RETURN, true).get(0).envSteps(),
                1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.curves(List.of(online), EvalMetric.COVERAGE));
        assertTrue(e.getMessage().contains("has no eval_max_coverage_mean column"), e.getMessage());
    }

    @Test
    void runsWhoseConfigsDifferOnlyInKeyOrderAndSeedAreOneConfiguration(@TempDir Path dir) throws Exception {
        Path group = Files.createDirectories(dir.resolve("runs"));
        String header = "env_steps,eval_return_mean,eval_return_std\n";
        for (int s = 0; s < 2; s++) {
            Path r = Files.createDirectories(group.resolve("run-" + s));
            Files.writeString(r.resolve("metrics.csv"), header + "1000," + (s + 1) + ",0\n");
            String attrs = s == 0 ? "{\"a\": \"1\", \"b\": \"2\"}" : "{\"b\": \"2\", \"a\": \"1\"}";
            Files.writeString(r.resolve("config.json"), "{\"algo\": \"x\", \"seed\": " + s
                    + ", \"dataset\": {\"attributes\": " + attrs + "}}");
        }
        List<Plots.Curve> curves = Plots.curves(List.of(group));
        assertEquals(1, curves.size(), "one configuration");
        assertEquals(2, curves.get(0).seeds());
    }

    @Test
    void seedSuffixesAreStripped() {
        assertEquals("sac-pendulum", Plots.stripSeed("sac-pendulum-seed3"));
        assertEquals("run", Plots.stripSeed("run_s12"));
        assertEquals("x", Plots.stripSeed("x-seed=4"));
        assertEquals("plain", Plots.stripSeed("plain"));
    }
}
