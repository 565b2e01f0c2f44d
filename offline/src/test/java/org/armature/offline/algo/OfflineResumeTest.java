package org.armature.offline.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.armature.agents.PolicyBundles;
import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.offline.collect.Collector;
import org.armature.offline.data.D4rlHdf5;
import org.armature.train.RunDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A run killed after a checkpoint and resumed ends with the same numbers as one that was never interrupted. */
class OfflineResumeTest {

    @TempDir
    static Path dir;
    static Path data;

    /** Thrown from the progress callback: the process "dies" after this step. */
    static final class Killed extends RuntimeException {
    }

    @BeforeAll
    static void dataset() {
        try (Env env = Envs.make("Pendulum-v1")) {
            data = D4rlHdf5.write(Collector.collect("Pendulum-v1", Collector.randomPolicy(env.spec(), 4), "random", 3,
                    7, 0, null), dir.resolve("random.h5"));
        }
    }

    static OfflineConfig config(String algo, String sampler, Path runDir) {
        return config(algo, sampler, runDir, Map.of());
    }

    static OfflineConfig config(String algo, String sampler, Path runDir, Map<String, String> overrides) {
        Map<String, String> all = new java.util.LinkedHashMap<>(Map.of("hidden", "16"));
        all.putAll(overrides);
        return OfflineConfig.of(algo, data, "Pendulum-v1", runDir).withSteps(70).withBatchSize(32)
                .withSampler(sampler, 0.1).withSeed(5).withEvaluation(30, 1).withLogEvery(10).withOverrides(all)
                .withCheckpointEvery(20).withOverwrite(true);
    }

