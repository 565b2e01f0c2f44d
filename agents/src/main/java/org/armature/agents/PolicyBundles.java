package org.armature.agents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.armature.envs.EnvSpec;
import org.armature.nn.FastMlp;
import org.armature.nn.LayerSpec;
import org.armature.nn.ParamIO;
import org.armature.train.RunInfo;

/**
 * Policy bundles: a directory with {@code bundle.json} plus weight files, loadable without any training code or
 * tensor backend (inference is plain Java, see {@link FastMlp}). The format is documented in agents/README.md.
 */
public final class PolicyBundles {

    public static final String FILE = "bundle.json";
    public static final String FORMAT = "armature-policy-bundle";
    public static final int FORMAT_VERSION = 1;
    /** Network output {@code [mu | raw_log_std]}, action {@code tanh(mu) * scale + center}. */
    public static final String SQUASHED_GAUSSIAN = "squashed_gaussian_mlp";
    /** Network output {@code x}, action {@code tanh(x) * scale + center}. */
    public static final String DETERMINISTIC_TANH = "deterministic_tanh_mlp";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PolicyBundles() {
    }

    /** A box space; unbounded sides are written as the JSON strings "Infinity" / "-Infinity". */
    public record Space(float[] low, float[] high) {
    }

    /** {@code obs_normalised = clip((obs - mean) / std, -clip, clip)}. */
    public record Normalization(float[] mean, float[] std, double clip) {
    }

    /**
     * The policy network: head type, layer list, weight file (relative to the bundle directory), and for a
     * squashed Gaussian with CORL's log-std map its learnt scalars (absent: CleanRL's bounded map).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Network(String type, List<LayerSpec> layers, String weights, AffineLogStd logStd) {
        public Network(String type, List<LayerSpec> layers, String weights) {
            this(type, layers, weights, null);
        }
    }

    /** {@code log_std = clamp(multiplier * raw + offset, min, max)} (CORL's TanhGaussianPolicy). */
    public record AffineLogStd(double multiplier, double offset, double min, double max) {
    }

    /** Where the policy came from. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Provenance(String algo, String envId, Long seed, Long envSteps, Long gradientSteps,
                             String gitCommit, String armatureVersion, String createdUtc) {

        /** Provenance of a policy trained now, in this checkout (git commit, version, time filled in). */
        public static Provenance now(String algo, String envId, long seed, long envSteps, long gradientSteps) {
            return new Provenance(algo, envId, seed, envSteps, gradientSteps, RunInfo.gitCommit(),
                    RunInfo.armatureVersion(), ZonedDateTime.now(ZoneOffset.UTC).toString());
        }
    }

    /** The contents of bundle.json. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(String format, int formatVersion, Network policy, Space observationSpace, Space actionSpace,
                       Normalization observationNormalization, double controlDtSeconds, int chunkLength,
                       Provenance provenance) {
    }

    /**
     * The one bundle writer: builds the bundle of {@code learner}'s current policy (its weights and network, the env's
     * spaces and control rate, the observation normalisation the policy expects or null, provenance) in a temporary
     * sibling directory and renames it over {@code dir}, so a reader never sees half a bundle.
     */
    public static void write(Path dir, Learner learner, EnvSpec env, Normalization observationNormalization,
                             Provenance provenance) throws IOException {
        Path tmp = dir.resolveSibling("." + dir.getFileName() + ".tmp");
        ParamIO.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        Network net = learner.exportPolicy(tmp);
        Spec spec = new Spec(FORMAT, FORMAT_VERSION, net,
                new Space(env.observationSpace().low(), env.observationSpace().high()),
                new Space(env.actionSpace().low(), env.actionSpace().high()),
                observationNormalization, env.controlDtSeconds(), 1, provenance);
        writeSpec(tmp, spec);
        ParamIO.deleteRecursively(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes {@code bundle.json} atomically (weights must already be in the directory). */
    public static void writeSpec(Path dir, Spec spec) throws IOException {
        byte[] json = JSON.writeValueAsString(spec).getBytes(StandardCharsets.UTF_8);
        ParamIO.writeAtomically(dir.resolve(FILE), json);
    }

    /** Reads and validates {@code bundle.json}; errors name the file and the problem. */
    public static Spec readSpec(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("policy bundle directory " + dir + " does not exist");
        }
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new IOException(dir + " is not a policy bundle: " + FILE + " is missing");
        }
        Spec s;
        try {
            s = JSON.readValue(f.toFile(), Spec.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(f + ": malformed bundle.json (" + e.getOriginalMessage() + ")");
        }
        if (!FORMAT.equals(s.format())) {
            throw new IOException(f + ": format is '" + s.format() + "', expected '" + FORMAT + "'");
        }
        if (s.formatVersion() != FORMAT_VERSION) {
            throw new IOException(f + ": formatVersion " + s.formatVersion() + " is not supported (expected "
                    + FORMAT_VERSION + ")");
        }
        if (s.policy() == null || s.policy().layers() == null || s.policy().weights() == null) {
            throw new IOException(f + ": 'policy' needs 'type', 'layers' and 'weights'");
        }
        AffineLogStd ls = s.policy().logStd();
        if (ls != null && !(SQUASHED_GAUSSIAN.equals(s.policy().type()) && Double.isFinite(ls.multiplier())
                && Double.isFinite(ls.offset()) && Double.isFinite(ls.min()) && Double.isFinite(ls.max())
                && ls.min() < ls.max())) {
            throw new IOException(f + ": 'policy.logStd' needs a " + SQUASHED_GAUSSIAN
                    + " policy and finite multiplier, offset, min < max");
        }
        if (s.observationSpace() == null || s.actionSpace() == null) {
            throw new IOException(f + ": 'observationSpace' and 'actionSpace' are required");
        }
        return s;
    }

    /** Loads a bundle as a {@link Policy}. */
    public static BundlePolicy load(Path dir) throws IOException {
        Spec s = readSpec(dir);
        Path w = dir.resolve(s.policy().weights());
        if (!Files.isRegularFile(w)) {
            throw new IOException(dir + ": weight file '" + s.policy().weights() + "' named in bundle.json is missing");
        }
        FastMlp net;
        try {
            net = new FastMlp(s.policy().layers(), ParamIO.readFloat(w));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException(w + ": weights do not match the layers in bundle.json (" + e.getMessage() + ")");
        }
        return new BundlePolicy(s, net);
    }
}
