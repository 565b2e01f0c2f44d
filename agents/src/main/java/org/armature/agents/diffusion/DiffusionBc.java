package org.armature.agents.diffusion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.armature.agents.Batch;
import org.armature.agents.ChunkLayout;
import org.armature.agents.Learner;
import org.armature.agents.LearnerState;
import org.armature.agents.PolicyBundles;
import org.armature.agents.Seeds;
import org.armature.nn.Adam;
import org.armature.nn.Ema;
import org.armature.nn.Mat;
import org.armature.nn.ParamGroup;
import org.armature.nn.ParamIO;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Diffusion Policy behaviour cloning (Chi et al., RSS 2023): a denoiser {@code ε_θ(x_t, t, o)} conditioned on the
 * last {@code To} observations learns to remove the noise from chunks of {@code Tp} demonstrated actions,
 * <pre>
 *   L(θ) = E_{(o, x₀) ~ D, t ~ U{0..T−1}, ε ~ N(0, I)} ‖ε − ε_θ(√ᾱ_t x₀ + √(1 − ᾱ_t) ε, t, o)‖²   (Ho et al. 2020, eq. 14)
 * </pre>
 * on observations and actions mapped to [−1, 1] by the dataset's min and max. AdamW with a cosine learning-rate
 * schedule after a linear warm-up; an exponential moving average of the weights ({@link Ema}) is what acts, in
 * evaluation and in the bundle. Batches come from a window sampler ({@code data.WindowSampler}): observations are
 * {@code To · obsDim} wide, actions {@code Tp · actDim}.
 */
public final class DiffusionBc implements Learner {

    /**
     * Hyperparameters; defaults are the reference's low-dimensional Push-T configuration unless marked.
     *
     * @param denoiser    {@code unet} or {@code mlp}
     * @param downDims    U-Net widths per level, comma-separated (reference [256, 512, 1024]; CPU default below)
     * @param hidden      MLP denoiser width
     * @param blocks      MLP denoiser residual blocks
     * @param timestepSpacing inference timesteps out of the training steps: trailing, leading or linspace
     * @param temporalEnsemble ACT's temporal ensembling at run time (a decision every step, overlapping chunks
     *                         averaged with weights {@code exp(−m i)}); m ≥ 0 turns it on, negative (default) off
     */
    public record Config(String denoiser, String downDims, int hidden, int blocks, int observationHistory,
                         int chunkLength, int executedChunk, int trainSteps, String sampler, int inferenceSteps,
                         String timestepSpacing, double learningRate, double beta1, double beta2, double weightDecay,
                         int warmupSteps, double emaPower, double emaMaxDecay, double temporalEnsemble) {

        public Config {
            if (!denoiser.equals(DenoiserSpec.UNET) && !denoiser.equals(DenoiserSpec.MLP)) {
                throw new IllegalArgumentException("denoiser must be unet or mlp, got '" + denoiser + "'");
            }
            new ChunkLayout(observationHistory, chunkLength, executedChunk); // validates To, Tp, Ta
            if (!sampler.equals("ddim") && !sampler.equals("ddpm")) {
                throw new IllegalArgumentException("sampler must be ddim or ddpm, got '" + sampler + "'");
            }
            if (inferenceSteps < 1 || inferenceSteps > trainSteps) {
                throw new IllegalArgumentException("inference_steps must be in 1..train_steps (" + trainSteps + "), got "
                        + inferenceSteps);
            }
            NoiseSchedule.Spacing.parse(timestepSpacing);
            parseDims(downDims);
            if (!(learningRate > 0) || warmupSteps < 0 || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("learning_rate must be > 0, warmup_steps and weight_decay >= 0");
            }
        }

        /**
         * The defaults: the reference's low-dimensional Push-T configuration except the U-Net's widths and the
         * learning rate, chosen by measured success per training minute on this 2-vCPU machine (BENCHMARKS.md,
         * "Diffusion BC"): the U-Net [32, 64, 128] (2.0M parameters) ended ahead of the MLP denoiser 3×256 in Push-T
         * coverage at equal wall time on 3 of 3 seeds (20-minute runs, two at once), and lr 3e-4 reached in 10
         * minutes what the reference's 1e-4 had not reached in 20. The MLP denoiser ({@code denoiser=mlp}) costs a
         * tenth per step and is the choice for quick runs and tests.
         */
        public static Config defaults() {
            return new Config(DenoiserSpec.UNET, // the reference's 1-D temporal U-Net (measured against the MLP)
                    "32,64,128", // U-Net widths: the reference's [256, 512, 1024] costs about 30x more per step
                    256, 3, // MLP denoiser width and residual blocks (DPPO/DSRL-style)
                    2, 16, 8, // n_obs_steps, horizon, n_action_steps (reference pusht lowdim)
                    100, // num_train_timesteps (reference DDPMScheduler)
                    "ddim", 10, "trailing", // inference: DDIM with 10 steps (the reference's DDIM variant)
                    3e-4, // measured default (the reference: 1e-4 for thousands of epochs)
                    0.95, 0.999, 1e-6, // AdamW betas, weight_decay (reference)
                    500, // lr_warmup_steps of the cosine schedule (reference)
                    0.75, 0.9999, // EMAModel power, max_value (reference)
                    -1); // temporal ensembling off (the reference executes Ta actions open loop)
        }

        public ChunkLayout layout() {
            return new ChunkLayout(observationHistory, chunkLength, executedChunk);
        }

        public int[] dims() {
            return parseDims(downDims);
        }

        private static int[] parseDims(String s) {
            try {
                String[] parts = s.split(",");
                int[] d = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    d[i] = Integer.parseInt(parts[i].trim());
                    if (d[i] < 1) {
                        throw new NumberFormatException();
                    }
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("down_dims must be positive integers separated by commas, e.g. "
                        + "64,128,256; got '" + s + "'");
            }
        }
    }

