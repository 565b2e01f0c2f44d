package org.armature.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.armature.nn.FastMlp;
import org.armature.nn.Kernels;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.MlpSpec;
import org.armature.nn.Param;
import org.armature.nn.ParamIO;
import org.armature.nn.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Policy bundle format 2: observation history, chunk queues, min–max normaliser, composite bundles. */
class BundleFormatV2Test {

    private static final PolicyBundles.Space OBS = new PolicyBundles.Space(new float[]{-2, 0}, new float[]{2, 10});
    private static final PolicyBundles.Space ACT = new PolicyBundles.Space(new float[]{-1}, new float[]{3});

    /** Writes an MLP bundle with the given input/output sizes and extra format-2 fields; returns the network. */
    private static Mlp writeBundle(Path dir, int in, int out, int history, int chunk, Integer executed,
                                   PolicyBundles.Normalization norm, String base, PolicyBundles.Composition comp,
                                   long seed) throws IOException {
        Mlp mlp = Mlp.build(new MlpSpec(in, new int[]{8}, out, "relu", false, 0.0), DataType.FLOAT, new Rng(seed));
        java.nio.file.Files.createDirectories(dir);
        ParamIO.write(dir.resolve("w.params"), mlp.params());
        PolicyBundles.writeSpec(dir, new PolicyBundles.Spec(PolicyBundles.FORMAT, 2,
                new PolicyBundles.Network(PolicyBundles.DETERMINISTIC_TANH, mlp.layerSpecs(), "w.params"), OBS, ACT,
                norm, 0.05, chunk, null, history, executed, null, base, comp));
        return mlp;
    }

    private static float[] minMax(float[] o) {
        return new float[]{(float) (2 * (o[0] + 2.0) / 4.0 - 1), (float) (2 * (o[1] - 0.0) / 10.0 - 1)};
    }

    private static float action(float[] out, int k) {
        return (float) (Kernels.tanh(out[k]) * 2.0 + 1.0); // box [-1, 3]: scale 2, centre 1
    }

    @Test
    void historyIsStackedOldestFirstAndAChunkIsPlayedBeforeTheNextDecision(@TempDir Path dir) throws Exception {
        Mlp mlp = writeBundle(dir, 2 * 2, 4, 2, 4, 2, PolicyBundles.Normalization.minMax(OBS.low(), OBS.high()), null,
                null, 1);
        Policy p = Policy.load(dir);
        assertEquals(2, p.observationHistory());
        assertEquals(4, p.chunkLength());
        assertEquals(2, p.executedChunk());
        FastMlp ref = mlp.toFast();
        float[] o1 = {0.5f, 3f};
        float[] o2 = {-1f, 7f};
        float[] o3 = {1.5f, 9f};
        float[] out = new float[4];
        p.reset(0);
        // first decision: the first observation fills the history
        ref.forward(concat(minMax(o1), minMax(o1)), out);
        assertEquals(action(out, 0), p.act(o1)[0], 0f);
        assertEquals(action(out, 1), p.act(o2)[0], 0f, "the second action of the chunk, no new decision");
        // next decision sees the last two observations
        ref.forward(concat(minMax(o2), minMax(o3)), out);
        assertEquals(action(out, 0), p.act(o3)[0], 0f);
        // reset clears history and queue
        p.reset(1);
        ref.forward(concat(minMax(o3), minMax(o3)), out);
        assertEquals(action(out, 0), p.act(o3)[0], 0f);
        float[][] chunk = p.actChunk(o3);
        assertEquals(4, chunk.length);
    }

    @Test
    void aResidualWithAZeroLastLayerActsAsItsBaseAndOtherwiseStaysInTheBox(@TempDir Path dir) throws Exception {
        writeBundle(dir.resolve("base"), 2, 1, 1, 1, null, null, null, null, 2);
        Mlp residual = writeBundle(dir, 2 + 1, 1, 1, 1, null, null, "base",
                new PolicyBundles.Composition(PolicyBundles.RESIDUAL, 0.1), 3);
        Policy base = Policy.load(dir.resolve("base"));
        // zero the residual's last layer (weight and bias), as ResFiT initialises it
        var params = residual.params();
        for (Param q : params.subList(params.size() - 2, params.size())) {
            Mat v = q.value().toHost();
            for (int i = 0; i < v.length(); i++) {
                v.set(i, 0);
            }
            v.hostWritten();
        }
        ParamIO.write(dir.resolve("w.params"), params);
        Policy composite = Policy.load(dir);
        assertTrue(composite instanceof ResidualPolicy);
        float[] o = {0.3f, 4f};
        assertEquals(base.act(o)[0], composite.act(o)[0], 1e-6f);
        // a non-zero residual moves the action by at most scale x half-range, and never out of the box
        writeBundle(dir, 2 + 1, 1, 1, 1, null, null, "base", new PolicyBundles.Composition(PolicyBundles.RESIDUAL,
                0.1), 4);
        Policy moved = Policy.load(dir);
        for (float x = -2; x <= 2; x += 0.5f) {
            float[] obs = {x, 5f};
            float a = moved.act(obs)[0];
            assertTrue(Math.abs(a - base.act(obs)[0]) <= 0.1 * 2 + 1e-6, "residual moved too far: " + a);
            assertTrue(a >= -1 && a <= 3);
        }
    }

