package org.armature.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether a standard stream may carry terminal control: progress bars (carriage returns, ANSI cursor codes) and
 * colour. Only when that very stream is a terminal: {@code System.console()} alone says stdin and stdout are, so
 * {@code armature collect ... 2> log} would fill the log with escape codes. {@code NO_COLOR} (any non-empty value,
 * no-color.org), {@code TERM=dumb} and {@code CI} turn it off.
 */
final class Terminal {

    private Terminal() {
    }

    static boolean stdout() {
        return isTerminal(1, System.getenv());
    }

    static boolean stderr() {
        return isTerminal(2, System.getenv());
    }

    /** File descriptor {@code fd} of this process is a terminal and the environment allows terminal control. */
    static boolean isTerminal(int fd, Map<String, String> env) {
        if (!allowed(env)) {
            return false;
        }
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isSymbolicLink(link)) {
            try {
                return isTerminalDevice(Files.readSymbolicLink(link).toString());
            } catch (java.io.IOException | SecurityException e) {
                return false;
            }
        }
        return System.console() != null; // no /proc (not Linux): the JDK's stdin+stdout test is the best there is
    }

    /** The environment does not forbid colour and control codes. */
    static boolean allowed(Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM")) && env.get("CI") == null;
    }

    /** A path /proc/self/fd/N links to that is a terminal: a pseudo-terminal or a console device. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
