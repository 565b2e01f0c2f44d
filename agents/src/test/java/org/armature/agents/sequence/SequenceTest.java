package org.armature.agents.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.armature.agents.Policy;
import org.armature.agents.PolicyBundles;
import org.armature.train.Configs;
import org.armature.train.Progress;
import org.armature.train.TrainConfig;
import org.armature.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceTest {

    private static TrainConfig tiny(String algo, long steps) throws Exception {
        return Configs.resolve(TrainConfig.defaults(algo, "Pendulum-v1", steps, 5), null, List.of(
                "learning_starts=200", "batch_size=16", "eval_interval=400", "eval_episodes=1",
                "checkpoint_interval=400", "sac.actor_hidden=[16,16]", "sac.critic_hidden=[16,16]",
                "sequence.decision_interval=4", "sequence.model_hidden=[16]", "sequence.model_warmup_updates=50"));
    }

    @Test
    void srlLearnsFromEveryControlStepAndResumesExactly(@TempDir Path dir) throws Exception {
        Trainer a = Trainer.create(tiny(TrainConfig.SRL, 1000), dir.resolve("a"), Progress.SILENT);
        Trainer.Result whole = a.run();
        // one decision = 4 control steps, each stored as a transition of the task (1-dim actions); one update per
        // control step after learning_starts
        assertEquals(1000, whole.envSteps());
        assertEquals(1000, a.replayBuffer().size());
        assertEquals(800, whole.updates());
        Trainer b = Trainer.create(tiny(TrainConfig.SRL, 1000), dir.resolve("b"), Progress.SILENT);
        b.run(700); // checkpoint at the episode end at 400
        Trainer.resume(b.runDir(), Progress.SILENT).run();
        assertArrayEquals(Files.readAllBytes(a.runDir().resolve("bundle/actor.params")),
                Files.readAllBytes(b.runDir().resolve("bundle/actor.params")), "resume is exact");
        assertEquals(Files.readAllLines(a.runDir().resolve(Trainer.METRICS)).size(),
                Files.readAllLines(b.runDir().resolve(Trainer.METRICS)).size());
    }

    @Test
    void sequenceBundlesPlayTheirChunkThenHoldItsLastAction(@TempDir Path dir) throws Exception {
        Trainer t = Trainer.create(tiny(TrainConfig.SRL, 400), dir.resolve("srl"), Progress.SILENT);
        t.run();
        Path bundle = t.runDir().resolve(Trainer.BUNDLE);
        PolicyBundles.Spec spec = PolicyBundles.readSpec(bundle);
        assertEquals(4, spec.chunkLength());
        assertEquals(4, spec.interval());
        assertEquals(1, spec.actionSpace().low().length, "the bundle is on the task's own action space");
        float[] obs = {0.3f, -0.2f, 0.5f};
        float[][] chunk = Policy.load(bundle).actChunk(obs);
        assertEquals(4, chunk.length);
        assertNotEquals(chunk[0][0], chunk[3][0], "the sequence is not one repeated action");
        // its own interval: the four actions, then a new decision
        Policy own = Policy.load(bundle);
        own.reset(0);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(chunk[i], own.act(obs));
        }
        // slower (k = 6): four actions, the last held twice; faster (k = 2): two actions, then it decides again
        Policy slow = PolicyBundles.loadAtDecisionInterval(bundle, 6);
        slow.reset(0);
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(chunk[Math.min(i, 3)], slow.act(obs), "step " + i);
        }
        Policy fast = PolicyBundles.loadAtDecisionInterval(bundle, 2);
        fast.reset(0);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(chunk[i % 2], fast.act(obs), "step " + i);
        }
    }

    @Test
    void actionRepeatBundlesHoldOneActionForTheirInterval(@TempDir Path dir) throws Exception {
        Trainer t = Trainer.create(tiny(TrainConfig.SAC_REPEAT, 400), dir.resolve("rep"), Progress.SILENT);
        Trainer.Result r = t.run();
        assertEquals(400, r.envSteps(), "env steps count control steps, not decisions");
        Path bundle = t.runDir().resolve(Trainer.BUNDLE);
        assertEquals(1, PolicyBundles.readSpec(bundle).chunkLength());
        assertEquals(4, PolicyBundles.readSpec(bundle).interval());
        Policy p = Policy.load(bundle);
        p.reset(0);
        float[] first = p.act(new float[]{1f, 0f, 0f});
        for (int i = 1; i < 4; i++) {
            assertArrayEquals(first, p.act(new float[]{0f, 1f, 0.5f * i}), "held for 4 steps whatever it sees");
        }
    }

    @Test
    void fasIsTheReferencesNormalisedTrapezoidArea() {
        Fas.Curve c = new Fas.Curve(new int[]{1, 2, 4}, new double[]{-150, -350, -1550}, new double[3]);
        Fas.Reference pendulum = Fas.reference("Pendulum-v1").orElseThrow();
        // shifted returns 1400, 1200, 0: area 1 * 1300 + 2 * 600 = 2500, over 1350 * 30
        assertEquals(2500.0 / (1350 * 30), Fas.score(c, pendulum), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Fas.score(new Fas.Curve(new int[]{2, 1},
                new double[2], new double[2]), pendulum));
        assertTrue(Fas.reference("NoSuchTask-v1").isEmpty());
    }
}
