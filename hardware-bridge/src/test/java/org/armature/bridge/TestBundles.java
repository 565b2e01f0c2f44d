package org.armature.bridge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.armature.agents.PolicyBundles;
import org.armature.nn.LayerSpec;

/** Writes small policy bundles (deterministic tanh MLPs with random weights) for tests. */
final class TestBundles {

    private TestBundles() {
    }

    /** A {@code obs -> hidden -> hidden -> act} tanh-MLP bundle with controlDt {@code dt}. */
    static Path mlp(Path dir, int obsDim, int actDim, int hidden, double dt, long seed, float weightScale)
            throws IOException {
        Files.createDirectories(dir);
        int[] sizes = {obsDim, hidden, hidden, actDim};
        List<LayerSpec> layers = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int l = 0; l < 3; l++) {
            layers.add(new LayerSpec("linear", sizes[l], sizes[l + 1], null, null));
            if (l < 2) {
                layers.add(LayerSpec.of("relu", sizes[l + 1]));
            }
            float[] w = new float[sizes[l] * sizes[l + 1]];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (rng.nextGaussian() * weightScale / Math.sqrt(sizes[l]));
            }
            values.add(w);
            names.add("l" + l + ".w");
            shapes.add(new int[]{sizes[l], sizes[l + 1]});
            values.add(new float[sizes[l + 1]]);
            names.add("l" + l + ".b");
            shapes.add(new int[]{1, sizes[l + 1]});
        }
        writeParams(dir.resolve("actor.params"), names, shapes, values);
        float[] lo = new float[obsDim];
        float[] hi = new float[obsDim];
        java.util.Arrays.fill(lo, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(hi, Float.POSITIVE_INFINITY);
        float[] alo = new float[actDim];
        float[] ahi = new float[actDim];
        java.util.Arrays.fill(alo, -1f);
        java.util.Arrays.fill(ahi, 1f);
        PolicyBundles.writeSpec(dir, new PolicyBundles.Spec(PolicyBundles.FORMAT, PolicyBundles.FORMAT_VERSION,
                new PolicyBundles.Network(PolicyBundles.DETERMINISTIC_TANH, layers, "actor.params"),
                new PolicyBundles.Space(lo, hi), new PolicyBundles.Space(alo, ahi), null, dt, 1,
                new PolicyBundles.Provenance("test", "Reach-v1", seed, 0L, null, null, null, null)));
        return dir;
    }

    private static void writeParams(Path file, List<String> names, List<int[]> shapes, List<float[]> values)
            throws IOException {
        int bytes = 20;
        for (int i = 0; i < names.size(); i++) {
            bytes += 12 + names.get(i).getBytes(StandardCharsets.UTF_8).length + 4 * values.get(i).length;
        }
        ByteBuffer bb = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.put("ARMPARAM".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(4).putInt(names.size());
        for (int i = 0; i < names.size(); i++) {
            byte[] n = names.get(i).getBytes(StandardCharsets.UTF_8);
            bb.putInt(n.length).put(n).putInt(shapes.get(i)[0]).putInt(shapes.get(i)[1]);
        }
        for (float[] v : values) {
            for (float x : v) {
                bb.putFloat(x);
            }
        }
        Files.write(file, bb.array());
    }
}
