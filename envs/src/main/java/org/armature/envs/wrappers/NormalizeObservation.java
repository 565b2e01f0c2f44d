package org.armature.envs.wrappers;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.armature.envs.Env;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.envs.Wrapper;

/**
 * Normalises observations to zero mean and unit variance with running statistics (parallel Welford update in
 * float64, {@code epsilon = 1e-8} as Gymnasium). The statistics update on every observation until {@link #freeze()};
 * they can be saved to and loaded from JSON so a deployed policy sees the same normalisation.
 */
public final class NormalizeObservation extends Wrapper {

    /** Running mean / variance with sample count. */
    public record Stats(double[] mean, double[] var, double count) {
    }

    public static final double EPSILON = 1e-8;
    private final double[] mean;
    private final double[] var;
    private double count;
    private boolean frozen;

    public NormalizeObservation(Env env) {
        super(env);
        int n = env.spec().observationDim();
        this.mean = new double[n];
        this.var = new double[n];
        java.util.Arrays.fill(var, 1.0);
        this.count = EPSILON; // as Gymnasium's RunningMeanStd
    }

    public void freeze() {
        frozen = true;
    }

    public Stats stats() {
        return new Stats(mean.clone(), var.clone(), count);
    }

    public void setStats(Stats s) {
        if (s.mean().length != mean.length || s.var().length != var.length) {
            throw new IllegalArgumentException("NormalizeObservation: statistics have dimension " + s.mean().length
                    + ", expected " + mean.length);
        }
        System.arraycopy(s.mean(), 0, mean, 0, mean.length);
        System.arraycopy(s.var(), 0, var, 0, var.length);
        count = s.count();
    }

    /** Writes the statistics as JSON (temp file + rename). */
    public void save(Path file) throws IOException {
        org.armature.sim.AtomicFiles.write(file, new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(stats()));
    }

    public void load(Path file) throws IOException {
        setStats(new ObjectMapper().readValue(file.toFile(), Stats.class));
    }

    @Override
    public Reset reset(long seed) {
        Reset r = env.reset(seed);
        return new Reset(process(r.observation()), r.info());
    }

    @Override
    public Reset reset() {
        Reset r = env.reset();
        return new Reset(process(r.observation()), r.info());
    }

    @Override
    public Step step(float[] action) {
        Step s = env.step(action);
        return s.withObservation(process(s.observation()));
    }

    private float[] process(float[] obs) {
        if (!frozen) {
            update(obs);
        }
        return normalize(obs);
    }

    /** Normalises with the current statistics (no update). */
    public float[] normalize(float[] obs) {
        float[] out = new float[obs.length];
        for (int i = 0; i < obs.length; i++) {
            out[i] = (float) ((obs[i] - mean[i]) / Math.sqrt(var[i] + EPSILON));
        }
        return out;
    }

    private void update(float[] x) {
        // Chan et al. parallel update with a batch of one
        double newCount = count + 1;
        for (int i = 0; i < mean.length; i++) {
            double delta = x[i] - mean[i];
            double m = mean[i] + delta / newCount;
            double m2 = var[i] * count + delta * delta * count / newCount;
            mean[i] = m;
            var[i] = m2 / newCount;
        }
        count = newCount;
    }
}
