package org.armature.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.armature.offline.collect.DatasetSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature datasets build --suite NAME}: builds a standard dataset suite. */
@Command(name = "datasets", mixinStandardHelpOptions = true, description = "Standard offline-RL dataset suites.",
        subcommands = {DatasetsCommand.Build.class, DatasetsCommand.Behaviour.class})
public final class DatasetsCommand extends CommandGroup {

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build a dataset suite (random, medium, expert, medium-expert, mixed 1/5/10%% expert).",
                    "Suites: pendulum, locomotion, manipulation (see offline/README.md). Exits 1 when a dataset "
                            + "had to be skipped (missing behaviour policy or env), after building the rest."})
    static final class Build implements Callable<Integer> {
        @Option(names = "--suite", required = true, description = "pendulum, locomotion or manipulation")
        String suite;

        @Option(names = "--out", defaultValue = "datasets", description = "output folder (default: ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--seed", defaultValue = "0")
        long seed;

        @Option(names = "--env", description = "build only this env's datasets of the suite")
        String env;

        @Override
        public Integer call() {
            if (env != null && suite.equals("pendulum") && !env.equals("Pendulum-v1")) {
                throw new IllegalArgumentException("suite 'pendulum' has no env '" + env + "'");
            }
            DatasetSuite.Report r = DatasetSuite.build(suite, suite.equals("pendulum") ? null : env, out, seed, path -> {
                Path p = Path.of(path);
                if (!Files.isDirectory(p)) {
                    throw new IllegalArgumentException("behaviour policy bundle " + p + " is not in this build");
                }
                return PolicyResolver.loadBundle(p);
            }, System.out::println);
            for (String s : r.skipped()) {
                System.err.println("skipped: " + s);
            }
            System.out.printf("%d datasets written to %s, %d skipped%n", r.written().size(), out,
                    r.skipped().size());
            if (!r.skipped().isEmpty()) {
                System.err.println("error: suite '" + suite + "' is incomplete (" + r.skipped().size()
                        + " datasets skipped, see above)");
                return 1;
            }
            return 0;
        }
    }


    @Command(name = "behaviour", mixinStandardHelpOptions = true,
            description = {"Train (or pick from a run) the medium and expert SAC behaviour policies of the locomotion "
                    + "suite and write them to OUT/<env>/ (what ships in offline/src/main/resources/suite-policies).",
                    "  armature datasets behaviour --env Hopper-v1 --steps 300000 --seed 1",
                    "SAC with 64x64 networks, an evaluation (5 episodes) and a bundle every 5000 steps; expert = best "
                            + "evaluation, medium = the earlier evaluation closest to a third of it."})
    static final class Behaviour implements Callable<Integer> {
        @Option(names = "--env", description = "locomotion env id (required unless --from-run)")
        String env;

        @Option(names = "--steps", defaultValue = "300000", description = "SAC env steps (default: ${DEFAULT-VALUE})")
        long steps;

        @Option(names = "--seed", defaultValue = "1")
        long seed;

        @Option(names = "--runs", defaultValue = "runs", description = "where the SAC run goes (default: ${DEFAULT-VALUE})")
        Path runs;

        @Option(names = "--from-run", paramLabel = "RUN_DIR",
                description = "pick from an existing run trained with save_eval_bundles=true instead of training")
        Path fromRun;

        @Option(names = "--out", defaultValue = "suite-policies", description = "output folder (default: ${DEFAULT-VALUE})")
        Path out;

        @Override
        public Integer call() throws Exception {
            Path run = fromRun;
            String command;
            if (run == null) {
                if (env == null) {
                    throw new IllegalArgumentException("--env is required (or --from-run RUN_DIR)");
                }
                org.armature.train.TrainConfig cfg = org.armature.train.Configs.resolve(
                        org.armature.train.TrainConfig.defaults("sac", env, steps, seed), null,
                        java.util.List.of("eval_interval=5000", "eval_episodes=5", "checkpoint_interval=0",
                                "save_eval_bundles=true", "sac.actor_hidden=[64,64]", "sac.critic_hidden=[64,64]"));
                try (org.armature.train.ConsoleProgress progress = new org.armature.train.ConsoleProgress(System.out,
                        Terminal.stdout(), cfg.logIntervalSeconds())) {
                    org.armature.train.Trainer t = org.armature.train.Trainer.create(cfg, runs, progress);
                    run = t.runDir();
                    t.run();
                }
                command = "armature datasets behaviour --env " + env + " --steps " + steps + " --seed " + seed;
            } else {
                command = "armature datasets behaviour --from-run " + run;
            }
            org.armature.offline.collect.BehaviourPolicies.Selection sel = org.armature.offline.collect.BehaviourPolicies.select(run);
            Path dir = org.armature.offline.collect.BehaviourPolicies.export(run, sel, out, command);
            System.out.printf("%s: expert = step %d (eval return %.1f), medium = step %d (eval return %.1f) -> %s%n",
                    sel.envId(), sel.expertStep(), sel.expertReturn(), sel.mediumStep(), sel.mediumReturn(), dir);
            return 0;
        }
    }
}