    @ParameterizedTest
    @CsvSource({"bc,uniform,false,", "td3bc,rw,false,", "iql,aw,false,", "cql,uniform,false,", "cql,rw,true,",
            "bc,uniform,false,observation_history=2;chunk_length=4;executed_chunk=2;min_max=true",
            "diffusion,uniform,false,blocks=1;warmup_steps=5;chunk_length=4;executed_chunk=2"})
    void resumedRunMatchesAnUninterruptedOne(String algo, String sampler, boolean corlHead, String window)
            throws Exception {
        // corlHead: CQL with CORL's learnable log-std scalars and orthogonal init (the scalars are checkpointed too);
        // window: chunked learners (window sampler, min-max data, evaluation through the bundle; diffusion's EMA)
        Map<String, String> overrides = new java.util.LinkedHashMap<>(corlHead
                ? Map.of("corl_log_std", "true", "orthogonal_init", "true") : Map.of());
        if (window != null) {
            for (String kv : window.split(";")) {
                overrides.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        String name = algo + (corlHead ? "-corl" : "") + (window != null ? "-window" : "");
        Path whole = dir.resolve(name + "-whole");
        OfflineTraining.Result a = OfflineTraining.run(config(algo, sampler, whole, overrides), null);
        assertFalse(Files.exists(whole.resolve(RunDirectory.CHECKPOINT)), "a finished run keeps no checkpoint");

        Path cut = dir.resolve(name + "-cut");
        assertThrows(Killed.class, () -> OfflineTraining.run(config(algo, sampler, cut, overrides), step -> {
            if (step == 55) {
                throw new Killed(); // after the checkpoint at 40, the evaluation at 30 and metric rows up to 50
            }
        }));
        assertTrue(Files.exists(cut.resolve(RunDirectory.CHECKPOINT)));
        assertFalse(Files.exists(cut.resolve("result.json")));
        List<Long> seen = new ArrayList<>();
        OfflineTraining.Result b = OfflineTraining.resume(cut, seen::add);
        assertEquals(40, seen.get(0));
        assertEquals(70, seen.get(seen.size() - 1));

        assertEquals(a.finalReturn(), b.finalReturn(), 0.0);
        assertEquals(a.evaluations().size(), b.evaluations().size());
        for (int i = 0; i < a.evaluations().size(); i++) {
            assertArrayEquals(a.evaluations().get(i), b.evaluations().get(i), 0.0);
        }
        assertEquals(withoutWallTime(whole.resolve("metrics.csv")), withoutWallTime(cut.resolve("metrics.csv")));
        assertEquals(withoutWallTime(whole.resolve("eval.csv")), withoutWallTime(cut.resolve("eval.csv")));
        String weights = algo.equals("diffusion") ? "bundle/denoiser.params" : "bundle/actor.params";
        assertArrayEquals(Files.readAllBytes(whole.resolve(weights)), Files.readAllBytes(cut.resolve(weights)));
        assertFalse(Files.exists(cut.resolve(RunDirectory.CHECKPOINT)));
        JsonNode logStdWhole = new ObjectMapper().readTree(whole.resolve("bundle/bundle.json").toFile())
                .path("policy").path("logStd");
        JsonNode logStdCut = new ObjectMapper().readTree(cut.resolve("bundle/bundle.json").toFile())
                .path("policy").path("logStd");
        assertEquals(corlHead, !logStdWhole.isMissingNode(), "bundle.json policy.logStd only for CORL's head");
        assertEquals(logStdWhole, logStdCut);
        if (corlHead) {
            assertNotEquals(-1.0, logStdWhole.path("offset").asDouble(), "the log-std offset is trained");
            assertEquals(-20.0, logStdWhole.path("min").asDouble(), 0.0);
            // the bundle loads and samples with the learnt map
            org.armature.agents.Policy p = PolicyBundles.load(whole.resolve("bundle"));
            float[] obs = {1f, 0f, 0f};
            assertArrayEquals(p.act(obs), p.act(obs), 0f);
            assertTrue(Math.abs(p.sample(obs)[0]) <= 2f);
        }

        IllegalArgumentException done = assertThrows(IllegalArgumentException.class,
                () -> OfflineTraining.resume(cut, null));
        assertTrue(done.getMessage().contains("already finished"), done.getMessage());
    }

    @Test
    void resumeNamesWhatIsMissing() throws Exception {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> OfflineTraining.resume(dir.resolve("nope"), null));
        assertTrue(none.getMessage().contains("does not exist"), none.getMessage());

        Path early = dir.resolve("early");
        assertThrows(Killed.class, () -> OfflineTraining.run(config("bc", "uniform", early), step -> {
            if (step == 15) {
                throw new Killed();
            }
        }));
        IllegalArgumentException noCkpt = assertThrows(IllegalArgumentException.class,
                () -> OfflineTraining.resume(early, null));
        assertTrue(noCkpt.getMessage().contains("has no checkpoint"), noCkpt.getMessage());

        Path broken = dir.resolve("broken");
        assertThrows(Killed.class, () -> OfflineTraining.run(config("bc", "uniform", broken), step -> {
            if (step == 25) {
                throw new Killed();
            }
        }));
        Path ckpt = broken.resolve(RunDirectory.CHECKPOINT);
        byte[] bytes = Files.readAllBytes(ckpt);
        Files.write(ckpt, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class,
                () -> OfflineTraining.resume(broken, null));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }

    @Test
    void aFreshRunInAReusedDirectoryCanBeResumed() {
        Path reused = dir.resolve("reused");
        OfflineTraining.run(config("bc", "uniform", reused), null);
        assertThrows(Killed.class, () -> OfflineTraining.run(config("bc", "uniform", reused), step -> {
            if (step == 45) {
                throw new Killed();
            }
        }));
        assertFalse(Files.exists(reused.resolve("result.json")), "the previous run's result is gone");
        assertEquals(70, OfflineTraining.resume(reused, null).steps());
    }

    private static List<String> withoutWallTime(Path csv) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",", -1);
            f[1] = "";
            out.add(String.join(",", f));
        }
        return out;
    }
}
