package org.armature.cli;

import java.io.PrintWriter;

import picocli.CommandLine;

/**
 * User errors end with one clear line on stderr and a non-zero exit code: exit 2 for bad command lines, 1 for
 * errors the user can fix (unknown id, malformed file, bad value) and for I/O failures (a full disk, an unwritable
 * folder: also when a library wrapped them in its own exception), 3 for internal failures (with the stack trace).
 */
final class Errors {

    private Errors() {
    }

    /** An error caused by the user's input: printed as one line, exit code 1. */
    static final class UserException extends RuntimeException {
        UserException(String message) {
            super(message);
        }
    }

    /** An id the env registry does not know: its message, with the known ids closest first. */
    static void requireEnv(String id) {
        if (!org.armature.envs.Envs.contains(id)) {
            throw new org.armature.envs.Envs.UnknownEnvException(id, org.armature.envs.Envs.closest(id));
        }
    }

    static final class Handler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
            PrintWriter err = cl.getErr();
            if (ex instanceof UserException || ex instanceof IllegalArgumentException
                    || ex instanceof org.armature.cluster.ClusterException
                    || ex instanceof org.armature.viz.GlContext.UnavailableException // no display or EGL: install hint
                    || ex instanceof java.io.UncheckedIOException || ex instanceof java.io.IOException) {
                String msg = ex.getMessage();
                if (ex instanceof java.nio.file.NoSuchFileException) {
                    msg = "no such file: " + msg;
                }
                err.println("error: " + msg);
                err.flush();
                return 1;
            }
            java.io.IOException io = org.armature.sim.AtomicFiles.ioCause(ex);
            if (io != null) { // a library's wrapper around an I/O failure (full disk, unwritable folder): one line
                String reason = org.armature.sim.AtomicFiles.reason(io);
                String msg = ex.getMessage();
                err.println("error: " + (msg == null || msg.contains(reason) ? reason : msg + ": " + reason));
                err.flush();
                return 1;
            }
            err.println("internal error: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return 3;
        }
    }

    static final class ParameterHandler implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            err.println("try: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            err.flush();
            return 2;
        }
    }
}
