package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `armature train` and `armature offline` on the one run-directory writer and key scheme, wrong input included. */
class OneStackCommandsTest {

    private static List<Path> runs(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    @Test
    void offlineRunsOnTwoDatasetsNeverShareADirectoryAndAnOccupiedRunDirIsRefused(@TempDir Path dir)
            throws Exception {
        Path a = dir.resolve("a.h5");
        Path b = dir.resolve("b.h5");
        for (Path d : List.of(a, b)) {
            CoreCommandsTest.Result c = CoreCommandsTest.run("collect", "--env", "Pendulum-v1", "--policy", "random",
                    "--episodes", "2", "--out", d.toString(), "--seed", d.equals(a) ? "1" : "2");
            assertEquals(0, c.code(), c.err());
        }
        Path out = dir.resolve("runs");
        for (Path d : List.of(a, b)) {
            CoreCommandsTest.Result r = CoreCommandsTest.run("offline", "--algo", "bc", "--dataset", d.toString(),
                    "--env", "Pendulum-v1", "--steps", "20", "--eval-every", "0", "--eval-episodes", "1", "--hidden",
                    "8", "--out", out.toString(), "--set", "bc.learning_rate=1e-3");
            assertEquals(0, r.code(), r.err());
        }
        List<Path> made = runs(out);
        assertEquals(2, made.size(), "two runs, two directories: " + made);
        assertTrue(made.get(0).getFileName().toString().contains("-offline-bc-a-uniform-s0"), made.toString());
        assertTrue(made.get(1).getFileName().toString().contains("-offline-bc-b-uniform-s0"), made.toString());
        // --run-dir onto an existing run: refused, nothing touched
        byte[] before = Files.readAllBytes(made.get(0).resolve("result.json"));
        CoreCommandsTest.Result again = CoreCommandsTest.run("offline", "--algo", "bc", "--dataset", a.toString(),
                "--env", "Pendulum-v1", "--steps", "20", "--hidden", "8", "--run-dir", made.get(0).toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already holds a run") && again.err().contains("--overwrite"), again.err());
        assertEquals(1, again.err().strip().lines().count(), again.err());
        assertEquals(new String(before), Files.readString(made.get(0).resolve("result.json")));
        // a dataset of another task with the same sizes (HalfCheetah and Walker2d: 17 / 6) is used with a warning
        Path cheetah = dir.resolve("cheetah.h5");
        assertEquals(0, CoreCommandsTest.run("collect", "--env", "HalfCheetah-v1", "--policy", "random",
                "--episodes", "1", "--out", cheetah.toString()).code());
        CoreCommandsTest.Result other = CoreCommandsTest.run("offline", "--algo", "bc", "--dataset",
                cheetah.toString(), "--env", "Walker2d-v1", "--steps", "5", "--eval-every", "0", "--eval-episodes",
                "1", "--hidden", "8", "--out", dir.resolve("other").toString());
        assertEquals(0, other.code(), other.err());
        assertTrue(other.err().contains("was collected on HalfCheetah-v1, but is used with Walker2d-v1"), other.err());
        // a key of another algorithm is named
        CoreCommandsTest.Result wrongKey = CoreCommandsTest.run("offline", "--algo", "bc", "--dataset", a.toString(),
                "--env", "Pendulum-v1", "--steps", "20", "--hidden", "8", "--out", out.toString(), "--set",
                "iql.expectile=0.9");
        assertEquals(1, wrongKey.code());
        assertTrue(wrongKey.err().contains("belongs to 'iql'"), wrongKey.err());
    }

    @Test
    void offlineTakesAConfigFileInTheKeySchemeOfTrainAndTheCommandLineWins(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("d.h5");
        assertEquals(0, CoreCommandsTest.run("collect", "--env", "Pendulum-v1", "--policy", "random", "--episodes",
                "2", "--out", data.toString()).code());
        Path cfg = dir.resolve("run.json");
        Files.writeString(cfg, "{\"steps\": 30, \"hidden\": 8, \"eval_every\": 0, \"eval_episodes\": 1, "
                + "\"sampler\": \"rw\", \"iql\": {\"expectile\": 0.8, \"beta\": 2}}");
        Path run = dir.resolve("run");
        CoreCommandsTest.Result r = CoreCommandsTest.run("offline", "--algo", "iql", "--dataset", data.toString(),
                "--env", "Pendulum-v1", "--config", cfg.toString(), "--steps", "20", "--set", "iql.beta=4",
                "--run-dir", run.toString());
        assertEquals(0, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode c = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                run.resolve("config.json").toFile());
        assertEquals(20, c.path("run").path("steps").asLong(), "the command line's --steps wins over the file's");
        assertEquals("rw", c.path("run").path("sampler").asText());
        assertEquals(0.8, c.path("hyperparameters").path("expectile").asDouble(), 0.0);
        assertEquals(4.0, c.path("hyperparameters").path("beta").asDouble(), 0.0, "--set wins over the file");
        assertEquals(8, c.path("hyperparameters").path("hidden").asInt());
        // run settings also go through --set, as with `armature train`
        Path run2 = dir.resolve("run2");
        r = CoreCommandsTest.run("offline", "--algo", "iql", "--dataset", data.toString(), "--env", "Pendulum-v1",
                "--set", "steps=12", "--set", "batch_size=16", "--set", "eval_every=0", "--set", "eval_episodes=1",
                "--set", "iql.hidden=8", "--run-dir", run2.toString());
        assertEquals(0, r.code(), r.err());
        c = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run2.resolve("config.json").toFile());
        assertEquals(12, c.path("run").path("steps").asLong());
        assertEquals(16, c.path("run").path("batch_size").asInt());
        r = CoreCommandsTest.run("offline", "--algo", "iql", "--dataset", data.toString(), "--env", "Pendulum-v1",
                "--set", "steps=12", "--steps", "13", "--out", dir.resolve("y").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("give it once"), r.err());
        Files.writeString(cfg, "{\"stepz\": 30}");
        r = CoreCommandsTest.run("offline", "--algo", "iql", "--dataset", data.toString(), "--env", "Pendulum-v1",
                "--config", cfg.toString(), "--out", dir.resolve("x").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown key 'stepz'"), r.err());
    }

    @Test
    void trainWarnsWhenNoUpdateWillRunAndRefusesContradictionsAndImpossibleValues(@TempDir Path dir) {
        CoreCommandsTest.Result r = CoreCommandsTest.run("train", "--algo", "sac", "--env", "Pendulum-v1",
                "--steps", "200", "--out", dir.toString(), "--set", "eval_episodes=1", "--set",
                "sac.actor_hidden=[8,8]", "--set", "sac.critic_hidden=[8,8]");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: learning_starts (5000) >= steps (200)"), r.err());
        assertTrue(r.out().contains("no gradient update ran"), r.out());
        assertTrue(!r.out().contains("success rate"), "Pendulum has no success notion: " + r.out());
        r = CoreCommandsTest.run("train", "--algo", "sac", "--env", "Pendulum-v1", "--steps", "200", "--out",
                dir.toString(), "--set", "algo=td3");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("the config sets algo=td3 but the command line says sac"), r.err());
        r = CoreCommandsTest.run("train", "--algo", "sac", "--env", "Pendulum-v1", "--steps", "200", "--out",
                dir.toString(), "--set", "sac.gamma=5");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("sac.gamma (the discount) must be in [0, 1]"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        r = CoreCommandsTest.run("train", "--algo", "sac", "--env", "Pendulum-v1", "--steps", "200", "--out",
                dir.toString(), "--set", "sac.actor_hidden=[100000,100000]");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("widths must be in [1, 65536]"), r.err());
        assertNotEquals(0, r.code());
    }
}
