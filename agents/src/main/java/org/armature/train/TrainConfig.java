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
        double logIntervalSeconds,   // log line period when stdout is not a terminal
        boolean saveEvalBundles,     // keep a policy bundle per evaluation in bundles/step-<N>/ (behaviour policies)
        boolean saveReplay,          // write the final replay buffer to replay.bin (for `armature collect --replay`)
        Sac.Config sac,
        Td3.Config td3) {

    public static TrainConfig defaults(String algo, String envId, long steps, long seed) {
        boolean td3 = "td3".equals(algo);
        return new TrainConfig(algo, envId, steps, seed, 1, 1_000_000, 256, td3 ? 25_000 : 5_000, 1, 1, 5_000, 10,
                50_000, 10.0, false, false, Sac.Config.cleanRl(), Td3.Config.cleanRl());
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
        return this;
    }

    private static void require(boolean ok, String msg) {
        if (!ok) {
            throw new IllegalArgumentException(msg);
        }
    }
}
