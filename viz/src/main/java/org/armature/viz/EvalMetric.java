package org.armature.viz;

/**
 * What a learning curve plots: an evaluation statistic, with the columns it is read from in an online run's
 * {@code metrics.csv} and an offline run's {@code eval.csv} (the spread column is null where none is logged).
 */
public enum EvalMetric {
    RETURN("return", "eval_return_mean", "eval_return_std", "return_mean", "return_std"),
    SUCCESS("success rate", "eval_success_rate", null, "success_rate", null),
    /** Push-T's score (Diffusion Policy's): the mean over episodes of each episode's best coverage of the goal. */
    COVERAGE("coverage", "eval_max_coverage_mean", null, "max_coverage_mean", null);

    private final String quantity;
    private final String onlineColumn;
    private final String onlineSpreadColumn;
    private final String offlineColumn;
    private final String offlineSpreadColumn;

    EvalMetric(String quantity, String onlineColumn, String onlineSpreadColumn, String offlineColumn,
               String offlineSpreadColumn) {
        this.quantity = quantity;
        this.onlineColumn = onlineColumn;
        this.onlineSpreadColumn = onlineSpreadColumn;
        this.offlineColumn = offlineColumn;
        this.offlineSpreadColumn = offlineSpreadColumn;
    }

    /** What is evaluated: "return", "success rate" or "coverage". */
    public String quantity() {
        return quantity;
    }

    /** Axis label, e.g. "evaluation success rate". */
    public String label() {
        return "evaluation " + quantity;
    }

    /** A fraction in [0, 1] (plotted on the whole unit range). */
    public boolean isRate() {
        return this != RETURN;
    }

    /** The column in {@code metrics.csv}. */
    public String onlineColumn() {
        return onlineColumn;
    }

    /** The spread across evaluation episodes in {@code metrics.csv}, or null. */
    public String onlineSpreadColumn() {
        return onlineSpreadColumn;
    }

    /** The column in an offline run's {@code eval.csv}. */
    public String offlineColumn() {
        return offlineColumn;
    }

    /** The spread across evaluation episodes in {@code eval.csv}, or null. */
    public String offlineSpreadColumn() {
        return offlineSpreadColumn;
    }
}
