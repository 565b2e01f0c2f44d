package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.armature.train.Configs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `armature fas` end to end at tiny sizes: train (SRL and the action-repeat baseline), evaluate across decision
 * intervals, fas.json, `eval` of a sequence bundle, the summary and plot of several runs, and wrong input. Learning is
 * measured in BENCHMARKS.md.
 */
class FasCommandTest {

    private static final String[] SMALL = {"--env", "Pendulum-v1", "--steps", "400", "--train-interval", "4",
            "--eval-intervals", "1,2,4,8", "--episodes", "1", "--set", "learning_starts=200", "--set", "batch_size=16",
            "--set", "eval_interval=400", "--set", "eval_episodes=1", "--set", "sac.actor_hidden=[16]",
            "--set", "sac.critic_hidden=[16]", "--set", "sequence.model_hidden=[16]",
            "--set", "sequence.model_warmup_updates=20"};

    private static CoreCommandsTest.Result fas(Path run, String algo) {
        String[] head = {"fas", "--algo", algo, "--run-dir", run.toString()};
        String[] args = new String[head.length + SMALL.length];
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(SMALL, 0, args, head.length, SMALL.length);
        return CoreCommandsTest.run(args);
    }

    @Test
    void trainsEvaluatesAcrossIntervalsAndSummarisesRuns(@TempDir Path dir) throws Exception {
        Path srl = dir.resolve("srl");
        CoreCommandsTest.Result r = fas(srl, "srl");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("FAS "), r.out());
        JsonNode f = Configs.JSON.readTree(srl.resolve("fas.json").toFile());
        assertEquals("srl", f.get("algo").asText());
        assertEquals(4, f.get("train_interval").asInt());
        assertEquals(4, f.get("returns").size());
        assertTrue(Double.isFinite(f.get("fas").asDouble()));
        // the bundle is on the task's spaces and plays its four actions per decision in `eval`
        CoreCommandsTest.Result e = CoreCommandsTest.run("eval", "--bundle", srl.resolve("bundle").toString(), "--env",
                "Pendulum-v1", "--episodes", "1");
        assertEquals(0, e.code(), e.err());
        Path repeat = dir.resolve("repeat");
        assertEquals(0, fas(repeat, "sac-repeat").code());
        Path png = dir.resolve("fas.png");
        CoreCommandsTest.Result s = CoreCommandsTest.run("fas", "--plot", png.toString(), srl.toString(),
                repeat.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("SRL-4") && s.out().contains("SAC-REPEAT-4"), s.out());
        assertTrue(Files.size(png) > 1000);
        // evaluate-only on an existing bundle, with a user's normalisation
        CoreCommandsTest.Result b = CoreCommandsTest.run("fas", "--bundle", repeat.resolve("bundle").toString(),
                "--env", "Pendulum-v1", "--eval-intervals", "1,8", "--episodes", "1", "--reference-return", "1000",
                "--return-shift", "1500");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("reference return 1000"), b.out());
    }

    @Test
    void wrongInputGetsOneLineAndWritesNothing(@TempDir Path dir) throws Exception {
        String[][] bad = {
                {"fas", "--algo", "td3", "--env", "Pendulum-v1", "--steps", "100", "--out", dir.toString()},
                {"fas", "--algo", "sac", "--train-interval", "8", "--env", "Pendulum-v1", "--steps", "100", "--out",
                        dir.toString()},
                {"fas", "--algo", "srl", "--env", "PegInsert-v1", "--steps", "100", "--out", dir.toString()},
                {"fas", "--algo", "srl", "--env", "Pendulum-v1", "--steps", "100", "--train-interval", "0", "--out",
                        dir.toString()},
                {"fas", "--algo", "srl", "--env", "Pendulum-v1", "--steps", "100", "--eval-intervals", "0,2", "--out",
                        dir.toString()},
                {"fas", "--bundle", dir.resolve("none").toString()},
                {"fas", "--plot", dir.resolve("x.png").toString(), dir.toString()},
                {"fas", "--algo", "srl", "--env", "Pendulum-v1", "--steps", "100", "--set",
                        "sequence.decision_interval=100", "--out", dir.toString()},
        };
        for (String[] args : bad) {
            CoreCommandsTest.Result r = CoreCommandsTest.run(args);
            assertTrue(r.code() != 0, String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("error:"), r.err());
        }
        try (var s = Files.list(dir)) {
            assertFalse(s.findAny().isPresent(), "nothing written");
        }
    }
}
