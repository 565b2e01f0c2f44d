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
                BcCommand.class,
                ResidualCommand.class,
                DsrlCommand.class,
                FasCommand.class,
                DatasetsCommand.class,
                EnvsCommand.class,
                RolloutCommand.class,
                BenchCommand.class,
                QuickstartCommand.class,
                DeployCommand.class,
                EmulatorCommand.class,
                ClusterCommand.class,
                SweepCommand.class,
        })
public final class Main extends CommandGroup {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        // the options bc inherits from offline that mean nothing for behaviour cloning (the algorithm, IQL's options,
        // reward transforms, state normalisation, the RW/AW temperature); their fields keep the offline defaults
        removeOptions(cl, "bc", "--algo", "--huber", "--q-ensemble", "--quantile", "--alpha", "--reward-scale",
                "--reward-bias", "--no-normalize-states");
        removeOptions(cl, "residual", "--algo", "--num-envs"); // train's options that mean nothing there
        removeOptions(cl, "dsrl", "--algo", "--num-envs");
        removeOptions(cl, "fas", "--num-envs"); // sequence runs step one env
        cl.setExecutionExceptionHandler(new Errors.Handler());
        cl.setParameterExceptionHandler(new Errors.ParameterHandler());
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(Terminal.stdout() ? CommandLine.Help.Ansi.ON
                : CommandLine.Help.Ansi.OFF));
        summariseCommandLists(cl);
        return cl.execute(args);
    }

    /** Removes options a subcommand inherits from its parent class from its command line and help. */
    private static void removeOptions(CommandLine cl, String command, String... names) {
        CommandLine.Model.CommandSpec spec = cl.getSubcommands().get(command).getCommandSpec();
        for (String name : names) {
            spec.remove(spec.findOption(name));
        }
    }

    /**
     * Command lists ({@code armature --help}, {@code armature dataset --help}, ...) show each command's first
     * sentence, not the first line of its description, which may stop mid-sentence.
     */
    static void summariseCommandLists(CommandLine cl) {
        if (!cl.getSubcommands().isEmpty()) {
            cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                    Main::commandList);
        }
        for (CommandLine sub : new java.util.LinkedHashSet<>(cl.getSubcommands().values())) {
            summariseCommandLists(sub);
        }
    }

    private static String commandList(CommandLine.Help help) {
        java.util.Map<String, CommandLine.Help> subs = help.subcommands();
        int names = subs.keySet().stream().mapToInt(String::length).max().orElse(0) + 4;
        int width = help.commandSpec().usageMessage().width();
        CommandLine.Help.TextTable table = CommandLine.Help.TextTable.forColumns(help.colorScheme(),
                new CommandLine.Help.Column(names, 2, CommandLine.Help.Column.Overflow.SPAN),
                new CommandLine.Help.Column(Math.max(20, width - names), 0, CommandLine.Help.Column.Overflow.WRAP));
        for (java.util.Map.Entry<String, CommandLine.Help> e : subs.entrySet()) {
            table.addRowValues(help.colorScheme().commandText(e.getKey()),
                    help.colorScheme().text(summary(e.getValue().commandSpec())));
        }
        return table.toString();
    }

    /** The header, else the first sentence of the description ("e.g." and "i.e." do not end one). */
    static String summary(CommandLine.Model.CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String[] lines = header.length > 0 ? header : spec.usageMessage().description();
        String text = String.join(" ", lines).replace("%n", " ").replace("%%", "%").replaceAll("\\s+", " ").strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.(\\s|$)").matcher(text);
        while (m.find()) {
            String before = text.substring(0, m.start());
            if (!before.endsWith("e.g") && !before.endsWith("i.e") && !before.endsWith("etc")) {
                return text.substring(0, m.start() + 1);
            }
        }
        return text;
    }

    /**
     * {@code armature --version}: the Maven project version (filtered into version.properties at build time) and,
     * when the jar or classes sit in a git checkout, its commit ("-dirty" with uncommitted changes to tracked files).
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String commit = gitCommit();
            return new String[]{"armature " + projectVersion() + (commit != null ? " (git " + commit + ")" : ""),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }

        static String projectVersion() {
            try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    java.util.Properties p = new java.util.Properties();
                    p.load(in);
                    String v = p.getProperty("version");
                    if (v != null && !v.isBlank() && !v.contains("${")) {
                        return v.strip();
                    }
                }
            } catch (java.io.IOException ignored) {
                // fall through to the manifest
            }
            String v = Main.class.getPackage().getImplementationVersion();
            return v != null ? v : "unknown";
        }

        /** The commit of the git checkout holding this jar (or classes folder), or null when there is none. */
        static String gitCommit() {
            try {
                java.nio.file.Path where = java.nio.file.Path.of(Main.class.getProtectionDomain().getCodeSource()
                        .getLocation().toURI());
                java.nio.file.Path dir = java.nio.file.Files.isDirectory(where) ? where : where.getParent();
                String head = git(dir, "rev-parse", "--short=12", "HEAD");
                if (head == null || !head.matches("[0-9a-f]{7,40}")) {
                    return null;
                }
                String status = git(dir, "status", "--porcelain", "--untracked-files=no");
                return head + (status != null && !status.isEmpty() ? "-dirty" : "");
            } catch (Exception e) {
                return null;
            }
        }

        private static String git(java.nio.file.Path dir, String... args) throws Exception {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("git", "-C", dir.toString()));
            cmd.addAll(java.util.List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return new String(out, java.nio.charset.StandardCharsets.UTF_8).strip();
        }
    }
}
