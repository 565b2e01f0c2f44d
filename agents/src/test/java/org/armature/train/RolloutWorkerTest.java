package org.armature.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.armature.agents.Agent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote rollout workers without the cluster: the worker, the weights it is sent, and the loop that consumes them. */
class RolloutWorkerTest {

    private static TrainConfig cfg(String algo, int workers, String... more) throws Exception {
        List<String> sets = new ArrayList<>(List.of("learning_starts=200", "batch_size=32", "eval_interval=400",
                "eval_episodes=2", algo + ".actor_hidden=[16,16]", algo + ".critic_hidden=[16,16]",
                "rollouts.workers=" + workers, "rollouts.batch_steps=50", "rollouts.weights_every=20"));
        sets.addAll(List.of(more));
        return Configs.resolve(TrainConfig.defaults(algo, "Pendulum-v1", 800, 3), null, sets);
    }

    /** Workers in this thread, asked in turn: what {@code RemoteRollouts} does on members, without the timing. */
    static final class InProcessRollouts implements RolloutSource {
        final List<RolloutWorker> workers = new ArrayList<>();
        final int n;
        byte[] weights;
        long version;
        int turn;
        int publications;
        boolean closed;
        int batchSteps;

        InProcessRollouts(int n) {
            this.n = n;
        }

        @Override
        public int workers() {
            return n;
        }

        @Override
        public void start(TrainConfig cfg, long fromStep, byte[] policy, long policyVersion) throws IOException {
            for (int w = 0; w < n; w++) {
                workers.add(new RolloutWorker(cfg, w, fromStep));
            }
            batchSteps = cfg.rollouts().batchSteps();
            publish(policy, policyVersion);
        }

        @Override
        public void publish(byte[] policy, long policyVersion) {
            weights = policy;
            version = policyVersion;
            publications++;
        }

        @Override
        public RolloutBatch next(boolean warmup) throws IOException {
            RolloutWorker w = workers.get(turn++ % n);
            w.loadPolicy(weights, version);
            return w.rollout(batchSteps, warmup);
        }

        @Override
        public void close() {
            workers.forEach(RolloutWorker::close);
            closed = true;
        }
    }

    @Test
    void aWorkerActsWithThePublishedWeightsOnly(@TempDir Path dir) throws Exception {
        TrainConfig c = cfg("sac", 1);
        Trainer t = Trainer.create(c, dir.resolve("run"), false, Progress.SILENT);
        Agent learner = t.agent();
        try (RolloutWorker w = new RolloutWorker(c, 0, 0)) {
            assertThrows(IllegalStateException.class, () -> w.rollout(10, false), "no weights yet");
            w.loadPolicy(RolloutWorker.policyWeights(learner), 7);
            assertEquals(7, w.policyVersion());
            w.loadPolicy(new byte[]{1, 2, 3}, 5); // older: ignored, not even read
            assertEquals(7, w.policyVersion());
            // only the actor travels: far fewer bytes than the learner's whole state
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            learner.writeState(new java.io.DataOutputStream(all));
            assertTrue(RolloutWorker.policyWeights(learner).length * 3 < all.size());
            RolloutBatch b = w.rollout(450, false);
            assertEquals(450, b.steps);
            assertEquals(7, b.policyVersion);
            assertEquals(450 * 3, b.observations.length);
            assertEquals(450, b.actions.length);
            // Pendulum's episodes last 200 steps: two ended, with their returns the sums of their rewards
            assertArrayEquals(new int[]{200, 200}, b.episodeLengths);
            double sum = 0;
            for (int i = 0; i < 200; i++) {
                sum += b.rewards[i];
            }
            assertEquals(sum, b.episodeReturns[0], 1e-3);
            assertEquals(RolloutBatch.TRUNCATED, b.ends[199]);
            assertEquals(0, b.ends[200]);
            // within a batch, each step's next observation is the following step's observation
            assertArrayEquals(Arrays.copyOfRange(b.nextObservations, 0, 3), Arrays.copyOfRange(b.observations, 3, 6));
            RolloutBatch warm = w.rollout(100, true);
            assertEquals(-1, warm.policyVersion);
            for (float a : warm.actions) {
                assertTrue(a >= -2 && a <= 2, "warm-up action in Pendulum's box: " + a);
            }
        }
    }

