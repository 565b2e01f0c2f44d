package org.armature.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.armature.agents.sequence.Fas;
import org.armature.train.Configs;
import org.armature.train.RunDirectory;
import org.armature.train.TrainConfig;
import org.armature.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code armature fas}: trains a policy that decides every J control steps (SRL, SAC with action repeat, SAC over
 * J-action chunks, or plain SAC) with {@code armature train}'s loop, then evaluates it at every decision interval of the
 * Frequency-Averaged Score and writes {@code fas.json} into the run directory. With run directories as arguments it
 * summarises and plots them instead.
 */
@Command(name = "fas", mixinStandardHelpOptions = true,
        description = {"Sequence RL and the Frequency-Averaged Score: train a policy that decides",
                "every J control steps, then evaluate it at decision intervals 1, 2, 4, ..., 30.",
                "  armature fas --algo srl --env Pendulum-v1 --train-interval 8 --steps 20000",
                "  armature fas --algo sac-repeat --env Hopper-v1 --train-interval 8 --steps 300000",
                "  armature fas --bundle runs/X/bundle --env Pendulum-v1      (evaluate only)",
                "  armature fas --plot fas.png runs/A runs/B runs/C          (summary + figure)",
                "--algo: srl (sequence actor + model, temporal recall), sac-repeat (one action",
                "held J steps), sac-chunk (SAC emitting J actions open loop), sac (SAC-1).",
                "--steps counts control (primitive) steps. Config keys as `armature train`",
                "(sac.*, sequence.model_hidden, sequence.model_warmup_updates, ...)."})
public final class FasCommand extends TrainCommand {

    /** The file a FAS evaluation writes into the run directory. */
    static final String FAS_FILE = "fas.json";

    @Option(names = "--train-interval", paramLabel = "J", description = "control steps per decision while training "
            + "(default: 8; 1 for sac)")
    Integer trainInterval;

    @Option(names = "--eval-intervals", paramLabel = "LIST", split = ",", description = "decision intervals to "
            + "evaluate at (default: 1,2,4,...,30, the reference's)")
    int[] evalIntervals;

    @Option(names = "--episodes", description = "episodes per interval (default: ${DEFAULT-VALUE})", defaultValue = "10")
    int episodes;

    @Option(names = "--bundle", paramLabel = "DIR", description = "evaluate this bundle instead of training (needs --env)")
    Path bundle;

    @Option(names = "--reference-return", paramLabel = "R", description = "the task's maximum return for the "
            + "normalisation (default: Armature's reference for the env, see `agents/README.md`)")
    Double referenceReturn;

    @Option(names = "--return-shift", paramLabel = "S", description = "added to every return before the area (with "
            + "--reference-return; default 0)")
    Double returnShift;

    @Option(names = "--plot", paramLabel = "PNG", description = "with RUN_DIR arguments: return vs decision interval, "
            + "one line per algorithm and train interval (mean over seeds)")
    Path plot;

