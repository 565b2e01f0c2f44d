package org.armature.agents;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.armature.agents.diffusion.DenoiserSpec;
import org.armature.agents.diffusion.DiffusionPolicy;
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
    /** Written by this version; version 1 (no history, chunking, composition or min–max normaliser) still loads. */
    public static final int FORMAT_VERSION = 2;
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

    /**
     * How observations are normalised before the network. {@code kind} {@value #MEAN_STD} (or absent, format 1):
     * {@code clip((obs − mean) / std, −clip, clip)}; {@value #MIN_MAX}: {@code 2 (obs − low) / (high − low) − 1}, the
     * [−1, 1] map of Diffusion Policy's normaliser (0 where {@code high = low}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Normalization(String kind, float[] mean, float[] std, Double clip, float[] low, float[] high) {
        public Normalization(float[] mean, float[] std, double clip) {
            this(null, mean, std, clip, null, null);
        }

        public static Normalization minMax(float[] low, float[] high) {
            return new Normalization(MIN_MAX, null, null, null, low, high);
        }

        public boolean isMinMax() {
            return MIN_MAX.equals(kind);
        }
    }

    public static final String MEAN_STD = "mean_std";
    public static final String MIN_MAX = "min_max";

    /**
     * The noise schedule of a diffusion policy: DDPM training steps and beta schedule, the sampler used at inference
     * ({@code ddim} or {@code ddpm}), its number of steps and their spacing ({@code trailing}, {@code leading},
     * {@code linspace}; see {@code diffusion.NoiseSchedule}), and {@code temporalEnsemble} (absent: off; m ≥ 0: a
     * decision every step, overlapping chunks averaged with ACT's weights {@code exp(−m i)}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NoiseSchedule(String betaSchedule, int trainSteps, String sampler, int inferenceSteps,
                                String timestepSpacing, Double temporalEnsemble) {
    }

    /**
     * How a composite bundle runs its network on top of the frozen base bundle in {@code base/}: {@value #RESIDUAL}
     * (ResFiT: {@code a = clip(a_base + scale · tanh(f(obs, a_base)), −1, 1)} in normalised action units) or
     * {@value #NOISE_SPACE} (DSRL: the network chooses the initial noise of the base's sampler, scaled by
     * {@code scale}).
     */
    public record Composition(String kind, double scale) {
    }

    public static final String RESIDUAL = "residual";
    public static final String NOISE_SPACE = "noise_space";

    /**
     * The policy network: head type, layer list, weight file (relative to the bundle directory), and for a
     * squashed Gaussian with CORL's log-std map its learnt scalars (absent: CleanRL's bounded map). A
     * {@value #DIFFUSION} policy has a {@code denoiser} architecture instead of layers (its sampler is the bundle's
     * {@code noiseSchedule}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Network(String type, List<LayerSpec> layers, String weights, AffineLogStd logStd,
                          DenoiserSpec denoiser, Double expertNoise) {
        public Network(String type, List<LayerSpec> layers, String weights) {
            this(type, layers, weights, null, null, null);
        }

        public Network(String type, List<LayerSpec> layers, String weights, AffineLogStd logStd) {
            this(type, layers, weights, logStd, null, null);
        }

        public static Network diffusion(DenoiserSpec denoiser, String weights) {
            return new Network(DIFFUSION, null, weights, null, denoiser, null);
        }

        /** The env's registered scripted expert with Gaussian action noise of std {@code noise} (no weights). */
        public static Network expert(double noise) {
            return new Network(EXPERT, null, null, null, null, noise);
        }
    }

    /**
     * A scripted expert as a policy ({@code provenance.envId}'s registered expert, {@code policy.expertNoise}): a base
     * for residual RL that needs no training ({@code armature residual --base expert}).
     */
    public static final String EXPERT = "expert";

    /** Writes the bundle of {@code env}'s scripted expert with action noise {@code noise} (atomically). */
    public static void writeExpert(Path dir, EnvSpec env, double noise) throws IOException {
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("expert noise must be a finite number >= 0, got " + noise);
        }
        org.armature.envs.experts.Experts.make(env.id(), noise, 0); // an env without an expert fails here
        Path tmp = dir.resolveSibling("." + dir.getFileName() + ".tmp");
        ParamIO.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        Spec spec = new Spec(FORMAT, FORMAT_VERSION, Network.expert(noise),
                new Space(env.observationSpace().low(), env.observationSpace().high()),
                new Space(env.actionSpace().low(), env.actionSpace().high()), null, env.controlDtSeconds(), 1,
                new Provenance(EXPERT, env.id(), null, null, null, RunInfo.gitCommit(), RunInfo.armatureVersion(),
                        ZonedDateTime.now(ZoneOffset.UTC).toString()));
        writeSpec(tmp, spec);
        ParamIO.deleteRecursively(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A diffusion policy: a denoiser sampled by the bundle's noise schedule, actions min–max normalised. */
    public static final String DIFFUSION = "diffusion";

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

    /**
     * The contents of bundle.json. Format 2 adds, all optional: {@code observationHistory} (frames stacked as the
     * network input, oldest first; 1), {@code executedChunk} (actions played per decision out of the
     * {@code chunkLength} predicted; all of them), {@code noiseSchedule}, and for composite bundles {@code base} (the
     * frozen base bundle's directory, relative) and {@code composition}, {@code chunkStart} (index of the current
     * step's action in a predicted chunk, {@code observationHistory − 1} for Diffusion Policy's alignment; 0),
     * {@code actionNormalization} (min_max: the network's [−1, 1] actions map to the dataset's action range instead of
     * the action space's box) and {@code decisionInterval} (control steps per decision, at least the executed chunk;
     * beyond it the last executed action is held: action repeat, and sequence policies at a slower rate).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(String format, int formatVersion, Network policy, Space observationSpace, Space actionSpace,
                       Normalization observationNormalization, double controlDtSeconds, int chunkLength,
                       Provenance provenance, Integer observationHistory, Integer executedChunk,
                       NoiseSchedule noiseSchedule, String base, Composition composition, Integer chunkStart,
                       Normalization actionNormalization, Integer decisionInterval) {

        public Spec(String format, int formatVersion, Network policy, Space observationSpace, Space actionSpace,
                    Normalization observationNormalization, double controlDtSeconds, int chunkLength,
                    Provenance provenance, Integer observationHistory, Integer executedChunk,
                    NoiseSchedule noiseSchedule, String base, Composition composition) {
            this(format, formatVersion, policy, observationSpace, actionSpace, observationNormalization,
                    controlDtSeconds, chunkLength, provenance, observationHistory, executedChunk, noiseSchedule, base,
                    composition, null, null, null);
        }

        /** A format-1 style spec (no history, chunk executed whole, no composition). */
        public Spec(String format, int formatVersion, Network policy, Space observationSpace, Space actionSpace,
                    Normalization observationNormalization, double controlDtSeconds, int chunkLength,
                    Provenance provenance) {
            this(format, formatVersion, policy, observationSpace, actionSpace, observationNormalization,
                    controlDtSeconds, chunkLength, provenance, null, null, null, null, null);
        }

        /** Observation frames the network sees (1 unless stacked). */
        public int history() {
            return observationHistory == null ? 1 : observationHistory;
        }

        /** Actions predicted per decision. */
        public int predictedChunk() {
            return Math.max(1, chunkLength);
        }

        /** Actions played per decision before the next one (receding horizon). */
        public int executed() {
            return executedChunk == null ? predictedChunk() : executedChunk;
        }

        /** Index of the first played action in a predicted chunk. */
        public int start() {
            return chunkStart == null ? 0 : chunkStart;
        }

        /** Control steps per decision: the executed chunk, or more when the last action is held. */
        public int interval() {
            return decisionInterval == null ? executed() : decisionInterval;
        }

        /**
         * This policy deciding every {@code k} control steps (the Frequency-Averaged Score's sweep): it plays the first
         * {@code min(k, chunk)} actions of its chunk and holds the last one for the rest, the same rule for a one-action
         * policy (action repeat), an open-loop chunk and a sequence actor.
         */
        public Spec atDecisionInterval(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("a decision interval must be >= 1, got " + k);
            }
            return new Spec(format, formatVersion, policy, observationSpace, actionSpace, observationNormalization,
                    controlDtSeconds, chunkLength, provenance, observationHistory,
                    Math.min(k, predictedChunk() - start()), noiseSchedule, base, composition, chunkStart,
                    actionNormalization, k);
        }
    }

    /**
     * The one bundle writer: builds the bundle of {@code learner}'s current policy (its weights and network, the env's
     * spaces and control rate, the observation normalisation the policy expects or null, provenance) in a temporary
     * sibling directory and renames it over {@code dir}, so a reader never sees half a bundle.
     */
    public static void write(Path dir, Learner learner, EnvSpec env, Normalization observationNormalization,
                             Provenance provenance) throws IOException {
        write(dir, learner, env, observationNormalization, provenance, null, null);
    }

    /**
     * As {@link #write(Path, Learner, EnvSpec, Normalization, Provenance)}, for a composite bundle when
     * {@code baseBundle} is given: the frozen base is copied into {@code base/} and run under {@code composition}.
     */
    public static void write(Path dir, Learner learner, EnvSpec env, Normalization observationNormalization,
                             Provenance provenance, Path baseBundle, Composition composition) throws IOException {
        write(dir, learner, env, observationNormalization, null, provenance, baseBundle, composition);
    }

    /**
     * The general form: {@code actionNormalization} (min_max, or null for the action space's box) and the learner's
     * {@link Learner#chunking()} and {@link Learner#noiseSchedule()} are recorded as well.
     */
    public static void write(Path dir, Learner learner, EnvSpec env, Normalization observationNormalization,
                             Normalization actionNormalization, Provenance provenance, Path baseBundle,
                             Composition composition) throws IOException {
        write(dir, learner, env, observationNormalization, actionNormalization, provenance, baseBundle, composition,
                learner.chunking(), null);
    }

    /**
     * As the general form, with the time layout given: a learner that acts through a wrapper of {@code env} (an
     * open-loop chunk of {@code w.chunkLength()} actions, or one action held) and decides every
     * {@code decisionInterval} control steps (null: every executed chunk).
     */
    public static void write(Path dir, Learner learner, EnvSpec env, Normalization observationNormalization,
                             Normalization actionNormalization, Provenance provenance, Path baseBundle,
                             Composition composition, ChunkLayout w, Integer decisionInterval) throws IOException {
        Path tmp = dir.resolveSibling("." + dir.getFileName() + ".tmp");
        ParamIO.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        Network net = learner.exportPolicy(tmp);
        if (baseBundle != null) {
            copyBundle(baseBundle, tmp.resolve("base"));
        }
        boolean single = w.isSingleStep();
        Spec spec = new Spec(FORMAT, FORMAT_VERSION, net,
                new Space(env.observationSpace().low(), env.observationSpace().high()),
                new Space(env.actionSpace().low(), env.actionSpace().high()),
                observationNormalization, env.controlDtSeconds(), w.chunkLength(), provenance,
                single ? null : w.observationHistory(), single ? null : w.executedChunk(), learner.noiseSchedule(),
                baseBundle == null ? null : "base", baseBundle == null ? null : composition,
                single ? null : w.chunkStart(), actionNormalization,
                decisionInterval == null || decisionInterval == w.executedChunk() ? null : decisionInterval);
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
        if (s.formatVersion() < 1 || s.formatVersion() > FORMAT_VERSION) {
            throw new IOException(f + ": formatVersion " + s.formatVersion() + " is not supported (expected 1 to "
                    + FORMAT_VERSION + ")");
        }
        if (s.history() < 1 || s.predictedChunk() < 1 || s.executed() < 1 || s.start() < 0
                || s.start() + s.executed() > s.predictedChunk()) {
            throw new IOException(f + ": needs observationHistory >= 1, chunkStart >= 0 and 1 <= executedChunk <= "
                    + "chunkLength - chunkStart, got " + s.history() + ", " + s.start() + ", " + s.executed() + ", "
                    + s.chunkLength());
        }
        if (s.interval() < s.executed()) {
            throw new IOException(f + ": decisionInterval " + s.interval() + " is shorter than the executed chunk ("
                    + s.executed() + ")");
        }
        Normalization an = s.actionNormalization();
        if (an != null) {
            int ad = s.actionSpace() == null ? -1 : s.actionSpace().low().length;
            if (!an.isMinMax() || an.low() == null || an.high() == null || an.low().length != ad
                    || an.high().length != ad) {
                throw new IOException(f + ": 'actionNormalization' needs kind min_max with low and high, one value per "
                        + "action dimension");
            }
        }
        Normalization n = s.observationNormalization();
        if (n != null) {
            int od = s.observationSpace() == null ? -1 : s.observationSpace().low().length;
            boolean ok = n.isMinMax() ? n.low() != null && n.high() != null && n.low().length == od
                    && n.high().length == od
                    : (n.kind() == null || MEAN_STD.equals(n.kind())) && n.mean() != null && n.std() != null
                    && n.mean().length == od && n.std().length == od && n.clip() != null;
            if (!ok) {
                throw new IOException(f + ": 'observationNormalization' needs kind mean_std (mean, std, clip) or min_max "
                        + "(low, high), one value per observation dimension");
            }
        }
        if ((s.base() == null) != (s.composition() == null)) {
            throw new IOException(f + ": a composite bundle needs both 'base' and 'composition'");
        }
        if (s.composition() != null && !RESIDUAL.equals(s.composition().kind())
                && !NOISE_SPACE.equals(s.composition().kind())) {
            throw new IOException(f + ": composition kind '" + s.composition().kind() + "' is not " + RESIDUAL + " or "
                    + NOISE_SPACE);
        }
        if (s.policy() != null && EXPERT.equals(s.policy().type())) {
            if (s.provenance() == null || s.provenance().envId() == null || s.policy().expertNoise() == null
                    || !(s.policy().expertNoise() >= 0) || s.observationSpace() == null || s.actionSpace() == null) {
                throw new IOException(f + ": an " + EXPERT + " policy needs 'provenance.envId', 'policy.expertNoise' >= 0"
                        + " and both spaces");
            }
            return s;
        }
        boolean diffusion = s.policy() != null && DIFFUSION.equals(s.policy().type());
        if (s.policy() == null || s.policy().weights() == null
                || (diffusion ? s.policy().denoiser() == null || s.noiseSchedule() == null : s.policy().layers() == null)) {
            throw new IOException(f + ": 'policy' needs 'type', 'weights' and 'layers' (a " + DIFFUSION
                    + " policy: 'denoiser', with the bundle's 'noiseSchedule')");
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

    /**
     * Loads a bundle as a {@link Policy}: a network bundle as a {@link BundlePolicy}; a composite bundle as its frozen
     * base (loaded from {@code base/}) with the residual or noise-space network on top.
     */
    public static Policy load(Path dir) throws IOException {
        return load(dir, readSpec(dir));
    }

    /**
     * The bundle's policy deciding every {@code k} control steps instead of its own interval
     * ({@link Spec#atDecisionInterval}).
     */
    public static Policy loadAtDecisionInterval(Path dir, int k) throws IOException {
        Spec s = readSpec(dir);
        if (s.composition() != null || DIFFUSION.equals(s.policy().type()) || EXPERT.equals(s.policy().type())) {
            throw new IOException(dir + ": only network bundles (MLP) can be run at another decision interval; this "
                    + "one is " + (s.composition() != null ? "composite" : s.policy().type()));
        }
        return load(dir, s.atDecisionInterval(k));
    }

    private static Policy load(Path dir, Spec s) throws IOException {
        if (s.composition() == null) {
            return loadNetwork(dir, s);
        }
        Path baseDir = dir.resolve(s.base()).normalize();
        if (baseDir.equals(dir.normalize())) {
            throw new IOException(dir + ": a composite bundle's 'base' must be another directory");
        }
        return onBase(dir, s, load(baseDir));
    }

    /** The head of the composite bundle {@code dir} (spec {@code s}) on top of {@code base}. */
    static Policy onBase(Path dir, Spec s, Policy base) throws IOException {
        if (!(loadNetwork(dir, s) instanceof BundlePolicy head)) {
            throw new IOException(dir + ": the network on top of a composite bundle's base must be an MLP");
        }
        try {
            return RESIDUAL.equals(s.composition().kind()) ? new ResidualPolicy(base, head, s.composition().scale())
                    : new NoiseSpacePolicy(base, head, s.composition().scale());
        } catch (IllegalArgumentException e) {
            throw new IOException(dir + ": " + e.getMessage());
        }
    }

    /** The network of a bundle (its own normalisation, history and chunking), without composition. */
    static Policy loadNetwork(Path dir, Spec s) throws IOException {
        if (EXPERT.equals(s.policy().type())) {
            String id = s.provenance().envId();
            EnvSpec env;
            try (org.armature.envs.Env e = org.armature.envs.Envs.make(id)) {
                env = e.spec();
            } catch (IllegalArgumentException e) {
                throw new IOException(dir + ": " + e.getMessage());
            }
            if (env.observationDim() != s.observationSpace().low().length
                    || env.actionDim() != s.actionSpace().low().length) {
                throw new IOException(dir + ": the expert bundle's spaces do not match " + id);
            }
            return ExpertPolicy.of(env, s.policy().expertNoise(), 0);
        }
        Path w = dir.resolve(s.policy().weights());
        if (!Files.isRegularFile(w)) {
            throw new IOException(dir + ": weight file '" + s.policy().weights() + "' named in bundle.json is missing");
        }
        if (DIFFUSION.equals(s.policy().type())) {
            return DiffusionPolicy.load(s, w);
        }
        FastMlp net;
        try {
            net = new FastMlp(s.policy().layers(), ParamIO.readFloat(w));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException(w + ": weights do not match the layers in bundle.json (" + e.getMessage() + ")");
        }
        try {
            return new BundlePolicy(s, net);
        } catch (IllegalArgumentException e) {
            throw new IOException(dir + ": " + e.getMessage());
        }
    }

    /** Copies a bundle (checked first) into a new directory {@code to}, atomically. */
    public static void copy(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling("." + to.getFileName() + ".tmp");
        ParamIO.deleteRecursively(tmp);
        copyBundle(from, tmp);
        ParamIO.deleteRecursively(to);
        Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Copies a bundle directory (checked first; a composite's frozen base, a behaviour policy) into {@code to}. */
    public static void copyBundle(Path from, Path to) throws IOException {
        readSpec(from); // only bundles are copied
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * The record's components as snake_case name → value, in declaration order (a learner's
     * {@link Learner#hyperparameters()}); {@code renamed} maps a snake_case name to the key it is recorded under
     * instead, {@code ""} leaving the component out.
     */
    public static Map<String, Object> configValues(Record config, Map<String, String> renamed) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            for (RecordComponent c : config.getClass().getRecordComponents()) {
                String key = renamed.getOrDefault(snakeCase(c.getName()), snakeCase(c.getName()));
                if (!key.isEmpty()) {
                    m.put(key, c.getAccessor().invoke(config));
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    /** {@code policyLr} → {@code policy_lr}. */
    public static String snakeCase(String name) {
        return name.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }
}
