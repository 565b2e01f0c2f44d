package org.armature.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.armature.envs.Env;
import org.armature.envs.EnvChecker;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code armature envs}: lists the registered environments; {@code armature envs check}: runs the env checker. */
@Command(name = "envs", mixinStandardHelpOptions = true,
        description = "List the registered environments with their spaces, control dt and episode limit.",
        subcommands = {EnvsCommand.Check.class})
public final class EnvsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.print(table());
        return 0;
    }

    static String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-22s %5s %5s %10s %7s  %s%n", "id", "obs", "act", "dt [s]", "limit", "description"));
        for (Envs.Entry e : Envs.entries()) {
            try (Env env = e.factory().get()) {
                EnvSpec s = env.spec();
                sb.append(String.format("%-22s %5d %5d %10.5f %7d  %s%n", s.id(), s.observationDim(), s.actionDim(),
                        s.controlDtSeconds(), s.maxEpisodeSteps(), e.description()));
            }
        }
        return sb.toString();
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check environments against the Env contract: spaces, shapes, finite values, determinism, "
                    + "reset after terminal, action clipping, bad actions.")
    static final class Check implements Callable<Integer> {

        @Parameters(arity = "0..1", paramLabel = "ID", description = "environment id (see `armature envs`)")
        String id;

        @Option(names = "--all", description = "check every registered environment")
        boolean all;

        @Option(names = "--steps", defaultValue = "300", description = "random steps per rollout check (default: ${DEFAULT-VALUE})")
        int steps;

        @Override
        public Integer call() {
            if ((id == null) == !all) {
                throw new Errors.UserException("give either an environment ID or --all");
            }
            if (steps < 1) {
                throw new Errors.UserException("--steps must be positive, got " + steps);
            }
            List<String> ids = all ? Envs.ids() : List.of(id);
            ids.forEach(Errors::requireEnv);
            EnvChecker checker = new EnvChecker(steps);
            int failed = 0;
            for (String envId : ids) {
                EnvChecker.Report r = checker.check(envId);
                System.out.printf("%s: %s%n", envId, r.passed() ? "PASS" : "FAIL");
                for (EnvChecker.Check c : r.checks()) {
                    System.out.printf("  [%s] %-22s %s%n", c.passed() ? " ok " : "FAIL", c.name(), c.detail());
                }
                if (!r.passed()) {
                    failed++;
                }
            }
            if (failed > 0) {
                System.err.println("error: " + failed + " of " + ids.size() + " environment(s) failed the checker");
                return 1;
            }
            return 0;
        }
    }
}
