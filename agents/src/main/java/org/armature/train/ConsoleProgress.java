package org.armature.train;

import java.io.PrintStream;
import java.time.Duration;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar (me.tongfei:progressbar, with steps/s, the latest evaluation return and ETA) when attached to a
 * terminal; otherwise a log line every {@code logIntervalSeconds}.
 */
public final class ConsoleProgress implements Progress {

    private final PrintStream out;
    private final boolean terminal;
    private final double logIntervalSeconds;
    private ProgressBar bar;
    private String task;
    private long total;
    private long lastLogNanos;
    private long startNanos;
    private long initial;

    public ConsoleProgress(PrintStream out, boolean terminal, double logIntervalSeconds) {
        this.out = out;
        this.terminal = terminal;
        this.logIntervalSeconds = logIntervalSeconds;
    }

    /** Terminal detection: a console is attached. */
    public static ConsoleProgress auto(PrintStream out, double logIntervalSeconds) {
        return new ConsoleProgress(out, System.console() != null, logIntervalSeconds);
    }

    @Override
    public void start(String task, long total, long initial) {
        this.task = task;
        this.total = total;
        this.initial = initial;
        this.startNanos = System.nanoTime();
        this.lastLogNanos = startNanos;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" steps", 1).showSpeed().setUpdateIntervalMillis(500).startsFrom(initial, Duration.ZERO)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out)).build();
        } else {
            out.println(task + ": " + total + " env steps" + (initial > 0 ? " (resuming at " + initial + ")" : ""));
        }
    }

    @Override
    public void update(long envSteps, double stepsPerSecond, double latestEval) {
        if (bar != null) {
            bar.stepTo(envSteps);
            if (!Double.isNaN(latestEval)) {
                bar.setExtraMessage(String.format(" eval %.1f", latestEval));
            }
            return;
        }
        long now = System.nanoTime();
        if ((now - lastLogNanos) / 1e9 >= logIntervalSeconds) {
            lastLogNanos = now;
            double elapsed = (now - startNanos) / 1e9;
            double rate = (envSteps - initial) / Math.max(1e-9, elapsed);
            long etaS = rate > 0 ? Math.round((total - envSteps) / rate) : -1;
            out.printf("%s: step %d/%d (%.0f%%)  %.0f steps/s  eval %s  ETA %s%n", task, envSteps, total,
                    100.0 * envSteps / total, rate, Double.isNaN(latestEval) ? "-" : String.format("%.1f", latestEval),
                    etaS < 0 ? "?" : String.format("%d:%02d:%02d", etaS / 3600, (etaS / 60) % 60, etaS % 60));
            out.flush();
        }
    }

    @Override
    public void message(String line) {
        if (bar != null) {
            // keep the bar's line intact: messages go above it
            out.print("\r\033[K");
        }
        out.println(line);
        out.flush();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
