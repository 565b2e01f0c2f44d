package org.armature.cli;

import java.util.List;

import org.armature.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armature dsrl}: DSRL, SAC over the initial noise of a frozen diffusion policy's sampler. The training loop,
 * run directory, config keys and resume of {@code armature train} with {@code algo=dsrl}.
 */
@Command(name = "dsrl", mixinStandardHelpOptions = true,
        description = {"DSRL: SAC chooses the initial noise of a frozen diffusion policy's DDIM",
                "sampler, one chunk at a time.",
                "  armature dsrl --base runs/bc-peg/bundle --env PegInsertSparse-v1 \\",
                "      --steps 80000 --seed 0",
                "--steps, learning_starts and eval_interval count primitive env steps;",
                "updates_per_step counts gradient steps per decision (chunk). Keys:",
                "dsrl.noise_magnitude (1.5), sac.* (critic_layer_norm, actor_hidden, ...).",
                "The final bundle holds base and noise actor and runs as one policy."})
public final class DsrlCommand extends TrainCommand {

    @Option(names = "--base", paramLabel = "BUNDLE", description = "the frozen diffusion policy bundle")
    String base;

    @Override
    public Integer call() throws Exception {
        requireBase(base, TrainConfig.DSRL, base != null, "--base");
        return super.call();
    }

    @Override
    List<String> commandSets() {
        return base == null ? List.of() : List.of(baseSetting(base)); // expert:... is refused by the trainer, by name
    }
}
