package org.armature.cli;

import picocli.CommandLine.Command;

/** {@code armature bench ...}: benchmarks. Subcommands live in their own classes. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (results belong in BENCHMARKS.md with the command that produced them).",
        subcommands = {BenchSimCommand.class, BenchRenderCommand.class, BenchSacCommand.class,
                BenchOfflineCommand.class, BenchDiffusionCommand.class, BenchResidualCommand.class,
                BenchClusterCommand.class})
public final class BenchCommand extends CommandGroup {
}
