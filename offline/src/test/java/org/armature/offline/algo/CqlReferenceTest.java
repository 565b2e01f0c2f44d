package org.armature.offline.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.Param;
import org.armature.nn.Rng;
import org.armature.offline.Python;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CQL's gradients against an independent PyTorch evaluation of CORL's losses ({@code reference/cql_corl_reference.py}):
 * the same parameters, batch and noise go to both, and every gradient of the actor (with CORL's log-std scalars), both
 * critics and the entropy temperature, plus the logged losses, must agree. Skipped with a message where Debian's
 * python3-torch is missing (CI installs it, {@code .ci/install-offline-deps.sh}).
 */
class CqlReferenceTest {

    private static final int OD = 5;
    private static final int AD = 3;
    private static final int BATCH = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "corl_log_std={0} importance_sample={1} temperature={2}")
    @CsvSource({"false, true, 1.0", "true, true, 1.0", "false, false, 0.5"})
    void gradientsMatchCorlInPyTorch(boolean corlLogStd, boolean importanceSample, double temperature)
            throws IOException {
        Python.assumeTorch();
        Cql.Config cfg = new Cql.Config(16, 3, 3, 3e-5, 3e-4, 3e-5, 0.99, 5e-3, 10.0, 10, temperature,
                importanceSample, corlLogStd, false);
        Cql cql = new Cql(OD, AD, cfg, 11);
        Rng data = new Rng(5);
        // a few ordinary steps first, so the targets differ from the critics and α, m, c have moved
        for (int i = 0; i < 3; i++) {
            cql.update(batch(data));
        }
        OfflineBatch b = batch(data);
        Cql.Internals in = cql.internals();
        // and move what those steps barely touch (lr 3e-5, τ 5e-3), so that confusing α with 1, m and c with their
        // initial values, or a target critic with its online critic, shows in the gradients
        in.logAlpha().value().toHost().set(0, -1.2);
        in.logAlpha().value().hostWritten();
        if (corlLogStd) {
            setScalar(in.head().params().get(0), 1.25);
            setScalar(in.head().params().get(1), -0.6);
        }
        for (Mlp target : List.of(in.q1Target(), in.q2Target())) {
            for (Param p : target.params()) {
                Mat v = p.value().toHost();
                for (int i = 0; i < v.length(); i++) {
                    v.set(i, v.get(i) + 0.05 * data.nextGaussian());
                }
                v.hostWritten();
            }
        }

        Map<String, Object> input = new LinkedHashMap<>();
        input.put("action_dim", AD);
        input.put("batch_size", BATCH);
        input.put("cql_n_actions", cfg.cqlActions());
        input.put("cql_alpha", cfg.cqlAlpha());
        input.put("cql_temperature", cfg.cqlTemperature());
        input.put("importance_sample", cfg.importanceSample());
        input.put("discount", cfg.discount());
        input.put("target_entropy", -(double) AD);
        input.put("corl_log_std", corlLogStd);
        if (corlLogStd) {
            double[] mc = in.head().logStdAffine();
            input.put("log_std_multiplier", mc[0]);
            input.put("log_std_offset", mc[1]);
        }
        input.put("actor", params(in.actor()));
        input.put("q1", params(in.q1()));
        input.put("q2", params(in.q2()));
        input.put("q1_target", params(in.q1Target()));
        input.put("q2_target", params(in.q2Target()));
        input.put("log_alpha", in.logAlpha().value().toHost().get(0));
        input.put("observations", mat(b.observations));
        input.put("actions", mat(b.actions));
        input.put("rewards", mat(b.rewards));
        input.put("next_observations", mat(b.nextObservations));
        input.put("not_done", mat(b.notDone));
        // the noise of this step, drawn from a copy of the algorithm's stream in the order Cql draws it
        Rng twin = new Rng(0);
        twin.restore(in.rng().state());
        int m = BATCH * cfg.cqlActions();
        input.put("eps_next", gaussians(twin, BATCH));
        input.put("random_actions", uniforms(twin, m));
        input.put("eps_current", gaussians(twin, m));
        input.put("eps_next_repeat", gaussians(twin, m));
        input.put("eps_actor", gaussians(twin, BATCH));

        cql.accumulateGradients(b);

        Path inputFile = dir.resolve("cql-input.json");
        JSON.writeValue(inputFile.toFile(), input);
        JsonNode ref = JSON.readTree(Python.runOk(script(), inputFile.toString()));

        List<Param> actorParams = new ArrayList<>(in.actor().params());
        actorParams.addAll(in.head().params());
        assertGradients("actor", actorParams, ref.get("actor"));
        List<Param> criticParams = new ArrayList<>(in.q1().params());
        criticParams.addAll(in.q2().params());
        assertGradients("critics", criticParams, ref.get("critics"));
        double logAlphaGrad = in.logAlpha().grad().toHost().get(0);
        assertEquals(ref.get("log_alpha").asDouble(), logAlphaGrad, 1e-5, "d alpha_loss / d log_alpha");
        Map<String, Double> metrics = cql.lastMetrics();
        for (String k : List.of("critic_td_loss", "cql_loss", "q_data", "actor_loss", "log_pi")) {
            double want = ref.get("metrics").get(k).asDouble();
            assertEquals(want, metrics.get(k), 1e-4 * Math.max(1, Math.abs(want)), "metric " + k);
        }
    }

    private static void setScalar(Param p, double v) {
        p.value().toHost().set(0, v);
        p.value().hostWritten();
    }

    private static OfflineBatch batch(Rng r) {
        OfflineBatch b = new OfflineBatch(BATCH, OD, AD);
        for (int i = 0; i < BATCH; i++) {
            for (int j = 0; j < OD; j++) {
                b.observations.set(i * OD + j, r.nextGaussian());
                b.nextObservations.set(i * OD + j, r.nextGaussian());
            }
            for (int j = 0; j < AD; j++) {
                b.actions.set(i * AD + j, 1.9 * r.nextDouble() - 0.95);
            }
            b.rewards.set(i, 3 * r.nextGaussian());
            b.notDone.set(i, i % 4 == 3 ? 0 : 1); // every fourth transition is terminal
        }
        b.observations.hostWritten();
        b.nextObservations.hostWritten();
        b.actions.hostWritten();
        b.rewards.hostWritten();
        b.notDone.hostWritten();
        return b;
    }

    private static Map<String, Object> mat(int rows, int cols, float[] data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("cols", cols);
        m.put("data", data);
        return m;
    }

    private static Map<String, Object> mat(Mat x) {
        return mat(x.rows, x.cols, x.toHost().toFloatArray());
    }

    private static List<Map<String, Object>> params(Mlp net) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Param p : net.params()) {
            out.add(mat(p.value()));
        }
        return out;
    }

    private static Map<String, Object> gaussians(Rng r, int rows) {
        float[] v = new float[rows * AD];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian(); // the head stores its noise in a float matrix
        }
        return mat(rows, AD, v);
    }

    private static Map<String, Object> uniforms(Rng r, int rows) {
        float[] v = new float[rows * AD];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (2 * r.nextDouble() - 1);
        }
        return mat(rows, AD, v);
    }

    /** Every gradient entry within 1e-4 of the tensor's largest reference entry (float32 against float64). */
    private static void assertGradients(String what, List<Param> params, JsonNode ref) {
        assertEquals(params.size(), ref.size(), what + ": parameter count");
        for (int p = 0; p < params.size(); p++) {
            float[] got = params.get(p).grad().toHost().toFloatArray();
            JsonNode want = ref.get(p);
            assertEquals(want.size(), got.length, what + " parameter " + p + ": size");
            double scale = 0;
            for (JsonNode w : want) {
                scale = Math.max(scale, Math.abs(w.asDouble()));
            }
            assertTrue(scale > 0, what + " parameter " + p + ": reference gradient is all zero");
            double worst = 0;
            int at = -1;
            for (int i = 0; i < got.length; i++) {
                double err = Math.abs(got[i] - want.get(i).asDouble());
                if (err > worst) {
                    worst = err;
                    at = i;
                }
            }
            assertTrue(worst <= 1e-4 * scale, String.format("%s parameter %d (%s): entry %d is %.6g, PyTorch %.6g "
                            + "(largest |gradient| %.3g)", what, p, params.get(p).name(), at, at < 0 ? 0 : got[at],
                    at < 0 ? 0 : want.get(at).asDouble(), scale));
        }
    }

    private static String script() throws IOException {
        try (InputStream s = CqlReferenceTest.class.getResourceAsStream("/reference/cql_corl_reference.py")) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
