package org.armature.agents.sequence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.armature.agents.Policy;
import org.armature.agents.PolicyBundles;
import org.armature.agents.Seeds;
import org.armature.train.Evaluation;

/**
 * The Frequency-Averaged Score (FAS; Patel &amp; Siegelmann, ICLR 2025): a policy's return averaged over a range of
 * decision intervals. As the reference evaluation (dee0512/Sequence-Reinforcement-Learning, {@code eval_sac.py} and
 * {@code notebooks/table2.ipynb}): the policy is evaluated at decision intervals 1, 2, 4, 6, …, 30 (10 episodes each);
 * FAS is the area under return versus interval (trapezoid rule) divided by (reference maximum return × 30), with
 * returns shifted by a constant on tasks whose returns are negative, so that the area means something.
 *
 * <p>At interval k every policy plays the first {@code min(k, chunk)} actions of what it emits per decision and holds
 * the last one for the rest ({@link PolicyBundles.Spec#atDecisionInterval}): a one-action policy repeats its action
 * (the reference's rule for SAC), an open-loop chunk or a sequence actor plays its sequence, then holds.
 */
public final class Fas {

    /** The reference's decision intervals: 1, then every even number to 30. */
    public static final int[] INTERVALS = {1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30};
    /** The reference divides the area by the maximum return times this. */
    public static final int AREA_WIDTH = 30;

    /**
     * A task's normalisation: FAS divides by {@code maxReturn × 30} after adding {@code shift} to every return.
     *
     * @param source how the maximum was obtained
     */
    public record Reference(double maxReturn, double shift, String source) {
    }

    /**
     * Armature's references. Pendulum-v1 keeps the reference's values (Armature's pendulum has Gymnasium's dynamics
     * and reward). The locomotion tasks are JBullet models with their own scales, so their maxima are the best SAC
     * evaluation returns measured here (BENCHMARKS.md, "SAC and TD3 learning", 300k steps, rounded).
     */
    private static final Map<String, Reference> REFERENCES = Map.of(
            "Pendulum-v1", new Reference(1350, 1550, "the reference's (table2.ipynb: max 1350, returns + 1550)"),
            "Hopper-v1", new Reference(3000, 0, "best SAC evaluation here, 2,984 at 300k steps"),
            "HalfCheetah-v1", new Reference(5500, 0, "best SAC evaluation here, 5,519 at 300k steps"),
            "Walker2d-v1", new Reference(1800, 0, "best SAC evaluation here, 1,747 at 250k steps"));

    private Fas() {
    }

    /** The reference for {@code envId}, if Armature has one. */
    public static Optional<Reference> reference(String envId) {
        return Optional.ofNullable(REFERENCES.get(envId));
    }

    /** Mean and std of the return at each decision interval. */
    public record Curve(int[] intervals, double[] returns, double[] stds) {
    }

    /**
     * Evaluates the bundle at each interval: {@code episodes} deterministic episodes, episode e reset with
     * {@code Seeds.of(seed, "evaluation") + e} (the same episodes at every interval).
     */
    public static Curve evaluate(Path bundle, String envId, int[] intervals, int episodes, long seed)
            throws IOException {
        double[] mean = new double[intervals.length];
        double[] std = new double[intervals.length];
        for (int i = 0; i < intervals.length; i++) {
            Policy p = PolicyBundles.loadAtDecisionInterval(bundle, intervals[i]);
            Evaluation.Result r = Evaluation.run(p, envId, episodes, Seeds.of(seed, "evaluation"));
            mean[i] = r.mean();
            std[i] = r.std();
        }
        return new Curve(intervals.clone(), mean, std);
    }

    /** trapz(returns + shift, intervals) / (maxReturn × 30). */
    public static double score(Curve c, Reference ref) {
        int[] x = c.intervals();
        if (x.length < 2) {
            throw new IllegalArgumentException("FAS needs at least two decision intervals, got " + x.length);
        }
        double area = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] <= x[i - 1]) {
                throw new IllegalArgumentException("decision intervals must increase, got " + x[i - 1] + " then " + x[i]);
            }
            area += 0.5 * (x[i] - x[i - 1]) * (c.returns()[i] + c.returns()[i - 1] + 2 * ref.shift());
        }
        return area / (ref.maxReturn() * AREA_WIDTH);
    }
}
