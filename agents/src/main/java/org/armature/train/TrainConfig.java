package org.armature.train;

import org.armature.agents.Sac;
import org.armature.agents.Td3;

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
        Td3.Config td3) {

    public static TrainConfig defaults(String algo, String envId, long steps, long seed) {
        boolean td3 = "td3".equals(algo);
        return new TrainConfig(algo, envId, steps, seed, 1, 1_000_000, 256, td3 ? 25_000 : 5_000, 1, 1, 5_000, 10,
                50_000, 600.0, 10.0, false, false, Sac.Config.cleanRl(), Td3.Config.cleanRl());
    }

    public TrainConfig validate() {
        if (!"sac".equals(algo) && !"td3".equals(algo)) {
            throw new IllegalArgumentException("unknown algo '" + algo + "', expected sac or td3");
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
        require(checkpointIntervalSeconds >= 0, "checkpoint_interval_seconds must be >= 0, got "
                + checkpointIntervalSeconds);
        // the algorithm's values that cannot work are refused here, before any network is allocated
        if ("sac".equals(algo)) {
            require(sac != null, "sac config missing");
            discountAndRate("sac", sac.gamma(), sac.tau());
            positive("sac.policy_lr", sac.policyLr());
            positive("sac.q_lr", sac.qLr());
            widths("sac.actor_hidden", sac.actorHidden());
            widths("sac.critic_hidden", sac.criticHidden());
            require(sac.criticDropout() >= 0 && sac.criticDropout() < 1, "sac.critic_dropout must be in [0, 1), got "
                    + sac.criticDropout());
            require(sac.policyFrequency() >= 1, "sac.policy_frequency must be >= 1, got " + sac.policyFrequency());
        } else {
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