    private final Config cfg;
    private final ChunkLayout layout;
    private final int observationDim;
    private final int actionDim;
    private final long totalSteps;
    private final Denoiser net;
    private final Denoiser ema;
    private final ParamGroup netParams;
    private final ParamGroup emaParams;
    private final Adam opt;
    private final Ema average;
    private final NoiseSchedule schedule;
    private final Rng rng;
    private final Rng actRng;
    private DiffusionSampler actSampler;
    private Mat noisy;
    private Mat dEps;
    private float[] eps;
    private int[] steps;
    private double lastLoss = Double.NaN;
    private long updates;

    /**
     * @param observationDim one observation frame's size (the condition is {@code To} frames)
     * @param actionDim      one action's size (the chunk is {@code Tp} actions)
     * @param totalSteps     gradient steps of the run (the cosine schedule decays over them)
     */
    public DiffusionBc(int observationDim, int actionDim, Config cfg, long totalSteps, long seed) {
        this.cfg = cfg;
        this.layout = cfg.layout();
        this.observationDim = observationDim;
        this.actionDim = actionDim;
        this.totalSteps = Math.max(1, totalSteps);
        DenoiserSpec spec = denoiserSpec(cfg, observationDim, actionDim);
        this.net = Denoisers.build(spec, DataType.FLOAT, new Rng(Seeds.of(seed, "init")));
        this.ema = Denoisers.build(spec, DataType.FLOAT, new Rng(Seeds.of(seed, "init")));
        this.netParams = new ParamGroup(net.params());
        this.emaParams = new ParamGroup(ema.params());
        // AdamW (Loshchilov & Hutter 2019): decoupled weight decay, no gradient clipping in the reference
        this.opt = new Adam(netParams, cfg.learningRate, cfg.beta1, cfg.beta2, 1e-8, cfg.weightDecay,
                Double.POSITIVE_INFINITY);
        this.average = new Ema(netParams, emaParams, cfg.emaPower, cfg.emaMaxDecay);
        this.schedule = new NoiseSchedule(cfg.trainSteps);
        this.rng = new Rng(Seeds.of(seed, "learner"));
        this.actRng = new Rng(Seeds.of(seed, "act"));
    }

    static DenoiserSpec denoiserSpec(Config cfg, int observationDim, int actionDim) {
        int cond = cfg.observationHistory * observationDim;
        return cfg.denoiser.equals(DenoiserSpec.UNET)
                ? DenoiserSpec.unet(actionDim, cfg.chunkLength, cond, cfg.dims())
                : DenoiserSpec.mlp(actionDim, cfg.chunkLength, cond, cfg.hidden, cfg.blocks);
    }

    @Override
    public String algo() {
        return "diffusion";
    }

