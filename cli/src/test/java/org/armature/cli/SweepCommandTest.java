package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `armature sweep` on the embedded member (no --join): results, summary, a run that keeps failing, wrong input. */
class SweepCommandTest {

    /** A Pendulum SAC run small enough for a test, with a checkpoint at step 200 and evaluations every 200 steps. */
    static final String TINY_TRAIN = "\"command\": \"train\", \"base\": {\"algo\": \"sac\", \"env\": \"Pendulum-v1\", "
            + "\"steps\": 400, \"set\": {\"learning_starts\": 100, \"sac.actor_hidden\": [8, 8], "
            + "\"sac.critic_hidden\": [8, 8], \"eval_interval\": 200, \"eval_episodes\": 1, "
            + "\"checkpoint_interval\": 200}}";

    /** Every training command sweeps, not only train: offline, bc (both policies) and residual, one tiny grid each. */
    @Test
    void offlineBcAndResidualRunsSweepLikeTrainRuns(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("reach.h5");
        CoreCommandsTest.Result c = CoreCommandsTest.run("collect", "--env", "Reach-v1", "--policy", "expert",
                "--episodes", "3", "--seed", "100", "--out", data.toString());
        assertEquals(0, c.code(), c.err());
        String[] specs = {
            "{\"command\": \"offline\", \"base\": {\"algo\": \"iql\", \"dataset\": \"DATA\", \"env\": "
                + "\"Reach-v1\", \"steps\": 60, \"batch-size\": 16, \"hidden\": 16, \"eval-every\": 30, "
                + "\"eval-episodes\": 1}, \"grid\": {\"iql.expectile\": [0.7, 0.9]}, \"seeds\": [1]}",
            "{\"command\": \"bc\", \"base\": {\"policy\": \"mlp\", \"dataset\": \"DATA\", \"env\": "
                + "\"Reach-v1\", \"steps\": 60, \"eval-every\": 30, \"eval-episodes\": 1, \"set\": "
                + "{\"batch_size\": 16}}, \"grid\": {\"learning_rate\": [0.0003, 0.001]}, \"seeds\": [1]}",
            "{\"command\": \"bc\", \"base\": {\"policy\": \"diffusion\", \"dataset\": \"DATA\", \"env\": "
                + "\"Reach-v1\", \"steps\": 40, \"eval-every\": 20, \"eval-episodes\": 1, \"set\": "
                + "{\"batch_size\": 16, \"hidden\": 16}}, \"seeds\": [1, 2]}",
            "{\"command\": \"residual\", \"base\": {\"base\": \"expert\", \"env\": \"ReachSparse-v1\", "
                + "\"steps\": 200, \"set\": {\"learning_starts\": 100, \"batch_size\": 16, "
                + "\"eval_interval\": 100, \"eval_episodes\": 1}}, \"grid\": {\"residual.actor_lr\": "
                + "[0.000001, 0.00001]}, \"seeds\": [1]}"};
        for (int k = 0; k < specs.length; k++) {
            Path spec = tmp.resolve("sweep" + k + ".json");
            Files.writeString(spec, specs[k].replace("DATA", data.toString()));
            Path out = tmp.resolve("out" + k);
            CoreCommandsTest.Result r = CoreCommandsTest.run("sweep", "--spec", spec.toString(), "--out",
                    out.toString(), "--workers", "2");
            assertEquals(0, r.code(), specs[k] + "\n" + r.out() + r.err());
            List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
            assertEquals(3, runs.size(), String.join("\n", runs));
            for (String row : runs.subList(1, runs.size())) {
                assertTrue(row.split(",")[3].equals("finished"), row);
                Path dir = out.resolve("runs").resolve(row.split(",")[0]);
                assertTrue(Files.isRegularFile(dir.resolve("bundle/bundle.json")), dir.toString());
            }
        }
    }

    @Test
    void embeddedSweepWritesRunsSummaryAndReportsARunThatKeepsFailing(@TempDir Path tmp) throws Exception {
        Path spec = tmp.resolve("sweep.json");
        Files.writeString(spec, "{" + TINY_TRAIN + ", \"grid\": {\"batch_size\": [16, 0]}, \"seeds\": [3], "
                + "\"max_retries\": 1}");
        Path out = tmp.resolve("out");
        CoreCommandsTest.Result r = CoreCommandsTest.run("sweep", "--spec", spec.toString(), "--out", out.toString(),
                "--workers", "2");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("1 of 2 run(s) failed"), r.out() + r.err());
        assertTrue(Files.isRegularFile(out.resolve("runs/c00-s3/result.json")), r.out());
        assertTrue(Files.isRegularFile(out.resolve("runs/c00-s3/bundle/bundle.json")));
        assertTrue(Files.notExists(out.resolve("runs/c01-s3")), "a failed run leaves no directory");
        List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
        assertTrue(runs.get(1).startsWith("c00-s3,batch_size=16,3,finished,"), runs.get(1));
        assertTrue(runs.get(2).startsWith("c01-s3,batch_size=0,3,failed,,2,"),
                "tried 1 + max_retries times: " + runs.get(2));
        assertTrue(runs.get(2).contains("batch_size"), "the child's error is in the row: " + runs.get(2));
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals("config,batch_size,seeds,finished,failed,final_eval_return_mean,final_eval_return_std",
                summary.get(0));
        assertTrue(summary.get(1).startsWith("c00,16,1,1,0,-"), summary.get(1));
        assertTrue(Files.isRegularFile(out.resolve("curves.png")), r.out());

        // wrong input: one line, non-zero exit, nothing written
        Files.writeString(spec, "{\"command\": \"rollout\"}");
        r = CoreCommandsTest.run("sweep", "--spec", spec.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: sweep spec") && r.err().contains("\"command\" must be one of"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(Files.notExists(tmp.resolve("x")));
        Files.writeString(spec, "{" + TINY_TRAIN + ", \"seeds\": [1]}");
        r = CoreCommandsTest.run("sweep", "--spec", spec.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("already holds files"), r.err());
    }
}
