package org.armature.cli;

import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armature bc}: behaviour cloning from demonstrations with an observation history and action chunks, as a
 * diffusion policy or the MLP baseline. The same loop, options and run directory as {@code armature offline} (it is
 * {@code offline --algo diffusion} or {@code --algo bc} with Diffusion Policy's window and normaliser as defaults).
 */
@Command(name = "bc", mixinStandardHelpOptions = true,
        description = {"Behaviour cloning with action chunks: a diffusion policy or an MLP, trained from demonstrations.",
                "  armature bc --policy diffusion --dataset pusht-demos.h5 --env PushT-v1 --steps 6000 --seed 0",
                "  armature bc --policy mlp --dataset pusht-demos.h5 --env PushT-v1 --steps 20000 --set chunk_length=8",
                "Window keys (both policies): observation_history (To, 2), chunk_length (Tp, 16), executed_chunk (Ta, 8).",
                "Diffusion keys: denoiser (mlp|unet), down_dims, hidden, blocks, inference_steps, sampler (ddim|ddpm), "
                        + "timestep_spacing, learning_rate, warmup_steps, ema_power, ... (an unknown key lists them).",
                "Writes a run directory (config.json, metrics.csv, eval.csv with success rate, result.json, bundle/, "
                        + "bundle-best/) that --resume continues."})
public final class BcCommand extends TrainOfflineCommand {

    @Option(names = "--policy", paramLabel = "diffusion|mlp", description = "diffusion policy or MLP chunk regression")
    String policy;

    /** Diffusion Policy's window and normaliser, the defaults of the MLP baseline here. */
    private static final Map<String, String> MLP_DEFAULTS = Map.of("observation_history", "2", "chunk_length", "16",
            "executed_chunk", "8", "min_max", "true");

    @Override
    public Integer call() throws java.io.IOException {
        if (algo != null) {
            throw new IllegalArgumentException("bc chooses the learner with --policy diffusion|mlp, not --algo");
        }
        if (resume == null) {
            if (policy == null) {
                throw new IllegalArgumentException("bc needs --policy diffusion|mlp, --dataset and --env (or --resume "
                        + "RUN_DIR)");
            }
            switch (policy.toLowerCase(java.util.Locale.ROOT)) {
                case "diffusion" -> algo = "diffusion";
                case "mlp" -> {
                    algo = "bc";
                    for (var d : MLP_DEFAULTS.entrySet()) {
                        if (!overrides.containsKey(d.getKey()) && !overrides.containsKey("bc." + d.getKey())) {
                            overrides.put(d.getKey(), d.getValue());
                        }
                    }
                }
                default -> throw new IllegalArgumentException("--policy must be diffusion or mlp, got '" + policy + "'");
            }
        } else if (policy != null) {
            throw new IllegalArgumentException("--resume takes the run's own config.json; drop --policy");
        }
        return super.call();
    }

    @Override
    String runName(String datasetStem) {
        return "bc-" + policy.toLowerCase(java.util.Locale.ROOT) + "-" + datasetStem + "-s" + seed;
    }
}