    /**
     * The learning rate of update {@code k} (0-based): linear warm-up from 0, then half a cosine to 0 at the last
     * step (diffusers' {@code get_cosine_schedule_with_warmup}, stepped once per batch as the reference does).
     */
    double learningRate(long k) {
        if (k < cfg.warmupSteps) {
            return cfg.learningRate * k / Math.max(1, cfg.warmupSteps);
        }
        double progress = (k - cfg.warmupSteps) / (double) Math.max(1, totalSteps - cfg.warmupSteps);
        return cfg.learningRate * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    @Override
    public void update(Batch b) {
        int n = b.size;
        int chunk = layout.chunkLength() * actionDim;
        if (b.actions.cols != chunk || b.observations.cols != layout.observationHistory() * observationDim) {
            throw new IllegalArgumentException("diffusion BC needs window batches of " + layout.observationHistory()
                    + " x " + observationDim + " observations and " + layout.chunkLength() + " x " + actionDim
                    + " actions, got widths " + b.observations.cols + " and " + b.actions.cols);
        }
        if (noisy == null || noisy.rows != n) {
            noisy = Mat.zeros(DataType.FLOAT, n, chunk);
            dEps = Mat.zeros(DataType.FLOAT, n, chunk);
            eps = new float[n * chunk];
            steps = new int[n];
        }
        // forward process: t ~ U{0..T-1}, eps ~ N(0, I), x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps
        Mat x0 = b.actions.toHost();
        noisy.toHost();
        for (int r = 0; r < n; r++) {
            int t = rng.nextInt(cfg.trainSteps);
            steps[r] = t;
            double a = Math.sqrt(schedule.alphaBar(t));
            double s = Math.sqrt(1 - schedule.alphaBar(t));
            for (int j = r * chunk; j < (r + 1) * chunk; j++) {
                eps[j] = (float) rng.nextGaussian();
                noisy.set(j, a * x0.get(j) + s * eps[j]);
            }
        }
        noisy.hostWritten();
        Mat pred = net.forward(noisy, steps, b.observations, true).toHost();
        // L = mean ||eps_hat - eps||^2 over all chunk values (F.mse_loss), dL/deps_hat = 2 (eps_hat - eps) / N
        double loss = 0;
        double k = 2.0 / (n * chunk);
        dEps.toHost();
        for (int j = 0; j < n * chunk; j++) {
            double diff = pred.get(j) - eps[j];
            loss += diff * diff;
            dEps.set(j, k * diff);
        }
        dEps.hostWritten();
        lastLoss = loss / (n * chunk);
        net.backward(dEps);
        double lr = learningRate(updates);
        if (lr > 0) {
            opt.setLearningRate(lr);
            opt.step();
        } else {
            netParams.zeroGrad(); // the first warm-up step has learning rate 0 (LambdaLR at step 0)
        }
        average.update();
        updates++;
    }

    @Override
    public double discount() {
        return 0.99;
    }

    @Override
    public String[] statNames() {
        return new String[]{"diffusion_loss", "learning_rate"};
    }

    @Override
    public void stats(double[] out) {
        out[0] = lastLoss;
        out[1] = updates == 0 ? Double.NaN : learningRate(updates - 1);
    }

    @Override
    public long updates() {
        return updates;
    }

    /**
     * One chunk from the averaged weights, for a normalised flattened observation history: {@code out} receives
     * {@code Tp · actDim} normalised actions. Its noise comes from the learner's own "act" stream; evaluation and
     * deployment use the bundle's {@link DiffusionPolicy}, which seeds the noise per episode.
     */
    @Override
    public void act(float[] observation, float[] out) {
        if (actSampler == null) {
            actSampler = sampler(ema);
        }
        actSampler.sample(observation, null, actRng, out);
    }

    DiffusionSampler sampler(Denoiser d) {
        return new DiffusionSampler(d, schedule, cfg.sampler, cfg.inferenceSteps,
                NoiseSchedule.Spacing.parse(cfg.timestepSpacing));
    }

    /** The averaged (EMA) denoiser, the one that acts. */
    public Denoiser averagedDenoiser() {
        return ema;
    }

    @Override
    public LearnerState state() {
        return LearnerState.of(algo(), () -> updates, c -> {
            updates = c;
            average.setUpdates(c);
        }).streams(rng, actRng).params(netParams, emaParams).optimisers(opt);
    }

    @Override
    public PolicyBundles.Network exportPolicy(Path bundleDir) throws IOException {
        ParamIO.write(bundleDir.resolve(WEIGHTS), ema.params());
        return PolicyBundles.Network.diffusion(ema.spec(), WEIGHTS);
    }

    static final String WEIGHTS = "denoiser.params";

    @Override
    public ChunkLayout chunking() {
        return layout;
    }

    @Override
    public boolean minMaxNormalised() {
        return true;
    }

    @Override
    public PolicyBundles.NoiseSchedule noiseSchedule() {
        return new PolicyBundles.NoiseSchedule(NoiseSchedule.SQUARED_COSINE, cfg.trainSteps, cfg.sampler,
                cfg.inferenceSteps, NoiseSchedule.Spacing.parse(cfg.timestepSpacing).id(),
                cfg.temporalEnsemble >= 0 ? cfg.temporalEnsemble : null);
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> m = PolicyBundles.configValues(cfg, Map.of());
        m.put("parameters", netParams.size());
        return m;
    }
}
