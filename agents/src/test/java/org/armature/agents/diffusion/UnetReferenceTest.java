package org.armature.agents.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.armature.nn.Mat;
import org.armature.nn.Param;
import org.armature.nn.Rng;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link UnetDenoiser} against an independent PyTorch implementation of Diffusion Policy's U-Net
 * ({@code reference/unet_reference.py}): PyTorch initialises the small network from a seed and evaluates
 * {@code sum(ε_θ(x, t, c) · R)} and its gradients in float64; this test loads the same weights (mapping PyTorch's
 * layouts: Conv1d {@code [cout, cin, k]}, ConvTranspose1d {@code [cin, cout, k]}, Linear {@code [out, in]}) and
 * compares the output and every gradient, in float64 and in float32. Skipped with a message where Debian's
 * python3-torch is missing, and failed instead when {@code CI=true}.
 */
class UnetReferenceTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 3;

    @TempDir
    Path dir;

    private static DenoiserSpec spec() {
        return new DenoiserSpec(DenoiserSpec.UNET, 2, 8, 6, 8, new int[]{8, 16}, 5, 8, null, null);
    }

    @Test
    void float64MatchesPyTorch() throws IOException {
        JsonNode ref = reference();
        compare(ref, DataType.DOUBLE, 1e-10, 1e-9);
    }

    @Test
    void float32MatchesPyTorch() throws IOException {
        JsonNode ref = reference();
        compare(ref, DataType.FLOAT, 2e-5, 2e-4);
    }

    /**
     * @param outTol  absolute tolerance on outputs, relative to the largest output
     * @param gradTol absolute tolerance on each gradient tensor, relative to its largest entry (at least 1e-2)
     */
    private static void compare(JsonNode ref, DataType dtype, double outTol, double gradTol) {
        DenoiserSpec s = spec();
        UnetDenoiser net = new UnetDenoiser(s, dtype, new Rng(0));
        List<Param> params = net.params();
        JsonNode refParams = ref.get("params");
        assertEquals(refParams.size(), params.size(), "parameter count");
        for (int i = 0; i < params.size(); i++) {
            JsonNode p = refParams.get(i);
            Param q = params.get(i);
            q.value().setAll(toArmature(p, "value", q));
            q.grad().fill(0.0);
        }
        int width = s.horizon() * s.actionDim();
        Mat x = Mat.zeros(dtype, BATCH, width).setAll(doubles(ref.get("actions")));
        Mat c = Mat.zeros(dtype, BATCH, s.conditionDim()).setAll(doubles(ref.get("condition")));
        Mat r = Mat.zeros(dtype, BATCH, width).setAll(doubles(ref.get("r")));
        int[] steps = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            steps[b] = ref.get("steps").get(b).asInt();
        }
        Mat y = net.forward(x, steps, c, true);
        assertClose("output", doubles(ref.get("output")), y.toDoubleArray(), outTol);
        net.backward(r);
        for (int i = 0; i < params.size(); i++) {
            JsonNode p = refParams.get(i);
            Param q = params.get(i);
            assertClose("d/d " + p.get("name").asText(), toArmature(p, "grad", q), q.grad().toDoubleArray(), gradTol);
        }
        assertClose("d/d actions", doubles(ref.get("actions_grad")), net.noisyActionGrad().toDoubleArray(), gradTol);
        assertClose("d/d condition", doubles(ref.get("condition_grad")), net.conditionGrad().toDoubleArray(),
                gradTol);
    }

    /** A PyTorch tensor in Armature's layout for parameter {@code q} (whose shape it must have). */
    private static double[] toArmature(JsonNode p, String field, Param q) {
        double[] v = doubles(p.get(field));
        JsonNode shape = p.get("shape");
        String name = p.get("name").asText();
        if (shape.size() == 1) {
            assertTrue(q.rows() == 1 && q.cols() == v.length, name + ": vector of " + v.length + " vs " + q.rows()
                    + "x" + q.cols());
            return v;
        }
        double[] a = new double[v.length];
        switch (p.get("kind").asText()) {
            case "linear" -> { // [out, in] -> in x out
                int out = shape.get(0).asInt();
                int in = shape.get(1).asInt();
                assertShape(name, q, in, out);
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        a[i * out + o] = v[o * in + i];
                    }
                }
            }
            case "conv1d" -> { // [cout, cin, k] -> (k·cin) x cout
                int cout = shape.get(0).asInt();
                int cin = shape.get(1).asInt();
                int k = shape.get(2).asInt();
                assertShape(name, q, k * cin, cout);
                for (int o = 0; o < cout; o++) {
                    for (int ci = 0; ci < cin; ci++) {
                        for (int j = 0; j < k; j++) {
                            a[(j * cin + ci) * cout + o] = v[(o * cin + ci) * k + j];
                        }
                    }
                }
            }
            case "conv_transpose1d" -> { // [cin, cout, k] -> cin x (k·cout)
                int cin = shape.get(0).asInt();
                int cout = shape.get(1).asInt();
                int k = shape.get(2).asInt();
                assertShape(name, q, cin, k * cout);
                for (int ci = 0; ci < cin; ci++) {
                    for (int o = 0; o < cout; o++) {
                        for (int j = 0; j < k; j++) {
                            a[ci * k * cout + j * cout + o] = v[(ci * cout + o) * k + j];
                        }
                    }
                }
            }
            default -> throw new AssertionError(name + ": unexpected kind " + p.get("kind"));
        }
        return a;
    }

    private static void assertShape(String name, Param q, int rows, int cols) {
        assertTrue(q.rows() == rows && q.cols() == cols, name + ": expected " + rows + "x" + cols + " in Armature's"
                + " layout, the parameter is " + q.rows() + "x" + q.cols());
    }

    private static void assertClose(String what, double[] want, double[] got, double tol) {
        assertEquals(want.length, got.length, what + ": length");
        // tensors whose entries are all (near) zero, e.g. a convolution bias in front of a GroupNorm with one
        // channel per group, compare at an absolute scale of 1e-2
        double scale = 1e-2;
        for (double w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * scale, what + "[" + i + "]");
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    private JsonNode reference() throws IOException {
        assumeTorch();
        DenoiserSpec s = spec();
        Path input = dir.resolve("unet-input.json");
        JSON.writeValue(input.toFile(), Map.of("action_dim", s.actionDim(), "horizon", s.horizon(), "cond_dim",
                s.conditionDim(), "step_dim", s.stepEmbedDim(), "down_dims", s.downDims(), "kernel", s.kernelSize(),
                "groups", s.groups(), "batch", BATCH, "seed", 0));
        String script;
        try (InputStream in = UnetReferenceTest.class.getResourceAsStream("/reference/unet_reference.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Result r = python(script, input.toString());
        assertEquals(0, r.exit, "unet_reference.py failed:\n" + r.out);
        return JSON.readTree(r.out);
    }

    /**
     * Skips on a developer machine without PyTorch, fails in CI ({@code CI=true}): a green CI means this ran (the
     * rule of the offline module's reference tests).
     */
    private static void assumeTorch() {
        boolean ok = Files.isExecutable(PYTHON) && python("import torch").exit == 0;
        String why = "/usr/bin/python3 cannot import torch (install with: apt-get install -y python3-torch)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertTrue(ok, "CI=true but " + why);
        }
        Assumptions.assumeTrue(ok, "skipped: " + why);
    }

    private record Result(int exit, String out) {
    }

    private static Result python(String script, String... args) {
        try {
            String[] cmd = new String[3 + args.length];
            cmd[0] = PYTHON.toString();
            cmd[1] = "-c";
            cmd[2] = script;
            System.arraycopy(args, 0, cmd, 3, args.length);
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timeout");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