    @Test
    void workersDrawFromStreamsOfTheirOwn() throws Exception {
        TrainConfig c = cfg("td3", 2);
        try (RolloutWorker a = new RolloutWorker(c, 0, 0); RolloutWorker b = new RolloutWorker(c, 1, 0);
             RolloutWorker a2 = new RolloutWorker(c, 0, 0); RolloutWorker resumed = new RolloutWorker(c, 0, 400)) {
            float[] x = a.rollout(20, true).observations;
            assertNotEquals(Arrays.toString(x), Arrays.toString(b.rollout(20, true).observations));
            assertArrayEquals(x, a2.rollout(20, true).observations, "same worker, same seed: same steps");
            assertNotEquals(Arrays.toString(x), Arrays.toString(resumed.rollout(20, true).observations));
        }
    }

    @Test
    void theLoopTrainsOnWorkerBatchesAndRecordsPolicyLag(@TempDir Path dir) throws Exception {
        TrainConfig c = cfg("sac", 2);
        Trainer t = Trainer.create(c, dir.resolve("run"), false, Progress.SILENT);
        assertThrows(IllegalStateException.class, t::run, "a run on workers needs its source");
        InProcessRollouts source = new InProcessRollouts(2);
        Trainer.Result r = t.run(source);
        assertTrue(source.closed);
        assertEquals(800, r.envSteps());
        assertEquals(600, r.updates(), "updates_per_step per step after learning_starts, as a local run");
        assertEquals(800, t.replayBuffer().size());
        assertTrue(source.publications >= 600 / 50, "weights published after every batch of 50 updates ≥ 20");
        List<String> lines = Files.readAllLines(t.runDir().resolve(Trainer.METRICS));
        List<String> header = List.of(lines.get(0).split(",", -1));
        int lag = header.indexOf("policy_lag");
        assertTrue(lag >= 0, header.toString());
        assertEquals(4, lines.size() - 1, "one row per ended episode (4 of 200 steps)");
        for (String l : lines.subList(1, lines.size())) {
            assertTrue(Long.parseLong(l.split(",", -1)[lag]) >= 0, l);
        }
        assertTrue(Files.isRegularFile(t.runDir().resolve(Trainer.BUNDLE).resolve("bundle.json")));
        // in-process workers in a fixed order: the same numbers again
        Trainer again = Trainer.create(c, dir.resolve("again"), false, Progress.SILENT);
        assertEquals(r.finalEvalMean(), again.run(new InProcessRollouts(2)).finalEvalMean());
    }

    @Test
    void configsThatCannotRunOnWorkersAreRefusedWithTheReason() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cfg("sac", 2,
                "num_envs=2"));
        assertTrue(e.getMessage().contains("num_envs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Configs.resolve(TrainConfig.defaults("srl",
                "Pendulum-v1", 800, 3), null, List.of("rollouts.workers=2")));
        assertTrue(e.getMessage().contains("rollout workers run sac and td3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cfg("sac", 2, "rollouts.batch_steps=0"));
        assertTrue(e.getMessage().contains("rollouts.batch_steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cfg("sac", -1));
        assertTrue(e.getMessage().contains("rollouts.workers"), e.getMessage());
    }

    @Test
    void aConfigWithoutTheRolloutsSectionRunsHere() throws Exception {
        TrainConfig c = cfg("sac", 0);
        com.fasterxml.jackson.databind.node.ObjectNode tree = Configs.JSON.valueToTree(c);
        tree.remove("rollouts");
        TrainConfig old = Configs.JSON.treeToValue(tree, TrainConfig.class);
        assertEquals(0, old.rollouts().workers());
    }
}