    @Parameters(paramLabel = "RUN_DIR", arity = "0..*", description = "runs evaluated by `armature fas` to summarise")
    List<Path> runs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!runs.isEmpty() || plot != null) {
            return summarise();
        }
        int[] intervals = evalIntervals != null ? evalIntervals : Fas.INTERVALS;
        for (int k : intervals) {
            if (k < 1) {
                throw new IllegalArgumentException("--eval-intervals must be >= 1, got " + k);
            }
        }
        if (episodes < 1) {
            throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
        }
        if (bundle != null) {
            if (env == null) {
                throw new IllegalArgumentException("--bundle needs --env (the task to evaluate it on)");
            }
            if (algo != null || steps != null || resume != null) {
                throw new IllegalArgumentException("--bundle evaluates an existing policy; drop --algo/--steps/--resume");
            }
            Fas.Reference ref = reference(env);
            report(Fas.evaluate(bundle, env, intervals, episodes, seed), ref, null, null);
            return 0;
        }
        if (resume == null) {
            if (algo == null || env == null || steps == null) {
                throw new IllegalArgumentException("fas needs --algo, --env and --steps (or --bundle DIR, --resume "
                        + "RUN_DIR, or run directories to summarise)");
            }
            if (!algo.equals("sac") && !algo.equals(TrainConfig.SRL) && !algo.equals(TrainConfig.SAC_REPEAT)
                    && !algo.equals(TrainConfig.SAC_CHUNK)) {
                throw new IllegalArgumentException("unknown --algo '" + algo + "', expected srl, sac-repeat, sac-chunk "
                        + "or sac");
            }
            if (algo.equals("sac") && trainInterval != null && trainInterval != 1) {
                throw new IllegalArgumentException("sac decides every control step; --train-interval " + trainInterval
                        + " needs sac-repeat, sac-chunk or srl");
            }
            if (trainInterval != null && trainInterval < 1) {
                throw new IllegalArgumentException("--train-interval must be >= 1, got " + trainInterval);
            }
        }
        Fas.Reference ref = reference(env != null ? env : Trainer.resumeEnvId(resume));
        int code = super.call();
        if (code != 0 || finishedRun == null) {
            return code;
        }
        JsonNode cfg = Configs.JSON.readTree(finishedRun.resolve(RunDirectory.CONFIG).toFile());
        String envId = cfg.get("env_id").asText();
        System.out.println("evaluating at decision intervals " + Arrays.stream(intervals).mapToObj(Integer::toString)
                .collect(Collectors.joining(",")) + " (" + episodes + " episodes each)");
        Fas.Curve c = Fas.evaluate(finishedRun.resolve(Trainer.BUNDLE), envId, intervals, episodes,
                cfg.get("seed").asLong());
        report(c, ref, finishedRun, cfg);
        return 0;
    }

    @Override
    List<String> commandSets() {
        if (algo == null || algo.equals("sac")) {
            return List.of();
        }
        return List.of("sequence.decision_interval=" + (trainInterval != null ? trainInterval : 8));
    }

    private Fas.Reference reference(String envId) {
        if (referenceReturn != null) {
            if (!(referenceReturn > 0) || referenceReturn.isInfinite()) {
                throw new IllegalArgumentException("--reference-return must be a finite number > 0, got "
                        + referenceReturn);
            }
            return new Fas.Reference(referenceReturn, returnShift == null ? 0 : returnShift, "--reference-return");
        }
        if (returnShift != null) {
            throw new IllegalArgumentException("--return-shift goes with --reference-return");
        }
        return Fas.reference(envId).orElseThrow(() -> new IllegalArgumentException("Armature has no reference return "
                + "for " + envId + " (it has Pendulum-v1, Hopper-v1, HalfCheetah-v1, Walker2d-v1); give "
                + "--reference-return R [--return-shift S]"));
    }

    /**
     * Prints the per-interval returns, normalised scores and FAS; writes fas.json into {@code runDir} (whose config.json
     * is {@code cfg}) if given.
     */
    private void report(Fas.Curve c, Fas.Reference ref, Path runDir, JsonNode cfg) throws IOException {
        double score = Fas.score(c, ref);
        System.out.println("interval  return (mean +- std)  normalised");
        for (int i = 0; i < c.intervals().length; i++) {
            System.out.printf(Locale.ROOT, "%8d  %10.2f +- %-8.2f  %10.3f%n", c.intervals()[i], c.returns()[i],
                    c.stds()[i], (c.returns()[i] + ref.shift()) / ref.maxReturn());
        }
        System.out.printf(Locale.ROOT, "FAS %.4f (reference return %.0f, shift %.0f: %s)%n", score, ref.maxReturn(),
                ref.shift(), ref.source());
        if (runDir != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("algo", cfg.get("algo").asText());
            m.put("env_id", cfg.get("env_id").asText());
            m.put("seed", cfg.get("seed").asLong());
            m.put("env_steps", cfg.get("total_steps").asLong());
            m.put("train_interval", "sac".equals(cfg.get("algo").asText()) ? 1
                    : cfg.get("sequence").get("decision_interval").asInt());
            m.put("intervals", c.intervals());
            m.put("returns", c.returns());
            m.put("stds", c.stds());
            m.put("episodes", episodes);
            m.put("reference_return", ref.maxReturn());
            m.put("return_shift", ref.shift());
            m.put("fas", score);
            RunDirectory.open(runDir).writeText(FAS_FILE, Configs.JSON.writeValueAsString(m));
            System.out.println("written: " + runDir.resolve(FAS_FILE));
        }
    }

    /** The FAS table (mean +- std over seeds per algorithm, train interval and env) and the optional figure. */
    private Integer summarise() throws IOException {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("--plot needs run directories evaluated by `armature fas`");
        }
        if (algo != null || env != null || steps != null || bundle != null || resume != null) {
            throw new IllegalArgumentException("run directories are summarised as they are; drop --algo/--env/--steps/"
                    + "--bundle/--resume");
        }
        Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
        for (Path r : runs) {
            Path f = r.resolve(FAS_FILE);
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(r + " has no " + FAS_FILE + " (evaluate it with `armature fas "
                        + "--bundle " + r.resolve(Trainer.BUNDLE) + " --env ENV` or train it with `armature fas`)");
            }
            JsonNode n = Configs.JSON.readTree(f.toFile());
            String key = n.get("env_id").asText() + " " + label(n);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
        }
        List<org.armature.viz.Plots.Curve> curves = new ArrayList<>();
        System.out.println("env  method  seeds  FAS mean +- std  (per seed)");
        String envSeen = null;
        for (Map.Entry<String, List<JsonNode>> e : groups.entrySet()) {
            List<JsonNode> g = e.getValue();
            String envId = g.get(0).get("env_id").asText();
            if (envSeen != null && !envSeen.equals(envId) && plot != null) {
                throw new IllegalArgumentException("--plot draws one task; these runs are on " + envSeen + " and "
                        + envId);
            }
            envSeen = envId;
            double[] fas = g.stream().mapToDouble(n -> n.get("fas").asDouble()).toArray();
            String per = Arrays.stream(fas).mapToObj(v -> String.format(Locale.ROOT, "%.4f", v))
                    .collect(Collectors.joining(", "));
            System.out.printf(Locale.ROOT, "%s  %s  %d  %.4f +- %.4f  (%s)%n", envId, label(g.get(0)), g.size(),
                    RolloutCommand.mean(fas), RolloutCommand.std(fas), per);
            curves.add(curve(label(g.get(0)), g));
        }
        if (plot != null) {
            org.armature.viz.Plots.lines(curves, "decision interval (control steps per decision)", "return",
                    envSeen + ": return vs decision interval", plot);
            System.out.println("plot: " + plot);
        }
        return 0;
    }

    private static String label(JsonNode n) {
        String a = n.get("algo").asText();
        return a.equals("sac") ? "SAC-1" : a.toUpperCase(Locale.ROOT) + "-"
                + n.get("train_interval").asInt();
    }

    /** Mean and std over seeds of the returns at each interval (runs must share the intervals). */
    private static org.armature.viz.Plots.Curve curve(String label, List<JsonNode> g) {
        JsonNode first = g.get(0).get("intervals");
        int n = first.size();
        double[] x = new double[n];
        double[] m = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = first.get(i).asDouble();
            double[] v = new double[g.size()];
            for (int s = 0; s < g.size(); s++) {
                if (!g.get(s).get("intervals").equals(first)) {
                    throw new IllegalArgumentException(label + ": its runs were evaluated at different intervals");
                }
                v[s] = g.get(s).get("returns").get(i).asDouble();
            }
            m[i] = RolloutCommand.mean(v);
            lo[i] = m[i] - RolloutCommand.std(v);
            hi[i] = m[i] + RolloutCommand.std(v);
        }
        return new org.armature.viz.Plots.Curve(label, x, m, lo, hi, g.size(), null);
    }
}
