package org.armature.offline.collect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.armature.agents.PolicyBundles;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.nn.ParamIO;
import org.armature.offline.data.ReplayExport;
import org.armature.train.Configs;
import org.armature.train.TrainConfig;
import org.armature.train.Trainer;

/**
 * The SAC behaviour policies of the locomotion dataset suite, one folder per env:
 * <pre>
 *   &lt;env&gt;/behaviour.json   training config, chosen steps, their evaluation returns, the command that retrains it
 *   &lt;env&gt;/medium/          policy bundle of the evaluation closest to a third of the expert's return (D4RL)
 *   &lt;env&gt;/expert/          policy bundle of the best evaluation
 * </pre>
 * They come from one SAC run with {@code save_eval_bundles} (a bundle per evaluation). The run is deterministic, so
 * re-running its config for {@code medium_step} env steps rebuilds the replay buffer the medium policy was trained
 * on: D4RL's medium-replay ({@link #mediumReplay}).
 */
public final class BehaviourPolicies {

    public static final String FILE = "behaviour.json";
    /** Class-path root of the shipped folders. */
    public static final String RESOURCE_ROOT = "/suite-policies/";
    private static final String[] FILES = {FILE, "medium/bundle.json", "medium/actor.params", "expert/bundle.json",
            "expert/actor.params"};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@code behaviour.json} records. */
    public record Selection(String envId, long mediumStep, double mediumReturn, long expertStep, double expertReturn) {
    }

    private BehaviourPolicies() {
    }

    /**
     * Picks expert = the evaluation with the highest mean return, medium = the earlier evaluation whose mean return
     * is closest to a third of the expert's (D4RL: "a policy trained to approximately 1/3 the performance of the
     * expert"), from a run's {@code metrics.csv}; both must have a bundle in {@code bundles/step-N/}.
     */
    public static Selection select(Path runDir) throws IOException {
        if (!Files.isRegularFile(runDir.resolve(Trainer.CONFIG)) || !Files.isRegularFile(runDir.resolve(Trainer.METRICS))) {
            throw new IOException(runDir + " is not a training run directory (" + Trainer.CONFIG + " or "
                    + Trainer.METRICS + " is missing)");
        }
        TrainConfig cfg = Configs.JSON.readValue(runDir.resolve(Trainer.CONFIG).toFile(), TrainConfig.class);
        List<long[]> steps = new ArrayList<>();
        List<Double> returns = new ArrayList<>();
        List<String> lines = Files.readAllLines(runDir.resolve(Trainer.METRICS), StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",", -1);
        int cs = indexOf(header, "env_steps");
        int ce = indexOf(header, "eval_return_mean");
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            if (f.length > ce && !f[ce].isEmpty()) {
                long step = Long.parseLong(f[cs]);
                if (Files.isDirectory(bundleDir(runDir, step))) {
                    steps.add(new long[]{step});
                    returns.add(Double.parseDouble(f[ce]));
                }
            }
        }
        if (steps.isEmpty()) {
            throw new IOException(runDir + " has no evaluated bundles (train with --set save_eval_bundles=true)");
        }
        int best = 0;
        for (int i = 1; i < returns.size(); i++) {
            if (returns.get(i) > returns.get(best)) {
                best = i;
            }
        }
        double target = returns.get(best) / 3.0;
        int medium = 0;
        for (int i = 1; i < best; i++) {
            if (Math.abs(returns.get(i) - target) < Math.abs(returns.get(medium) - target)) {
                medium = i;
            }
        }
        return new Selection(cfg.envId(), steps.get(medium)[0], returns.get(medium), steps.get(best)[0],
                returns.get(best));
    }

    /** Copies the chosen bundles of {@code runDir} and writes {@code behaviour.json} into {@code outDir/<env>/}. */
    public static Path export(Path runDir, Selection s, Path outDir, String command) throws IOException {
        Path dir = outDir.resolve(s.envId());
        Path tmp = outDir.resolve("." + s.envId() + ".tmp");
        ParamIO.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        PolicyBundles.copyBundle(bundleDir(runDir, s.mediumStep()), tmp.resolve("medium"));
        PolicyBundles.copyBundle(bundleDir(runDir, s.expertStep()), tmp.resolve("expert"));
        ObjectNode root = JSON.createObjectNode();
        root.put("env_id", s.envId());
        root.put("medium_step", s.mediumStep());
        root.put("medium_eval_return", s.mediumReturn());
        root.put("expert_step", s.expertStep());
        root.put("expert_eval_return", s.expertReturn());
        root.put("selection", "expert: best evaluation of the run; medium: the earlier evaluation closest to a third of"
                + " the expert's return (evaluation = mean of the run's deterministic evaluation episodes)");
        root.put("retrain_command", command);
        root.set("train_config", JSON.readTree(runDir.resolve(Trainer.CONFIG).toFile()));
        Files.writeString(tmp.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        ParamIO.deleteRecursively(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }

    /** Folder with the behaviour policies of {@code envId}: {@code localRoot/<env>} if present, else the shipped copy. */
    public static Path locate(Path localRoot, String envId) {
        Path local = localRoot.resolve(envId);
        if (Files.isRegularFile(local.resolve(FILE))) {
            return local;
        }
        if (BehaviourPolicies.class.getResource(RESOURCE_ROOT + envId + "/" + FILE) == null) {
            return null;
        }
        try {
            Path dir = Files.createTempDirectory("armature-behaviour-");
            dir.toFile().deleteOnExit();
            for (String f : FILES) {
                try (InputStream in = BehaviourPolicies.class.getResourceAsStream(RESOURCE_ROOT + envId + "/" + f)) {
                    if (in == null) {
                        throw new IOException("shipped behaviour policies of " + envId + " lack " + f);
                    }
                    Path p = dir.resolve(f);
                    Files.createDirectories(p.getParent());
                    Files.copy(in, p);
                    p.toFile().deleteOnExit();
                    p.getParent().toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The training config recorded in {@code dir/behaviour.json}. */
    public static TrainConfig trainConfig(Path dir) throws IOException {
        JsonNode root = JSON.readTree(dir.resolve(FILE).toFile());
        return Configs.JSON.treeToValue(root.get("train_config"), TrainConfig.class);
    }

    public static long mediumStep(Path dir) throws IOException {
        return JSON.readTree(dir.resolve(FILE).toFile()).get("medium_step").asLong();
    }

    /**
     * D4RL's medium-replay: re-runs the behaviour run's training (same config and seed, no evaluations) for
     * {@code medium_step} env steps in a scratch run directory and exports its replay buffer. Identical to the
     * original run's first {@code medium_step} transitions where the floating-point results are (same machine and
     * BLAS kernels); elsewhere it is an equivalent SAC run.
     */
    public static OfflineDataset mediumReplay(Path dir, org.armature.train.Progress progress) throws IOException {
        TrainConfig c = trainConfig(dir);
        long steps = mediumStep(dir);
        TrainConfig rerun = c.scratchRerun(steps);
        Path scratch = Files.createTempDirectory("armature-medium-replay-");
        try {
            Trainer t = Trainer.create(rerun, scratch, progress);
            t.run();
            return ReplayExport.toDataset(t.replayBuffer(), steps, DatasetMetadata.of(c.envId(),
                    "medium-replay(sac seed " + c.seed() + ", first " + steps + " env steps)", c.seed(), null));
        } finally {
            ParamIO.deleteRecursively(scratch);
        }
    }

    private static Path bundleDir(Path runDir, long step) {
        return runDir.resolve(Trainer.EVAL_BUNDLES).resolve(String.format("step-%09d", step));
    }

    private static int indexOf(String[] header, String name) throws IOException {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        throw new IOException("metrics.csv has no column " + name);
    }
}