    @Test
    void noiseSpacePolicySteersTheBaseSamplersNoise(@TempDir Path dir) throws Exception {
        writeBundle(dir.resolve("base"), 2, 1, 1, 1, null, null, null, null, 2);
        Mlp actor = writeBundle(dir, 2, 2, 1, 1, null, null, "base",
                new PolicyBundles.Composition(PolicyBundles.NOISE_SPACE, 1.5), 5);
        // a stand-in for a diffusion policy: its chunk is the initial noise it is given, two actions of one dim
        Policy steerable = new Policy() {
            @Override
            public float[] act(float[] observation) {
                return new float[]{0};
            }

            @Override
            public int chunkLength() {
                return 2;
            }

            @Override
            public int noiseDim() {
                return 2;
            }

            @Override
            public float[][] actChunk(float[] observation, float[] initialNoise) {
                return new float[][]{{initialNoise[0]}, {initialNoise[1]}};
            }

            @Override
            public int observationDim() {
                return 2;
            }

            @Override
            public int actionDim() {
                return 1;
            }
        };
        BundlePolicy head = (BundlePolicy) PolicyBundles.loadNetwork(dir, PolicyBundles.readSpec(dir));
        NoiseSpacePolicy p = new NoiseSpacePolicy(steerable, head, 1.5);
        float[] o = {1f, 2f};
        float[] out = new float[2];
        actor.toFast().forward(o, out);
        assertEquals(1.5 * Kernels.tanh(out[0]), p.act(o)[0], 1e-6);
        assertEquals(1.5 * Kernels.tanh(out[1]), p.act(new float[]{0, 0})[0], 1e-6, "second action of the chunk");
        // a composite bundle whose base does not sample from noise is refused at load, naming why
        IOException e = assertThrows(IOException.class, () -> Policy.load(dir));
        assertTrue(e.getMessage().contains("samples from noise"), e.getMessage());
    }

    @Test
    void inconsistentFormatTwoFieldsAreNamedErrors(@TempDir Path dir) throws Exception {
        writeBundle(dir, 2, 4, 1, 4, 5, null, null, null, 6);
        IOException e = assertThrows(IOException.class, () -> Policy.load(dir));
        assertTrue(e.getMessage().contains("executedChunk <= chunkLength"), e.getMessage());
        writeBundle(dir, 2, 1, 1, 1, null, null, "base", null, 6);
        e = assertThrows(IOException.class, () -> Policy.load(dir));
        assertTrue(e.getMessage().contains("needs both 'base' and 'composition'"), e.getMessage());
        writeBundle(dir, 2, 1, 2, 1, null, null, null, null, 6); // history 2 needs 4 inputs
        e = assertThrows(IOException.class, () -> Policy.load(dir));
        assertTrue(e.getMessage().contains("2 observation frame(s)"), e.getMessage());
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = new float[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void formatOneBundlesStillLoad(@TempDir Path dir) throws Exception {
        Mlp mlp = Mlp.build(new MlpSpec(2, new int[]{4}, 1, "relu", false, 0.0), DataType.FLOAT, new Rng(7));
        ParamIO.write(dir.resolve("w.params"), mlp.params());
        PolicyBundles.writeSpec(dir, new PolicyBundles.Spec(PolicyBundles.FORMAT, 1,
                new PolicyBundles.Network(PolicyBundles.DETERMINISTIC_TANH, mlp.layerSpecs(), "w.params"), OBS, ACT,
                new PolicyBundles.Normalization(new float[]{0, 5}, new float[]{1, 2}, 5.0), 0.05, 1, null));
        Policy p = Policy.load(dir);
        float[] out = new float[1];
        mlp.toFast().forward(new float[]{0.5f, (float) ((7 - 5f) / 2f)}, out);
        assertArrayEquals(new float[]{action(out, 0)}, p.act(new float[]{0.5f, 7f}), 0f);
    }
}
