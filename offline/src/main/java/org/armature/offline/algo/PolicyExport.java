package org.armature.offline.algo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.armature.envs.EnvSpec;
import org.armature.nn.ParamIO;
import org.armature.offline.DatasetMetadata;

/**
 * Writes an offline actor as a policy bundle in the agents module's format ({@code bundle.json} + {@code actor.params};
 * see agents/README.md): network type {@code deterministic_tanh_mlp} (BC, TD3+BC, IQL's Gaussian mean) or
 * {@code squashed_gaussian_mlp} (CQL), the env's spaces (the bundle maps tanh outputs to the action box exactly as
 * training's action normalisation did), and the dataset's observation normalisation.
 */
public final class PolicyExport {

    /** Observation clip in the bundle: CORL does not clip normalised states, so the bound is far outside the data. */
    static final double OBSERVATION_CLIP = 1e6;

    private PolicyExport() {
    }

    public static void write(Path dir, OfflineAlgorithm algo, Normalization norm, EnvSpec env, long seed, long steps)
            throws IOException {
        Files.createDirectories(dir);
        ParamIO.write(dir.resolve("actor.params"), algo.actorNetwork().params());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("format", "armature-policy-bundle");
        spec.put("formatVersion", 1);
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("type", algo.squashedGaussianActor() ? "squashed_gaussian_mlp" : "deterministic_tanh_mlp");
        net.put("layers", algo.actorLayers());
        net.put("weights", "actor.params");
        double[] logStd = algo.logStdAffine();
        if (logStd != null) { // CORL's learnt log-std scalars (agents/README.md, policy.logStd)
            Map<String, Object> ls = new LinkedHashMap<>();
            ls.put("multiplier", logStd[0]);
            ls.put("offset", logStd[1]);
            ls.put("min", org.armature.nn.SquashedGaussianHead.CORL_LOG_STD_MIN);
            ls.put("max", org.armature.nn.SquashedGaussianHead.CORL_LOG_STD_MAX);
            net.put("logStd", ls);
        }
        spec.put("policy", net);
        spec.put("observationSpace", space(env.observationSpace().low(), env.observationSpace().high()));
        spec.put("actionSpace", space(env.actionSpace().low(), env.actionSpace().high()));
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("mean", norm.observationMean());
        n.put("std", norm.observationStd());
        n.put("clip", OBSERVATION_CLIP);
        spec.put("observationNormalization", n);
        spec.put("controlDtSeconds", env.controlDtSeconds());
        spec.put("chunkLength", 1);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("algo", "offline-" + algo.name());
        prov.put("envId", env.id());
        prov.put("seed", seed);
        prov.put("envSteps", 0);
        prov.put("armatureVersion", DatasetMetadata.currentVersion());
        prov.put("createdUtc", Instant.now().toString());
        prov.put("gradientSteps", steps);
        spec.put("provenance", prov);
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(spec).getBytes(StandardCharsets.UTF_8);
        ParamIO.writeAtomically(dir.resolve("bundle.json"), json);
    }

    private static Map<String, Object> space(float[] low, float[] high) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("low", low);
        s.put("high", high);
        return s;
    }
}
