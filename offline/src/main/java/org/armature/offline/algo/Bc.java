package org.armature.offline.algo;

import java.util.List;
import java.util.Map;

import org.armature.agents.Batch;
import org.armature.agents.ChunkLayout;
import org.armature.agents.LearnerState;
import org.armature.agents.PolicyBundles;
import org.armature.agents.Seeds;
import org.armature.nn.Adam;
import org.armature.nn.Kernels;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.ParamGroup;
import org.armature.nn.Rng;

/**
 * Behaviour cloning, as CORL {@code any_percent_bc.py}: a deterministic actor {@code π(s) = tanh(f(s))} trained with
 * {@code L = E[(π(s) − a)²]} on dataset pairs.
 *
 * <p>The same learner is the MLP baseline of Diffusion Policy (Chi et al. 2023): with an observation history
 * ({@code To} frames in, from a window sampler) and action chunks ({@code Tp} actions out, {@code Ta} played) it
 * regresses whole chunks, {@code L = E‖π(o_{t−To+1..t}) − a_{t−To+1..t−To+Tp}‖²}; one-step BC is {@code To = Tp = Ta
 * = 1}. {@code armature bc --policy mlp} trains it that way, on min–max normalised data like the diffusion policy.
 */
public final class Bc extends TanhActorLearner {

    /**
     * CORL any_percent_bc.py: Actor 256-256, Adam lr 3e-4, one step. {@code observationHistory}, {@code chunkLength},
     * {@code executedChunk}: the window ({@link ChunkLayout}); {@code minMax}: train on the dataset's min–max
     * normalised observations and actions (Diffusion Policy's normaliser) instead of CORL's maps.
     */
    public record Config(int hidden, int layers, double learningRate, int observationHistory, int chunkLength,
                         int executedChunk, boolean minMax) {
        public Config {
            new ChunkLayout(observationHistory, chunkLength, executedChunk); // validates the window
        }

        public static Config corl() {
            return new Config(256, 2, 3e-4, 1, 1, 1, false);
        }
    }

    private final Config cfg;
    private final int actionDim;
    private final Mlp actor;
    private final ParamGroup actorParams;
    private final Adam actorOpt;
    private Mat dOut;

    public Bc(int observationDim, int actionDim, Config cfg, long seed) {
        super("actor_loss");
        this.cfg = cfg;
        this.actionDim = actionDim * cfg.chunkLength;
        Rng rng = new Rng(Seeds.of(seed, "init"));
        this.actor = Nets.mlp(observationDim * cfg.observationHistory, cfg.hidden, cfg.layers, this.actionDim, rng);
        initPolicy(actor, this.actionDim, false);
        this.actorParams = new ParamGroup(actor.params());
        this.actorOpt = new Adam(actorParams, cfg.learningRate);
    }

    @Override
    public LearnerState state() {
        return counterState().params(actorParams).optimisers(actorOpt);
    }

    @Override
    public String algo() {
        return "bc";
    }

    @Override
    public void update(Batch b) {
        updates++;
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
        metrics.put("actor_loss", loss / (n * actionDim));
        actor.backward(dOut, true, false);
        actorOpt.step();
    }

    @Override
    public double discount() {
        return 0.99;
    }

    @Override
    public ChunkLayout chunking() {
        return new ChunkLayout(cfg.observationHistory, cfg.chunkLength, cfg.executedChunk);
    }

    @Override
    public boolean minMaxNormalised() {
        return cfg.minMax;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> m = PolicyBundles.configValues(cfg, Map.of());
        if (chunking().isSingleStep() && !cfg.minMax) {
            m.keySet().removeAll(List.of("observation_history", "chunk_length", "executed_chunk", "min_max"));
        }
        return m;
    }
}
