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
import org.armature.agents.Batch;
import org.armature.agents.Learner;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.Param;
import org.armature.nn.Rng;
import org.armature.offline.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * CQL's, IQL's and TD3+BC's gradients against an independent PyTorch evaluation of CORL's losses
 * ({@code reference/corl_reference.py}): the same parameters, batch and noise go to both, and every gradient of every
 * loss (actor, critics, value, temperature), plus the logged losses, must agree. Skipped with a message where
 * Debian's python3-torch is missing (CI installs it, {@code .ci/install-offline-deps.sh}).
 */
class CorlReferenceTest {

    /** CORL's discount γ for CQL, IQL and TD3+BC. */
    private static final double DISCOUNT = 0.99;

    private static final int OD = 5;
    private static final int AD = 3;
    private static final int BATCH = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "corl_log_std={0} importance_sample={1} temperature={2}")
    @CsvSource({"false, true, 1.0", "true, true, 1.0", "false, false, 0.5"})
    void cqlGradientsMatchCorlInPyTorch(boolean corlLogStd, boolean importanceSample, double temperature)
            throws IOException {
        Python.assumeTorch();
        Cql.Config cfg = new Cql.Config(16, 3, 3, 3e-5, 3e-4, 3e-5, 0.99, 5e-3, 10.0, 10, temperature,
                importanceSample, corlLogStd, false);
        Cql cql = new Cql(OD, AD, cfg, 11);
        Rng data = new Rng(5);
        // a few ordinary steps first, so the targets differ from the critics and α, m, c have moved
        Batch b = batchAfterSteps(cql, data, 3);
        Cql.Internals in = cql.internals();
        // and move what those steps barely touch (lr 3e-5, τ 5e-3), so that confusing α with 1, m and c with their
        // initial values, or a target critic with its online critic, shows in the gradients
        in.logAlpha().value().toHost().set(0, -1.2);
        in.logAlpha().value().hostWritten();
        if (corlLogStd) {
            setScalar(in.head().params().get(0), 1.25);
            setScalar(in.head().params().get(1), -0.6);
        }
        perturb(data, 0.05, in.q1Target(), in.q2Target());

        Map<String, Object> input = input("cql", b);
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

        JsonNode ref = reference(input);

        List<Param> actorParams = new ArrayList<>(in.actor().params());
        actorParams.addAll(in.head().params());
        assertGradients("actor", actorParams, ref.get("actor"));
        List<Param> criticParams = new ArrayList<>(in.q1().params());
        criticParams.addAll(in.q2().params());
        assertGradients("critics", criticParams, ref.get("critics"));
        double logAlphaGrad = in.logAlpha().grad().toHost().get(0);
        assertEquals(ref.get("log_alpha").asDouble(), logAlphaGrad, 1e-5, "d alpha_loss / d log_alpha");
        assertMetrics(cql.lastMetrics(), ref, "critic_td_loss", "cql_loss", "q_data", "actor_loss", "log_pi");
    }

    @ParameterizedTest(name = "deterministic_actor={0}")
    @CsvSource({"true", "false"})
    void iqlGradientsMatchCorlInPyTorch(boolean deterministicActor) throws IOException {
        Python.assumeTorch();
        Iql.Config c = Iql.Config.corl(1000);
        Iql.Config cfg = new Iql.Config(16, 2, c.actorLr(), c.qLr(), c.vLr(), c.discount(), c.tau(), c.expectile(),
                c.beta(), c.maxWeight(), c.cosineActorLr(), c.totalSteps(), 0.0, 2, 0.0, deterministicActor);
        Iql iql = new Iql(OD, AD, cfg, 13);
        Rng data = new Rng(6);
        Batch b = batchAfterSteps(iql, data, 3);
        Iql.Internals in = iql.internals();
        // target critics away from the critics and raised by 1.6, so that the advantages spread and some of the
        // weights exp(β A) pass the clip at 100; one log σ outside CORL's clamp [−20, 2] (zero gradient there)
        perturb(data, 0.3, in.qTargets());
        for (Mlp t : in.qTargets()) {
            List<Param> ps = t.params();
            Mat lastBias = ps.get(ps.size() - 1).value().toHost();
            lastBias.set(0, lastBias.get(0) + 1.6);
            lastBias.hostWritten();
        }
        in.logStd().value().toHost().setAll(new float[]{-0.5f, 0.3f, 2.5f});
        in.logStd().value().hostWritten();

        Map<String, Object> input = input("iql", b);
        input.put("expectile", cfg.expectile());
        input.put("beta", cfg.beta());
        input.put("max_weight", cfg.maxWeight());
        input.put("discount", cfg.discount());
        input.put("deterministic_actor", deterministicActor);
        input.put("log_std", in.logStd().value().toHost().toDoubleArray());
        input.put("actor", params(in.actor()));
        input.put("v", params(in.v()));
        input.put("q1", params(in.qs()[0]));
        input.put("q2", params(in.qs()[1]));
        input.put("q1_target", params(in.qTargets()[0]));
        input.put("q2_target", params(in.qTargets()[1]));

        iql.accumulateGradients(b);
        JsonNode ref = reference(input);

        double clipped = ref.get("clipped_fraction").asDouble();
        assertTrue(clipped > 0 && clipped < 1, "the batch should have clipped and unclipped weights, got " + clipped);
        List<Param> actorParams = new ArrayList<>(in.actor().params());
        if (!deterministicActor) {
            actorParams.add(in.logStd());
        }
        assertGradients("actor", actorParams, ref.get("actor"));
        List<Param> criticParams = new ArrayList<>(in.qs()[0].params());
        criticParams.addAll(in.qs()[1].params());
        assertGradients("critics", criticParams, ref.get("critics"));
        assertGradients("value", in.v().params(), ref.get("value"));
        assertMetrics(iql.lastMetrics(), ref, "value_loss", "critic_loss", "actor_loss", "adv_weight_mean");
    }

    @Test
    void td3bcGradientsMatchCorlInPyTorch() throws IOException {
        Python.assumeTorch();
        Td3Bc.Config c = Td3Bc.Config.corl();
        // policy noise 0.4 instead of 0.2 so that the noise clip at 0.5 acts on a good share of the batch
        Td3Bc.Config cfg = new Td3Bc.Config(16, 2, c.actorLr(), c.criticLr(), c.discount(), c.tau(), c.alpha(),
                0.4, c.noiseClip(), c.policyFrequency());
        Td3Bc td3bc = new Td3Bc(OD, AD, cfg, 17);
        Rng data = new Rng(7);
        Batch b = batchAfterSteps(td3bc, data, 4);
        Td3Bc.Internals in = td3bc.internals();
        // targets away from the online networks, and the target actor's last layer scaled up so that some smoothed
        // target actions leave [−1, 1] and are clipped
        perturb(data, 0.3, in.q1Target(), in.q2Target(), in.actorTarget());
        List<Param> at = in.actorTarget().params();
        Mat lastWeight = at.get(at.size() - 2).value().toHost();
        for (int i = 0; i < lastWeight.length(); i++) {
            lastWeight.set(i, 4 * lastWeight.get(i));
        }
        lastWeight.hostWritten();

        Map<String, Object> input = input("td3bc", b);
        input.put("discount", cfg.discount());
        input.put("alpha", cfg.alpha());
        input.put("policy_noise", cfg.policyNoise());
        input.put("noise_clip", cfg.noiseClip());
        input.put("actor", params(in.actor()));
        input.put("actor_target", params(in.actorTarget()));
        input.put("q1", params(in.q1()));
        input.put("q2", params(in.q2()));
        input.put("q1_target", params(in.q1Target()));
        input.put("q2_target", params(in.q2Target()));
        Rng twin = new Rng(0);
        twin.restore(in.rng().state());
        input.put("eps_policy", gaussians(twin, BATCH));

        td3bc.criticGradients(b);
        JsonNode ref = reference(input);
        for (String clip : List.of("noise_clipped_fraction", "action_clipped_fraction")) {
            double f = ref.get(clip).asDouble();
            assertTrue(f > 0 && f < 1, clip + " should be strictly between 0 and 1, got " + f);
        }
        List<Param> criticParams = new ArrayList<>(in.q1().params());
        criticParams.addAll(in.q2().params());
        assertGradients("critics", criticParams, ref.get("critics"));
        td3bc.actorGradients(b); // with the critic as it was (no step in between), which is what the input holds
        assertGradients("actor", in.actor().params(), ref.get("actor"));
        assertMetrics(metrics(td3bc), ref, "critic_loss", "actor_loss", "bc_loss", "q_pi");
    }

    /** Trains {@code steps} ordinary updates on fresh batches, then returns the batch for the checked step. */
    private static Batch batchAfterSteps(Learner algo, Rng data, int steps) {
        for (int i = 0; i < steps; i++) {
            algo.update(batch(data));
        }
        return batch(data);
    }

    private static Map<String, Object> input(String algo, Batch b) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("algo", algo);
        input.put("action_dim", AD);
        input.put("batch_size", BATCH);
        input.put("observations", mat(b.observations));
        input.put("actions", mat(b.actions));
        input.put("rewards", mat(b.rewards));
        input.put("next_observations", mat(b.nextObservations));
        input.put("not_done", notDone(b));
        return input;
    }

    private JsonNode reference(Map<String, Object> input) throws IOException {
        Path inputFile = dir.resolve(input.get("algo") + "-input.json");
        JSON.writeValue(inputFile.toFile(), input);
        return JSON.readTree(Python.runOk(script(), inputFile.toString()));
    }

    /** Adds {@code scale} × N(0, 1) to every parameter of the networks. */
    private static void perturb(Rng r, double scale, Mlp... nets) {
        for (Mlp net : nets) {
            for (Param p : net.params()) {
                Mat v = p.value().toHost();
                for (int i = 0; i < v.length(); i++) {
                    v.set(i, v.get(i) + scale * r.nextGaussian());
                }
                v.hostWritten();
            }
        }
    }

    /** The learner's statistics of its last update, by name. */
    private static Map<String, Double> metrics(Learner algo) {
        String[] names = algo.statNames();
        double[] v = new double[names.length];
        algo.stats(v);
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], v[i]);
        }
        return m;
    }

    private static void assertMetrics(Map<String, Double> metrics, JsonNode ref, String... names) {
        for (String k : names) {
            double want = ref.get("metrics").get(k).asDouble();
            assertEquals(want, metrics.get(k), 1e-4 * Math.max(1, Math.abs(want)), "metric " + k);
        }
    }

    private static void setScalar(Param p, double v) {
        p.value().toHost().set(0, v);
        p.value().hostWritten();
    }

    private static Batch batch(Rng r) {
        Batch b = new Batch(BATCH, OD, AD, DataType.FLOAT);
        for (int i = 0; i < BATCH; i++) {
            for (int j = 0; j < OD; j++) {
                b.observations.set(i * OD + j, r.nextGaussian());
                b.nextObservations.set(i * OD + j, r.nextGaussian());
            }
            for (int j = 0; j < AD; j++) {
                b.actions.set(i * AD + j, 1.9 * r.nextDouble() - 0.95);
            }
            b.rewards.set(i, 3 * r.nextGaussian());
            b.discounts.set(i, i % 4 == 3 ? 0 : DISCOUNT); // every fourth transition is terminal
        }
        b.observations.hostWritten();
        b.nextObservations.hostWritten();
        b.actions.hostWritten();
        b.rewards.hostWritten();
        b.discounts.hostWritten();
        return b;
    }

    /** {@code 1 − terminal} per row, as CORL's batches carry it (the discounts are γ or 0). */
    private static Map<String, Object> notDone(Batch b) {
        float[] nd = new float[b.size];
        for (int i = 0; i < b.size; i++) {
            nd[i] = b.discounts.get(i) > 0 ? 1f : 0f;
        }
        return mat(b.size, 1, nd);
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
        try (InputStream s = CorlReferenceTest.class.getResourceAsStream("/reference/corl_reference.py")) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
