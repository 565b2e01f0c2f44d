package org.armature.envs.wrappers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.armature.envs.Env;
import org.armature.envs.Episode;
import org.armature.envs.EpisodeSink;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.envs.Wrapper;

/**
 * Records every episode and hands it to an {@link EpisodeSink} when it ends, keeping {@code terminated} and
 * {@code truncated} apart. Actions are recorded as executed (clipped into the action space). An episode cut short by
 * a {@code reset()} before it ended is delivered with {@code truncated = true} (it ended for a reason outside the
 * task), unless it has no steps.
 */
public final class RecordEpisodes extends Wrapper {

    private final EpisodeSink sink;
    private final List<float[]> observations = new ArrayList<>();
    private final List<float[]> actions = new ArrayList<>();
    private final List<Double> rewards = new ArrayList<>();
    private final List<Map<String, Object>> infos = new ArrayList<>();
    private Long seed;
    private boolean open;

    public RecordEpisodes(Env env, EpisodeSink sink) {
        super(env);
        this.sink = sink;
    }

    @Override
    public Reset reset(long seed) {
        flushUnfinished();
        Reset r = env.reset(seed);
        begin(seed, r);
        return r;
    }

    @Override
    public Reset reset() {
        flushUnfinished();
        Reset r = env.reset();
        begin(null, r);
        return r;
    }

    private void begin(Long s, Reset r) {
        observations.clear();
        actions.clear();
        rewards.clear();
        infos.clear();
        seed = s;
        observations.add(r.observation().clone());
        open = true;
    }

    @Override
    public Step step(float[] action) {
        Step s = env.step(action);
        float[] executed = new float[action.length];
        env.spec().actionSpace().clip(action, executed);
        actions.add(executed);
        observations.add(s.observation().clone());
        rewards.add(s.reward());
        infos.add(s.info());
        if (s.done()) {
            emit(s.terminated(), s.truncated());
        }
        return s;
    }

    private void flushUnfinished() {
        if (open && !actions.isEmpty()) {
            emit(false, true);
        }
        open = false;
    }

    private void emit(boolean terminated, boolean truncated) {
        double[] r = new double[rewards.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = rewards.get(i);
        }
        sink.accept(new Episode(env.spec().id(), seed, observations.toArray(new float[0][]),
                actions.toArray(new float[0][]), r, List.copyOf(infos), terminated, truncated));
        open = false;
    }

    @Override
    public void close() {
        flushUnfinished();
        sink.close();
        super.close();
    }
}
