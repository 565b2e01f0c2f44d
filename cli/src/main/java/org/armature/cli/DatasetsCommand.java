package org.armature.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.armature.offline.DatasetSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature datasets build --suite NAME}: builds a standard dataset suite. */
@Command(name = "datasets", mixinStandardHelpOptions = true, description = "Standard offline-RL dataset suites.",
        subcommands = {DatasetsCommand.Build.class})
public final class DatasetsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build a dataset suite (random, medium, expert, medium-expert, mixed 1/5/10% expert).",
                    "Suites: pendulum, locomotion, manipulation (see offline/README.md). Exits 1 when a dataset "
                            + "had to be skipped (missing behaviour policy or env), after building the rest."})
    static final class Build implements Callable<Integer> {
        @Option(names = "--suite", required = true, description = "pendulum, locomotion or manipulation")
        String suite;

        @Option(names = "--out", defaultValue = "datasets", description = "output folder (default: ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--seed", defaultValue = "0")
        long seed;

        @Override
        public Integer call() {
            DatasetSuite.Report r = DatasetSuite.build(suite, out, seed, path -> {
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

}
