package org.armature.offline.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.data.TrainingData;
import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.offline.collect.Collector;
import org.armature.offline.data.D4rlHdf5;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reward transform each algorithm trains with by default, as CORL's configs set it, and its overrides. */
class RewardTransformTest {

    @TempDir
    Path dir;

    private JsonNode runConfig(String algo, Path data, String env, Double scale, Double bias) throws Exception {
        Path run = dir.resolve(algo + "-" + env + "-" + scale + "-" + bias);
        OfflineTraining.run(OfflineConfig.of(algo, data, env, run).withSteps(1).withBatchSize(8)
                .withEvaluation(0, 1).withRewards(scale, bias).withLogEvery(1).withOverrides(Map.of("hidden", "8"))
                .withCheckpointEvery(0), null);
        return OfflineTraining.JSON.readTree(run.resolve("config.json").toFile());
    }

    @Test
    void cqlOnHopperUsesCorlsNormalisationThenFiveTimesMinusOne() throws Exception {
        OfflineDataset d;
        try (Env env = Envs.make("Hopper-v1")) {
            d = Collector.collect("Hopper-v1", Collector.randomPolicy(env.spec(), 1), "random", 4, 11, 0, null);
        }
        Path data = D4rlHdf5.write(d, dir.resolve("hopper.h5"));
        double range = TrainingData.returnRangeScale(d); // 1000 / (max return - min return)

        JsonNode cql = runConfig("cql", data, "Hopper-v1", null, null);
        assertEquals(5 * range, cql.get("reward_scale").asDouble(), 1e-9 * range);
        assertEquals(-1.0, cql.get("reward_bias").asDouble(), 0.0);
        JsonNode iql = runConfig("iql", data, "Hopper-v1", null, null);
        assertEquals(range, iql.get("reward_scale").asDouble(), 1e-9 * range);
        assertEquals(0.0, iql.get("reward_bias").asDouble(), 0.0);
        JsonNode td3bc = runConfig("td3bc", data, "Hopper-v1", null, null);
        assertEquals(1.0, td3bc.get("reward_scale").asDouble(), 0.0);
        assertEquals(0.0, td3bc.get("reward_bias").asDouble(), 0.0);
        // an explicit scale replaces the default transform (bias 0 unless given too)
        JsonNode manual = runConfig("cql", data, "Hopper-v1", 2.0, null);
        assertEquals(2.0, manual.get("reward_scale").asDouble(), 0.0);
        assertEquals(0.0, manual.get("reward_bias").asDouble(), 0.0);
        JsonNode both = runConfig("cql", data, "Hopper-v1", 2.0, 0.5);
        assertEquals(0.5, both.get("reward_bias").asDouble(), 0.0);
    }

    @Test
    void cqlOnOtherTasksKeepsRawRewards() throws Exception {
        OfflineDataset d;
        try (Env env = Envs.make("Pendulum-v1")) {
            d = Collector.collect("Pendulum-v1", Collector.randomPolicy(env.spec(), 1), "random", 2, 11, 0, null);
        }
        JsonNode cql = runConfig("cql", D4rlHdf5.write(d, dir.resolve("p.h5")), "Pendulum-v1", null, null);
        assertEquals(1.0, cql.get("reward_scale").asDouble(), 0.0);
        assertEquals(0.0, cql.get("reward_bias").asDouble(), 0.0);
    }
}
