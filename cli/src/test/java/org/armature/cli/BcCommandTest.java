package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.armature.agents.Policy;
import org.armature.agents.diffusion.DiffusionPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `armature bc`: both policies end to end (run directory, bundle, eval, rollout), and wrong input. */
class BcCommandTest {

    @TempDir
    static Path dir;

    static Path demos;

    /** Tiny sizes so a run takes seconds; the learning itself is checked in BENCHMARKS.md. */
    static final String[] SMALL = {"--steps", "30", "--eval-every", "15", "--eval-episodes", "1", "--log-every", "10",
            "--set", "hidden=16", "--set", "blocks=1"};

    @BeforeAll
    static void collectDemonstrations() {
        demos = dir.resolve("pusht-demos.h5");
        CoreCommandsTest.Result c = CoreCommandsTest.run("collect", "--env", "PushT-v1", "--policy", "expert",
                "--expert-noise", "default", "--episodes", "2", "--seed", "100000", "--out", demos.toString());
        assertEquals(0, c.code(), c.err());
    }

    private static CoreCommandsTest.Result bc(String policy, Path run, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("bc", "--policy", policy, "--dataset", demos.toString(),
                "--env", "PushT-v1", "--run-dir", run.toString()));
        args.addAll(List.of(SMALL));
        args.addAll(List.of(extra));
        return CoreCommandsTest.run(args.toArray(String[]::new));
    }

    @Test
    void diffusionPolicyTrainsEvaluatesAndShipsAChunkedBundle() throws Exception {
        Path run = dir.resolve("diffusion");
        CoreCommandsTest.Result r = bc("diffusion", run);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("success") && r.out().contains("mean best coverage"), r.out());
        List<String> eval = Files.readAllLines(run.resolve("eval.csv"));
        assertEquals("step,wall_s,return_mean,return_std,normalized_score,success_rate,max_coverage_mean", eval.get(0));
        assertEquals(3, eval.size(), eval.toString());
        JsonNode bundle = new ObjectMapper().readTree(run.resolve("bundle/bundle.json").toFile());
        assertEquals("diffusion", bundle.path("policy").path("type").asText());
        assertEquals(2, bundle.path("observationHistory").asInt());
        assertEquals(16, bundle.path("chunkLength").asInt());
        assertEquals(8, bundle.path("executedChunk").asInt());
        assertEquals(1, bundle.path("chunkStart").asInt());
        assertEquals("min_max", bundle.path("actionNormalization").path("kind").asText());
        assertEquals("ddim", bundle.path("noiseSchedule").path("sampler").asText());
        assertTrue(Policy.load(run.resolve("bundle")) instanceof DiffusionPolicy);
        assertTrue(Files.isDirectory(run.resolve("bundle-best")));
        JsonNode config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
        assertEquals(16, config.path("hyperparameters").path("hidden").asInt(), "--set reaches the denoiser");
        // the bundle runs without training code: eval and rollout
        CoreCommandsTest.Result e = CoreCommandsTest.run("eval", "--bundle", run.resolve("bundle").toString(), "--env",
                "PushT-v1", "--episodes", "1");
        assertEquals(0, e.code(), e.err());
        CoreCommandsTest.Result ro = CoreCommandsTest.run("rollout", "--env", "PushT-v1", "--policy",
                run.resolve("bundle").toString(), "--episodes", "1");
        assertEquals(0, ro.code(), ro.err());
    }

    @Test
    void mlpBaselineIsChunkedBcWithTheSameWindow() throws Exception {
        Path run = dir.resolve("mlp");
        CoreCommandsTest.Result r = bc("mlp", run, "--set", "chunk_length=8", "--set", "executed_chunk=4");
        // blocks is not a BC key: the error lists BC's keys
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no hyperparameter 'blocks'") && r.err().contains("chunk_length"), r.err());
        List<String> args = new java.util.ArrayList<>(List.of("bc", "--policy", "mlp", "--dataset", demos.toString(),
                "--env", "PushT-v1", "--run-dir", run.toString(), "--steps", "30", "--eval-every", "0",
                "--eval-episodes", "1", "--hidden", "16", "--set", "chunk_length=8", "--set", "executed_chunk=4"));
        r = CoreCommandsTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        JsonNode bundle = new ObjectMapper().readTree(run.resolve("bundle/bundle.json").toFile());
        assertEquals("deterministic_tanh_mlp", bundle.path("policy").path("type").asText());
        assertEquals(8, bundle.path("chunkLength").asInt());
        assertEquals(4, bundle.path("executedChunk").asInt());
        assertEquals(2, bundle.path("observationHistory").asInt());
        assertEquals(46, bundle.path("policy").path("layers").get(0).path("in").asInt(), "two 23-dim frames in");
        assertEquals(16, bundle.path("policy").path("layers").get(4).path("out").asInt(), "eight 2-dim actions out");
        Policy p = Policy.load(run.resolve("bundle"));
        assertEquals(4, p.executedChunk());
    }

    @Test
    void wrongInputGetsOneClearLine() throws Exception {
        // Tp < Ta
        CoreCommandsTest.Result r = bc("diffusion", dir.resolve("w1"), "--set", "chunk_length=4",
                "--set", "executed_chunk=8");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("chunk_length") && r.err().contains("executed_chunk"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(!Files.exists(dir.resolve("w1").resolve("result.json")));
        // an env whose spaces do not match the dataset
        r = CoreCommandsTest.run("bc", "--policy", "diffusion", "--dataset", demos.toString(), "--env", "Pendulum-v1",
                "--steps", "5", "--run-dir", dir.resolve("w2").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("observation/action dims 23/2") && r.err().contains("Pendulum-v1"), r.err());
        // a file without the needed keys
        Path bad = dir.resolve("bad.h5");
        Files.writeString(bad, "not an HDF5 file");
        r = CoreCommandsTest.run("bc", "--policy", "mlp", "--dataset", bad.toString(), "--env", "PushT-v1",
                "--steps", "5", "--run-dir", dir.resolve("w3").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        // unknown policy, --algo on bc, a weighted sampler with windows
        r = CoreCommandsTest.run("bc", "--policy", "transformer", "--dataset", demos.toString(), "--env", "PushT-v1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--policy must be diffusion or mlp"), r.err());
        r = CoreCommandsTest.run("bc", "--algo", "iql", "--dataset", demos.toString(), "--env", "PushT-v1");
        assertEquals(2, r.code(), "a usage error, as every unknown option");
        assertTrue(r.err().contains("Unknown options: '--algo'"), r.err());
        CoreCommandsTest.Result help = CoreCommandsTest.run("bc", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--policy") && !help.out().contains("--q-ensemble")
                && !help.out().contains("--reward-scale"), "bc's help lists its own options only: " + help.out());
        r = bc("diffusion", dir.resolve("w4"), "--sampler", "rw");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("samples windows uniformly"), r.err());
        r = bc("diffusion", dir.resolve("w5"), "--set", "denoiser=unet", "--set", "down_dims=8,16,32",
                "--set", "chunk_length=6", "--set", "executed_chunk=4");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("divisible"), r.err());
    }
}
