package org.armature.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code armature} command. Each subcommand lives in its own class. */
@Command(name = "armature", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Robot learning on the JVM: simulated tasks, RL agents, datasets, viewer, hardware bridge.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ViewCommand.class,
                ReplayCommand.class,
                RenderCommand.class,
                PlotCommand.class,
                CollectCommand.class,
                DatasetCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                TrainOfflineCommand.class,
                DatasetsCommand.class,
                EnvsCommand.class,
                RolloutCommand.class,
                BenchCommand.class,
                QuickstartCommand.class,
                DeployCommand.class,
                EmulatorCommand.class,
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Errors.Handler());
        cl.setParameterExceptionHandler(new Errors.ParameterHandler());
        return cl.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"armature " + (v == null ? "dev" : v)};
        }
    }
}
