package org.armature.cli;

import java.util.ArrayList;
import java.util.List;

import org.armature.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armature residual}: residual off-policy RL (ResFiT) on a frozen base policy. The training loop, run
 * directory, config keys and resume of {@code armature train} with {@code algo=residual}.
 */
@Command(name = "residual", mixinStandardHelpOptions = true,
        description = {"Residual RL (ResFiT): TD3 learns a small per-step correction on top of a",
                "frozen base policy.",
                "  armature residual --base runs/bc-peg/bundle --env PegInsertSparse-v1 \\",
                "      --steps 80000 --demos peginsert-v1-demos.h5 --seed 0",
                "  armature residual --base expert:0.3 --env PegInsertSparse-v1 --steps 20000",
                "The base: a bundle directory (diffusion, MLP BC, any policy) or expert[:NOISE],",
                "the env's scripted expert with Gaussian action noise. Demonstrations fill a",
                "buffer that is never evicted; demo_fraction (0.5) of each batch comes from it.",
                "Keys: residual.residual_scale, residual.actor_lr, residual.critic_lr,",
                "residual.critic_heads, residual.action_l2, n_step, updates_per_step, ...",
                "The final bundle holds base and residual and runs as one policy (eval,",
                "render, view, deploy)."})
public final class ResidualCommand extends TrainCommand {

    @Option(names = "--base", paramLabel = "BUNDLE|expert[:NOISE]", description = "the frozen base policy")
    String base;

    @Option(names = "--demos", paramLabel = "DATASET", description = "demonstrations (.h5) for the offline half of "
            + "each batch")
    String demos;

    @Override
    public Integer call() throws Exception {
        requireBase(base, TrainConfig.RESIDUAL, base != null || demos != null, "--base/--demos");
        return super.call();
    }

    @Override
    List<String> commandSets() {
        List<String> s = new ArrayList<>();
        if (base != null) {
            s.add(baseSetting(base));
        }
        if (demos != null) { // made absolute as the base
            s.add("demos=" + java.nio.file.Path.of(demos).toAbsolutePath().normalize());
        }
        return s;
    }
}
