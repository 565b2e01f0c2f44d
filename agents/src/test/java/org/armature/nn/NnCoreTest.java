package org.armature.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class NnCoreTest {

    private static final DataType F = DataType.FLOAT;

    @Test
    void adamMatchesHandComputedStepsWithWeightDecayAndClipping() {
        Param p = new Param("w", DataType.DOUBLE, 1, 2);
        p.value().setAll(new double[]{1.0, -2.0});
        ParamGroup g = new ParamGroup(List.of(p));
        Adam adam = new Adam(g, 0.1, 0.9, 0.999, 1e-8, 0.01, 1.0);
        double[] w = {1.0, -2.0};
        double[] m = new double[2];
        double[] v = new double[2];
        for (int t = 1; t <= 3; t++) {
            double[] grad = {3.0 * t, -4.0 * t};
            g.grads().setAll(grad);
            double norm = Math.sqrt(grad[0] * grad[0] + grad[1] * grad[1]);
            double c = 1.0 / (norm + 1e-6);
            adam.step();
            for (int i = 0; i < 2; i++) {
                double gi = grad[i] * c;
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                double mh = m[i] / (1 - Math.pow(0.9, t));
                double vh = v[i] / (1 - Math.pow(0.999, t));
                w[i] = w[i] * (1 - 0.1 * 0.01) - 0.1 * mh / (Math.sqrt(vh) + 1e-8);
                assertEquals(w[i], p.value().get(i), 1e-12);
                assertEquals(0.0, p.grad().get(i));
            }
        }
    }

    @Test
    void adamMinimisesAQuadraticThroughAnMlp() {
        Rng rng = new Rng(3);
        Mlp mlp = Mlp.build(MlpSpec.relu(2, new int[]{16}, 1), F, rng);
        ParamGroup g = new ParamGroup(mlp.params());
        Adam adam = new Adam(g, 1e-2);
        Mat x = Mat.zeros(F, 32, 2);
        Mat target = Mat.zeros(F, 32, 1);
        Mat dy = Mat.zeros(F, 32, 1);
        for (int i = 0; i < 32; i++) {
            double a = rng.nextDouble() * 2 - 1;
            double b = rng.nextDouble() * 2 - 1;
            x.set(i, 0, a);
            x.set(i, 1, b);
            target.set(i, a * a + 0.5 * b);
        }
        double first = -1;
        double last = 0;
        for (int it = 0; it < 300; it++) {
            Mat y = mlp.forward(x, true);
            double loss = 0;
            for (int i = 0; i < 32; i++) {
                double d = y.get(i) - target.get(i);
                loss += d * d / 32;
                dy.set(i, 2 * d / 32);
            }
            if (first < 0) {
                first = loss;
            }
            last = loss;
            mlp.backward(dy, true, false);
            adam.step();
        }
        assertTrue(last < first * 0.1, "loss " + first + " -> " + last);
    }

    @Test
    void softAndHardTargetUpdates() {
        Rng rng = new Rng(1);
        Mlp a = Mlp.build(MlpSpec.relu(3, new int[]{4}, 2), F, rng);
        Mlp b = Mlp.build(MlpSpec.relu(3, new int[]{4}, 2), F, rng);
        ParamGroup ga = new ParamGroup(a.params());
        ParamGroup gb = new ParamGroup(b.params());
        float[] before = gb.values().toFloatArray();
        float[] online = ga.values().toFloatArray();
        Targets.soft(gb, ga, 0.005);
        float[] after = gb.values().toFloatArray();
        for (int i = 0; i < after.length; i++) {
            assertEquals((float) (0.995 * before[i] + 0.005 * online[i]), after[i], 1e-7);
        }
        Targets.hard(gb, ga);
        assertArrayEquals(online, gb.values().toFloatArray());
    }

    @Test
    void saveLoadRoundTripsBitForBit(@TempDir Path dir) throws Exception {
        for (DataType dt : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            Rng rng = new Rng(11);
            Mlp a = Mlp.build(new MlpSpec(5, new int[]{7, 6}, 3, "tanh", true, 0.0), dt, rng);
            Mlp b = Mlp.build(new MlpSpec(5, new int[]{7, 6}, 3, "tanh", true, 0.0), dt, new Rng(99));
            Path f = dir.resolve("net-" + dt + ".params");
            ParamIO.write(f, a.params());
            ParamIO.load(f, b.params());
            for (int i = 0; i < a.params().size(); i++) {
                double[] x = a.params().get(i).value().toDoubleArray();
                double[] y = b.params().get(i).value().toDoubleArray();
                for (int k = 0; k < x.length; k++) {
                    assertEquals(Double.doubleToRawLongBits(x[k]), Double.doubleToRawLongBits(y[k]));
                }
            }
            // a second write gives identical bytes
            Path f2 = dir.resolve("again-" + dt + ".params");
            ParamIO.write(f2, b.params());
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(f2));
        }
        Mlp small = Mlp.build(MlpSpec.relu(2, new int[]{3}, 1), F, new Rng(1));
        Path bad = dir.resolve("bad.params");
        Files.write(bad, new byte[]{1, 2, 3});
        Exception e = assertThrows(java.io.IOException.class, () -> ParamIO.load(bad, small.params()));
        assertTrue(e.getMessage().contains("not an Armature parameter file"), e.getMessage());
        Mlp other = Mlp.build(MlpSpec.relu(2, new int[]{4}, 1), F, new Rng(1));
        Path good = dir.resolve("small.params");
        ParamIO.write(good, small.params());
        e = assertThrows(java.io.IOException.class, () -> ParamIO.load(good, other.params()));
        assertTrue(e.getMessage().contains("expects"), e.getMessage());
    }

    @Test
    void fastPathMatchesBatchPath() {
        for (String act : new String[]{"relu", "tanh", "silu", "mish"}) {
            Rng rng = new Rng(5);
            Mlp mlp = Mlp.build(new MlpSpec(17, new int[]{256, 256}, 6, act, act.equals("silu"), 0.0), F, rng);
            FastMlp fast = mlp.toFast();
            Mat x = Mat.zeros(F, 8, 17);
            for (int i = 0; i < x.length(); i++) {
                x.set(i, rng.nextGaussian());
            }
            Mat y = mlp.forward(x, false);
            float[] row = new float[17];
            float[] out = new float[6];
            for (int r = 0; r < 8; r++) {
                x.get(r * 17, row, 0, 17);
                fast.forward(row, out);
                for (int j = 0; j < 6; j++) {
                    double ref = y.get(r, j);
                    assertTrue(Math.abs(out[j] - ref) <= 1e-5 * Math.max(1.0, Math.abs(ref)),
                            act + ": fast " + out[j] + " vs batch " + ref);
                }
            }
        }
    }

    @Test
    void rngStateRestoresExactly() {
        Rng r = new Rng(42);
        r.nextGaussian();
        long[] s = r.state();
        double a = r.nextGaussian();
        double b = r.nextGaussian();
        int c = r.nextInt(1000);
        r.restore(s);
        assertEquals(a, r.nextGaussian());
        assertEquals(b, r.nextGaussian());
        assertEquals(c, r.nextInt(1000));
    }
    @Test
    void writtenFilesAreReadableByOthersLikeAnyNewFile(@TempDir Path dir) throws Exception {
        Path reference = Files.createFile(dir.resolve("reference")); // the umask's permissions (0644 under 022)
        Path f = dir.resolve("bundle/bundle.json");
        ParamIO.writeAtomically(f, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(f),
                "a shared bundle must not be owner-only (Files.createTempFile makes 0600)");
    }
}
