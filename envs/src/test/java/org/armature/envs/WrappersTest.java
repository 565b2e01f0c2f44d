package org.armature.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.armature.envs.tasks.PendulumEnv;
import org.armature.envs.wrappers.ActionRepeat;
import org.armature.envs.wrappers.DecisionInterval;
import org.armature.envs.wrappers.NormalizeObservation;
import org.armature.envs.wrappers.ObservationHistory;
import org.armature.envs.wrappers.RecordEpisodes;
import org.armature.envs.wrappers.RescaleAction;
import org.armature.envs.wrappers.TimeLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrappersTest {

    @Test
    void timeLimitTruncatesButKeepsTermination() {
        Env env = new TimeLimit(Envs.makeRaw("Hopper-v1"), 5);
        env.reset(0);
        for (int i = 0; i < 4; i++) {
            assertFalse(env.step(new float[3]).truncated());
        }
        Step last = env.step(new float[3]);
        assertTrue(last.truncated());
        assertFalse(last.terminated());
        env.reset(0);
        assertFalse(env.step(new float[3]).truncated(), "reset clears the step counter");
    }

    @Test
    void actionRepeatSumsRewards() {
        PendulumEnv a = new PendulumEnv();
        Env b = new ActionRepeat(new PendulumEnv(), 3);
        a.reset(1);
        b.reset(1);
        double sum = 0;
        Step s = null;
        for (int i = 0; i < 3; i++) {
            s = a.step(new float[]{0.7f});
            sum += s.reward();
        }
        Step r = b.step(new float[]{0.7f});
        assertEquals(sum, r.reward(), 1e-12);
        assertArrayEquals(s.observation(), r.observation());
        assertEquals(0.15, b.spec().controlDtSeconds(), 1e-12);
        assertEquals(67, b.spec().maxEpisodeSteps());
    }

    @Test
    void decisionIntervalExecutesTheSequence() {
        PendulumEnv a = new PendulumEnv();
        DecisionInterval d = new DecisionInterval(new PendulumEnv(), 4);
        assertEquals(4, d.spec().actionDim());
        a.reset(2);
        d.reset(2);
        float[] seq = {0.5f, -1f, 2f, 0f};
        double sum = 0;
        Step s = null;
        java.util.List<float[]> seen = new java.util.ArrayList<>();
        for (float u : seq) {
            s = a.step(new float[]{u});
            sum += s.reward();
            seen.add(s.observation());
        }
        Step r = d.step(seq);
        float[][] inner = (float[][]) r.info().get(DecisionInterval.STEP_OBSERVATIONS);
        assertEquals(4, inner.length);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(seen.get(i), inner[i], "the observation after step " + i + " of the decision");
        }
        assertEquals(sum, r.reward(), 1e-12);
        assertArrayEquals(s.observation(), r.observation());
        assertEquals(4, r.info().get("decision_steps"));
        assertEquals(4, ((double[]) r.info().get("step_rewards")).length);
        assertThrows(IllegalArgumentException.class, () -> d.step(new float[3]));
    }

    @Test
    void decisionIntervalStopsAtEpisodeEnd() {
        DecisionInterval d = new DecisionInterval(new TimeLimit(new PendulumEnv(), 6), 4);
        d.reset(0);
        assertFalse(d.step(new float[4]).done());
        Step r = d.step(new float[4]);
        assertTrue(r.truncated());
        assertEquals(2, r.info().get("decision_steps"));
        assertEquals(2, ((float[][]) r.info().get(DecisionInterval.STEP_OBSERVATIONS)).length);
    }

    @Test
    void observationHistoryStacksOldestFirst() {
        ObservationHistory h = new ObservationHistory(new PendulumEnv(), 3);
        PendulumEnv p = new PendulumEnv();
        float[] o0 = h.reset(5).observation();
        float[] p0 = p.reset(5).observation();
        assertEquals(9, o0.length);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(p0, java.util.Arrays.copyOfRange(o0, 3 * i, 3 * i + 3));
        }
        float[] p1 = p.step(new float[]{1f}).observation();
        float[] o1 = h.step(new float[]{1f}).observation();
        assertArrayEquals(p0, java.util.Arrays.copyOfRange(o1, 3, 6));
        assertArrayEquals(p1, java.util.Arrays.copyOfRange(o1, 6, 9));
    }

    @Test
    void normalizeObservationLearnsFreezesAndRoundTrips(@TempDir Path dir) throws Exception {
        NormalizeObservation n = new NormalizeObservation(new TimeLimit(new PendulumEnv(), 200));
        n.reset(0);
        for (int i = 0; i < 2000; i++) {
            if (n.step(new float[]{(float) Math.sin(i)}).done()) {
                n.reset();
            }
        }
        NormalizeObservation.Stats st = n.stats();
        assertTrue(st.count() > 2000);
        n.freeze();
        float[] a = n.step(new float[]{0f}).observation();
        assertEquals(st.mean()[2], n.stats().mean()[2], 0, "frozen statistics do not move");
        Path f = dir.resolve("norm.json");
        n.save(f);
        NormalizeObservation m = new NormalizeObservation(new PendulumEnv());
        m.load(f);
        assertArrayEquals(st.mean(), m.stats().mean());
        assertArrayEquals(st.var(), m.stats().var());
        assertArrayEquals(n.normalize(new float[]{0.1f, 0.2f, 0.3f}), m.normalize(new float[]{0.1f, 0.2f, 0.3f}));
        assertEquals(3, a.length);
        assertFalse(Files.exists(dir.resolve("norm.json.tmp")));
    }

    @Test
    void rescaleActionMapsAffinely() {
        RescaleAction r = new RescaleAction(new PendulumEnv(), -1f, 1f);
        PendulumEnv p = new PendulumEnv();
        r.reset(3);
        p.reset(3);
        assertArrayEquals(p.step(new float[]{1f}).observation(), r.step(new float[]{0.5f}).observation());
        assertEquals(1f, r.spec().actionSpace().high(0));
        assertThrows(IllegalArgumentException.class, () -> r.step(new float[]{Float.NaN}));
    }

    @Test
    void recordEpisodesKeepsTerminalAndTimeoutApart() {
        List<Episode> eps = new ArrayList<>();
        EpisodeSink sink = eps::add;
        RecordEpisodes rec = new RecordEpisodes(Envs.make("Hopper-v1"), sink);
        rec.reset(0);
        Step s;
        int steps = 0;
        do {
            s = rec.step(new float[]{5f, 0f, 0f}); // clipped to 1
            steps++;
        } while (!s.done());
        assertEquals(1, eps.size());
        Episode e = eps.get(0);
        assertTrue(e.terminated());
        assertFalse(e.truncated());
        assertEquals(steps, e.length());
        assertEquals(steps + 1, e.observations().length);
        assertEquals(1f, e.actions()[0][0], "actions are recorded as executed (clipped)");
        assertEquals(0L, e.seed());
        // a time-limited episode
        RecordEpisodes rec2 = new RecordEpisodes(new TimeLimit(new PendulumEnv(), 10), eps::add);
        rec2.reset(1);
        for (int i = 0; i < 10; i++) {
            rec2.step(new float[]{0f});
        }
        Episode e2 = eps.get(1);
        assertTrue(e2.truncated());
        assertFalse(e2.terminated());
        assertEquals(10, e2.rewards().length);
        // an episode cut by a reset is delivered as truncated
        rec2.reset(2);
        rec2.step(new float[]{0f});
        rec2.reset(3);
        assertEquals(3, eps.size());
        assertTrue(eps.get(2).truncated());
        assertEquals(1, eps.get(2).length());
    }
}
