package org.armature.train;

/** Receives training progress: a progress bar in a terminal, periodic log lines otherwise, nothing in tests. */
public interface Progress extends AutoCloseable {

    /** Training of {@code total} env steps starts (or resumes at {@code initial}). */
    void start(String task, long total, long initial);

    /** {@code envSteps} done; {@code latestEval} is NaN until the first evaluation. */
    void update(long envSteps, double stepsPerSecond, double latestEval);

    /** A message line (evaluation results, checkpoints). */
    void message(String line);

    @Override
    void close();

    /** No output. */
    Progress SILENT = new Progress() {
        @Override
        public void start(String task, long total, long initial) {
        }

        @Override
        public void update(long envSteps, double stepsPerSecond, double latestEval) {
        }

        @Override
        public void message(String line) {
        }

        @Override
        public void close() {
        }
    };
}
