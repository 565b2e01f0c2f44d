package org.armature.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress for the offline commands: a progress bar with rate and ETA on a terminal, a log line every 10% (and at
 * the end) on stderr otherwise.
 */
final class OfflineProgress implements AutoCloseable {

    private final ProgressBar bar;
    private final String task;
    private final long total;
    private final long start = System.nanoTime();
    private long nextLog;

    OfflineProgress(String task, long total, String unit) {
        this.task = task;
        this.total = total;
        boolean terminal = Terminal.stderr(); // the bar goes to stderr: only when stderr itself is a terminal
        this.bar = terminal ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" " + unit, 1).showSpeed().build() : null;
        this.nextLog = Math.max(1, total / 10);
    }

    void stepTo(long done) {
        if (bar != null) {
            bar.stepTo(done);
        } else if (done >= nextLog || done == total) {
            double s = (System.nanoTime() - start) / 1e9;
            System.err.printf("%s: %d/%d (%.0f%%) %.1f s%n", task, done, total, 100.0 * done / total, s);
            nextLog = done + Math.max(1, total / 10);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
