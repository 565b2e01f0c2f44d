package org.armature.cli;

import picocli.CommandLine;

/** A command that only groups subcommands ({@code armature}, {@code bench}, {@code dataset}, ...): alone, it prints
 * its usage. */
abstract class CommandGroup implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
