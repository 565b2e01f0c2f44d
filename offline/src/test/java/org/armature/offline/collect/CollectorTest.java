package org.armature.offline.collect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.armature.agents.Policy;
import org.armature.agents.data.OfflineDataset;
import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.envs.Step;
import org.armature.offline.collect.Collector;
import org.junit.jupiter.api.Test;

class CollectorTest {

    @Test
    void randomCollectionIsDeterministicAndReplayableFromStoredSeeds() {
        var spec = Envs.make("Pendulum-v1").spec();
        OfflineDataset a = Collector.collect("Pendulum-v1", Collector.randomPolicy(spec, 1), "random", 3, 100, 0, null);
        OfflineDataset b = Collector.collect("Pendulum-v1", Collector.randomPolicy(spec, 1), "random", 3, 100, 0, null);
        assertEquals(600, a.size());
        assertEquals(3, a.episodeCount());
        assertArrayEquals(a.observations(), b.observations());
        assertArrayEquals(a.actions(), b.actions());
        assertArrayEquals(new long[]{100, 101, 102}, a.metadata().episodeResetSeeds());
        assertTrue(a.timeouts()[199] && a.timeouts()[399] && a.timeouts()[599]);
        // replay episode 1 from its stored seed and actions: same observations and rewards
        try (Env env = Envs.make("Pendulum-v1")) {
            float[] o = env.reset(a.metadata().episodeResetSeeds()[1]).observation();
            float[] expect = new float[3];
            a.observation(200, expect);
            assertArrayEquals(expect, o);
            float[] act = new float[1];
            for (int i = 200; i < 400; i++) {
                a.action(i, act);
                Step s = env.step(act);
                assertEquals(a.rewards()[i], (float) s.reward());
            }
        }
    }

    @Test
    void shardsOfACollectionMergeIntoTheWholeCollectionNoiseIncluded() {
        var spec = Envs.make("Pendulum-v1").spec();
        Collector.Result whole = Collector.collect("Pendulum-v1", Collector.randomPolicy(spec, 1), "random", 0, 3, 50,
                0.3, false, null);
        Collector.Result merged = Collector.merge(java.util.List.of(
                Collector.collect("Pendulum-v1", Collector.randomPolicy(spec, 1), "random", 0, 2, 50, 0.3, false, null),
                Collector.collect("Pendulum-v1", Collector.randomPolicy(spec, 1), "random", 2, 1, 50, 0.3, false, null)),
                "Pendulum-v1", "random", 50, 0.3, false);
        assertArrayEquals(whole.dataset().observations(), merged.dataset().observations());
        assertArrayEquals(whole.dataset().actions(), merged.dataset().actions());
        assertArrayEquals(whole.dataset().timeouts(), merged.dataset().timeouts());
        assertArrayEquals(new long[]{50, 51, 52}, merged.dataset().metadata().episodeResetSeeds());
        assertEquals(whole.dataset().metadata().extra(), merged.dataset().metadata().extra());
        assertEquals(3, merged.tried());
    }

    @Test
    void noiseIsAddedAndClippedAndRecorded() {
        var spec = Envs.make("Pendulum-v1").spec();
        Policy zero = new Policy() {
            @Override
            public float[] act(float[] observation) {
                return new float[]{1.9f};
            }

            @Override
            public int observationDim() {
                return 3;
            }

            @Override
            public int actionDim() {
                return 1;
            }
        };
        OfflineDataset d = Collector.collect("Pendulum-v1", zero, "const", 1, 0, 0.5, null);
        boolean varied = false;
        for (float x : d.actions()) {
            assertTrue(x <= 2f && x >= -2f);
            varied |= x != 1.9f;
        }
        assertTrue(varied);
        assertEquals("0.5", d.metadata().extra().get("collection_noise_std"));
        assertThrows(IllegalArgumentException.class, () -> Collector.collect("Pendulum-v1", zero, "c", 0, 0, 0, null));
        assertThrows(IllegalArgumentException.class,
                () -> Collector.collect("Pendulum-v1", Collector.randomPolicy(spec, 1), "c", 1, 0, -1, null));
    }

    @Test
    void successOnlyKeepsTheSuccessfulEpisodesAndCountsTheTriedOnes() {
        var spec = Envs.make("PushT-v1").spec();
        Policy expert = org.armature.agents.ExpertPolicy.of(spec, 0.015, 0);
        Collector.Result all = Collector.collect("PushT-v1", expert, "expert", 6, 100000, 0, false, null);
        Collector.Result kept = Collector.collect("PushT-v1", expert, "expert", 6, 100000, 0, true, null);
        assertEquals(6, all.tried());
        assertEquals(6, all.kept());
        assertEquals(6, all.dataset().episodeCount());
        assertEquals(all.successful(), kept.successful());
        assertTrue(kept.successful() > 0 && kept.successful() < 6, "both outcomes: " + kept.successful());
        assertEquals(kept.successful(), kept.kept());
        assertEquals(kept.kept(), kept.dataset().episodeCount());
        // the kept episodes are the unfiltered collection's successful ones, unchanged
        Object success = all.dataset().infos().get("success");
        assertTrue(success instanceof boolean[], "per-step success is stored: " + all.dataset().infos().keySet());
        boolean[] s = (boolean[]) success;
        var tr = all.dataset().trajectories();
        java.util.List<Long> seeds = new java.util.ArrayList<>();
        int transitions = 0;
        for (int e = 0; e < tr.count(); e++) {
            boolean ok = false;
            for (int i = tr.start(e); i < tr.end(e); i++) {
                ok |= s[i];
            }
            if (ok) {
                seeds.add(all.dataset().metadata().episodeResetSeeds()[e]);
                transitions += tr.length(e);
            }
        }
        assertArrayEquals(seeds.stream().mapToLong(Long::longValue).toArray(),
                kept.dataset().metadata().episodeResetSeeds());
        assertEquals(transitions, kept.dataset().size());
        var x = kept.dataset().metadata().extra();
        assertEquals("6", x.get(Collector.EPISODES_TRIED));
        assertEquals("" + kept.kept(), x.get(Collector.EPISODES_KEPT));
        assertEquals(Double.toString(kept.successRate()), x.get(Collector.SUCCESS_RATE_TRIED));
        assertEquals("true", x.get(Collector.SUCCESS_ONLY));
        // a task without success cannot be filtered by it; nothing kept: no dataset
        assertThrows(IllegalArgumentException.class, () -> Collector.collect("Pendulum-v1",
                Collector.randomPolicy(Envs.make("Pendulum-v1").spec(), 0), "random", 1, 0, 0, true, null));
        Collector.Result none = Collector.collect("PushT-v1", Collector.randomPolicy(spec, 0), "random", 2, 0, 0,
                true, null);
        assertEquals(null, none.dataset());
        assertEquals(2, none.tried());
        assertEquals(0, none.kept());
    }
}
