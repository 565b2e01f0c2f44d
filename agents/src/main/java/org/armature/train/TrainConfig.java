package org.armature.train;

import org.armature.agents.Sac;
import org.armature.agents.Td3;
import org.armature.agents.dsrl.Dsrl;
import org.armature.agents.residual.ResidualTd3;
import org.armature.agents.sequence.Srl;

/**
 * Everything a training run needs, resolved and written to {@code config.json} (snake_case keys). Defaults follow
 * CleanRL's sac_continuous_action.py / td3_continuous_action.py unless noted.
 */
public record TrainConfig(
        String algo,                 // sac | td3
        String envId,
        long totalSteps,             // environment steps
        long seed,
        int numEnvs,                 // parallel environments (VectorEnv); 1 = single env, exact resume
        int bufferSize,              // CleanRL --buffer-size 1e6
        int batchSize,               // CleanRL --batch-size 256
        int learningStarts,          // CleanRL: SAC 5e3, TD3 25e3 (uniform random actions before)
        int updatesPerStep,          // update-to-data ratio; CleanRL 1
        int nStep,                   // n-step returns; 1 = one-step TD (CleanRL)
        int evalInterval,            // env steps between evaluations (0 = only at the end)
        int evalEpisodes,            // deterministic episodes per evaluation; CleanRL's eval uses 10
        int checkpointInterval,      // env steps between checkpoints (taken at the next episode end; 0 = none)
        double checkpointIntervalSeconds, // wall seconds between checkpoints, also at an episode end (0 = none)
        double logIntervalSeconds,   // log line period when stdout is not a terminal
        boolean saveEvalBundles,     // keep a policy bundle per evaluation in bundles/step-<N>/ (behaviour policies)
        boolean saveReplay,          // write the final replay buffer to replay.bin (for `armature collect --replay`)
        Sac.Config sac,
        Td3.Config td3,
        String base,                 // residual: the frozen base policy, a bundle directory or "expert" (scripted)
        String demos,                // residual: demonstration dataset (.h5), kept in a buffer that is never evicted
        double demoFraction,         // share of each batch drawn from the demonstrations (RLPD/ResFiT: 0.5)
        ResidualTd3.Config residual,
        Dsrl.Config dsrl,
        Srl.Config sequence,         // srl, sac-repeat, sac-chunk: decision interval J (and SRL's model)
        Rollouts rollouts) {         // remote rollout workers (0 = the env steps here)

    /** A config of an older version without the {@code rollouts} section runs its envs here. */
    public TrainConfig {
        rollouts = rollouts != null ? rollouts : Rollouts.defaults();
    }

    /**
     * Remote rollout workers ({@code armature train --rollout-workers N --join HOST:PORT}; Ape-X, Sample Factory):
     * {@code workers} envs stepped on cluster members with the policy the learner publishes every
     * {@code weights_every} updates, sent back in batches of {@code batch_steps} consecutive steps. 0 workers: the
     * loop steps its own env (today's training).
     *
     * @param workers      rollout workers (0 = none)
     * @param batchSteps   env steps per batch a worker sends (larger: less overhead per step, more policy lag)
     * @param weightsEvery learner updates between two publications of the policy weights
     */
    public record Rollouts(int workers, int batchSteps, int weightsEvery) {
        public static Rollouts defaults() {
            return new Rollouts(0, 250, 100);
        }
    }

    public static TrainConfig defaults(String algo, String envId, long steps, long seed) {
        // ResFiT: learning_starts 10k, n-step 3, UTD 4, eval every 10k; scaled down here (UTD 1, 5k warm-up). DSRL:
        // ~20 gradient steps per update, 8 here; its steps, learning_starts and intervals count primitive env steps,
        // updates_per_step counts per decision
        boolean onBase = RESIDUAL.equals(algo) || DSRL.equals(algo);
        return new TrainConfig(algo, envId, steps, seed, 1, 1_000_000, 256, "td3".equals(algo) ? 25_000 : 5_000,
                DSRL.equals(algo) ? 8 : 1, RESIDUAL.equals(algo) ? 3 : 1, onBase ? 10_000 : 5_000, onBase ? 20 : 10,
                50_000, 600.0, 10.0, false, false, DSRL.equals(algo) ? Dsrl.sacDefaults() : Sac.Config.cleanRl(),
                Td3.Config.cleanRl(), null, null, 0.5, ResidualTd3.Config.defaults(), Dsrl.Config.defaults(),
                Srl.Config.defaults(), Rollouts.defaults());
    }

    /** DSRL: SAC over the initial noise of a frozen diffusion policy. */
    public static final String DSRL = "dsrl";

    /** True for the algorithms that run on a frozen base policy ({@code base}). */
    public boolean onBase() {
        return RESIDUAL.equals(algo) || DSRL.equals(algo);
    }

    /** Residual off-policy RL on a frozen base (ResFiT). */
    public static final String RESIDUAL = "residual";

    /** Sequence RL (SRL): J actions per decision, learned at the control rate with a model. */
    public static final String SRL = "srl";
    /** SAC on the task with each action held for J control steps (action repeat). */
    public static final String SAC_REPEAT = "sac-repeat";
    /** SAC emitting an open-loop chunk of J actions per decision ({@code DecisionInterval}). */
    public static final String SAC_CHUNK = "sac-chunk";

    /** True for the algorithms that decide once every {@code sequence.decision_interval} control steps. */
    public boolean decidesInSequences() {
        return SRL.equals(algo) || SAC_REPEAT.equals(algo) || SAC_CHUNK.equals(algo);
    }

    /** This config for {@code steps} env steps without evaluations or checkpoints (a scratch re-run). */
    public TrainConfig scratchRerun(long steps) {
        return new TrainConfig(algo, envId, steps, seed, numEnvs, bufferSize, batchSize, learningStarts,
                updatesPerStep, nStep, 0, 1, 0, 0.0, logIntervalSeconds, false, false, sac, td3, base, demos,
                demoFraction, residual, dsrl, sequence, rollouts);
    }

    /** The discount of the configured algorithm. */
    public double gamma() {
        return switch (algo) {
            case "sac", "dsrl", SRL, SAC_REPEAT, SAC_CHUNK -> sac.gamma();
            case "td3" -> td3.gamma();
            default -> residual.gamma();
        };
    }

    public TrainConfig validate() {
        if (!"sac".equals(algo) && !"td3".equals(algo) && !RESIDUAL.equals(algo) && !DSRL.equals(algo)
                && !decidesInSequences()) {
            throw new IllegalArgumentException("unknown algo '" + algo + "', expected sac, td3, residual, dsrl, srl, "
                    + "sac-repeat or sac-chunk");
        }
        if (decidesInSequences()) {
            require(sequence != null, "sequence config missing");
            String p = sequence.problem();
            require(p == null, p);
            require(numEnvs == 1, algo + " runs one env (num_envs=1)");
        }
        if (DSRL.equals(algo)) {
            require(base != null && !base.isBlank(), "DSRL needs a diffusion base policy (--base BUNDLE_DIR)");
            require(dsrl != null, "dsrl config missing");
            String p = dsrl.problem();
            require(p == null, p);
            require(numEnvs == 1, "DSRL runs one env (num_envs=1); its base policy keeps per-episode state");
            require(demos == null, "DSRL learns online only; drop demos");
        }
        if (RESIDUAL.equals(algo)) {
            require(base != null && !base.isBlank(), "residual RL needs a base policy (--base BUNDLE_DIR or expert)");
            require(residual != null, "residual config missing");
            String p = residual.problem();
            require(p == null, p);
            require(numEnvs == 1, "residual RL runs one env (num_envs=1); its base policy keeps per-episode state");
            require(demoFraction >= 0 && demoFraction < 1, "demo_fraction must be in [0, 1), got " + demoFraction);
        } else if (!DSRL.equals(algo)) {
            require(base == null && demos == null, "base and demos belong to residual RL and DSRL, not " + algo);
        }
        require(totalSteps > 0, "steps must be positive, got " + totalSteps);
        require(numEnvs >= 1, "num_envs must be >= 1, got " + numEnvs);
        require(bufferSize >= 1, "buffer_size must be >= 1, got " + bufferSize);
        require(batchSize >= 1, "batch_size must be >= 1, got " + batchSize);
        require(learningStarts >= 0, "learning_starts must be >= 0, got " + learningStarts);
        require(updatesPerStep >= 1, "updates_per_step must be >= 1, got " + updatesPerStep);
        require(nStep >= 1, "n_step must be >= 1, got " + nStep);
        require(evalInterval >= 0, "eval_interval must be >= 0, got " + evalInterval);
        require(evalEpisodes >= 1, "eval_episodes must be >= 1, got " + evalEpisodes);
        require(checkpointInterval >= 0, "checkpoint_interval must be >= 0, got " + checkpointInterval);
        require(rollouts.workers() >= 0, "rollouts.workers must be >= 0, got " + rollouts.workers());
        require(rollouts.batchSteps() >= 1, "rollouts.batch_steps must be >= 1, got " + rollouts.batchSteps());
        require(rollouts.weightsEvery() >= 1, "rollouts.weights_every must be >= 1, got " + rollouts.weightsEvery());
        if (rollouts.workers() > 0) {
            require("sac".equals(algo) || "td3".equals(algo), "rollout workers run sac and td3; " + algo + " acts "
                    + "through " + (onBase() ? "a frozen base policy" : "a decision-interval wrapper") + " that "
                    + "workers do not carry: train it without --rollout-workers");
            require(numEnvs == 1, "rollout workers and num_envs > 1 are two ways to step envs in parallel; give one "
                    + "(num_envs is " + numEnvs + ")");
        }
        require(checkpointIntervalSeconds >= 0, "checkpoint_interval_seconds must be >= 0, got "
                + checkpointIntervalSeconds);
        // the algorithm's values that cannot work are refused here, before any network is allocated
        if ("sac".equals(algo) || DSRL.equals(algo) || decidesInSequences()) {
            require(sac != null, "sac config missing");
            discountAndRate("sac", sac.gamma(), sac.tau());
            positive("sac.policy_lr", sac.policyLr());
            positive("sac.q_lr", sac.qLr());
            widths("sac.actor_hidden", sac.actorHidden());
            widths("sac.critic_hidden", sac.criticHidden());
            require(sac.criticDropout() >= 0 && sac.criticDropout() < 1, "sac.critic_dropout must be in [0, 1), got "
                    + sac.criticDropout());
            require(sac.policyFrequency() >= 1, "sac.policy_frequency must be >= 1, got " + sac.policyFrequency());
        } else if ("td3".equals(algo)) {
            require(td3 != null, "td3 config missing");
            discountAndRate("td3", td3.gamma(), td3.tau());
            positive("td3.learning_rate", td3.learningRate());
            widths("td3.actor_hidden", td3.actorHidden());
            widths("td3.critic_hidden", td3.criticHidden());
            require(td3.policyFrequency() >= 1, "td3.policy_frequency must be >= 1, got " + td3.policyFrequency());
            require(td3.policyNoise() >= 0 && td3.noiseClip() >= 0 && td3.explorationNoise() >= 0,
                    "td3.policy_noise, td3.noise_clip and td3.exploration_noise must be >= 0");
        }
        return this;
    }

    /** Largest hidden width accepted: a 2x65536 MLP already holds 4.3e9 weights, more than a float array can. */
    static final int MAX_WIDTH = 65_536;
    /** Largest product of two consecutive widths (one layer's weights): 2^28 floats = 1 GiB. */
    static final long MAX_LAYER_WEIGHTS = 1L << 28;

    private static void discountAndRate(String prefix, double gamma, double tau) {
        require(gamma >= 0 && gamma <= 1, prefix + ".gamma (the discount) must be in [0, 1], got " + gamma);
        require(tau > 0 && tau <= 1, prefix + ".tau (the target update rate) must be in (0, 1], got " + tau);
    }

    private static void positive(String key, double v) {
        require(v > 0 && Double.isFinite(v), key + " must be a finite number > 0, got " + v);
    }

    private static void widths(String key, int[] hidden) {
        require(hidden != null && hidden.length >= 1, key + " needs at least one hidden layer, e.g. [256,256]");
        for (int i = 0; i < hidden.length; i++) {
            require(hidden[i] >= 1 && hidden[i] <= MAX_WIDTH, key + ": widths must be in [1, " + MAX_WIDTH + "], got "
                    + hidden[i]);
            if (i > 0) {
                require((long) hidden[i - 1] * hidden[i] <= MAX_LAYER_WEIGHTS, key + ": a " + hidden[i - 1] + "x"
                        + hidden[i] + " layer has " + (long) hidden[i - 1] * hidden[i] + " weights, more than "
                        + MAX_LAYER_WEIGHTS + " (1 GiB of floats) fit");
            }
        }
    }

    private static void require(boolean ok, String msg) {
        if (!ok) {
            throw new IllegalArgumentException(msg);
        }
    }
}
