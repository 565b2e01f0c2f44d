package org.armature.offline.algo;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.armature.nn.Adam;
import org.armature.nn.Kernels;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.ParamGroup;
import org.armature.nn.Rng;

/**
 * Behaviour cloning, as CORL {@code any_percent_bc.py}: a deterministic actor {@code π(s) = tanh(f(s))} trained with
 * {@code L = E[(π(s) − a)²]} on dataset pairs.
 */
public final class Bc implements OfflineAlgorithm {

    /** CORL any_percent_bc.py: Actor 256-256, Adam lr 3e-4. */
    public record Config(int hidden, int layers, double learningRate) {
        public static Config corl() {
            return new Config(256, 2, 3e-4);
        }
    }

    private final Config cfg;
    private final int actionDim;
    private final Mlp actor;
    private final ParamGroup actorParams;
    private final Adam actorOpt;
    private Mat dOut;
    private double lastLoss = Double.NaN;

    public Bc(int observationDim, int actionDim, Config cfg, long seed) {
        this.cfg = cfg;
        this.actionDim = actionDim;
        Rng rng = new Rng(seed);
        this.actor = Nets.mlp(observationDim, cfg.hidden, cfg.layers, actionDim, rng);
        this.actorParams = new ParamGroup(actor.params());
        this.actorOpt = new Adam(actorParams, cfg.learningRate);
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        AlgorithmState.write(out, name(), 0, null, new ParamGroup[]{actorParams}, new Adam[]{actorOpt});
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        AlgorithmState.read(in, name(), null, new ParamGroup[]{actorParams}, new Adam[]{actorOpt});
    }

    @Override
    public String name() {
        return "bc";
    }

    @Override
    public void update(OfflineBatch b) {
        int n = b.size;
        if (dOut == null || dOut.rows != n) {
            dOut = Nets.zeros(n, actionDim);
        }
        Mat y = actor.forward(b.observations, true);
        y.toHost();
        b.actions.toHost();
        double loss = 0;
        double k = 2.0 / (n * actionDim);
        for (int i = 0; i < n * actionDim; i++) {
            double t = Kernels.tanh(y.get(i));
            double diff = t - b.actions.get(i);
            loss += diff * diff;
            dOut.set(i, k * diff * (1 - t * t)); // d/dy of mean (tanh(y) - a)^2
        }
        dOut.hostWritten();
        lastLoss = loss / (n * actionDim);
        actor.backward(dOut, true, false);
        actorOpt.step();
    }

    @Override
    public Map<String, Double> lastMetrics() {
        return Map.of("actor_loss", lastLoss);
    }

    @Override
    public Mlp actorNetwork() {
        return actor;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", cfg.hidden);
        m.put("layers", cfg.layers);
        m.put("learning_rate", cfg.learningRate);
        return m;
    }
}
