package org.armature.envs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Checks that an env honours the {@link Env} contract, in the spirit of Gymnasium's {@code check_env}: spaces,
 * shapes and finiteness of everything returned, determinism under a seed, reset after a terminal state, clipping of
 * out-of-range actions, and clear errors for malformed actions.
 */
public final class EnvChecker {

    /** One check's outcome. */
    public record Check(String name, boolean passed, String detail) {
    }

    /** All checks for one env. */
    public record Report(String envId, List<Check> checks) {
        public boolean passed() {
            return checks.stream().allMatch(Check::passed);
        }

        public List<Check> failures() {
            return checks.stream().filter(c -> !c.passed()).toList();
        }
    }

    private final int steps;

    /** @param steps how many random steps the rollout-based checks take (default 300) */
    public EnvChecker(int steps) {
        this.steps = steps;
    }

    public EnvChecker() {
        this(300);
    }

    public Report check(String envId) {
        return check(envId, () -> Envs.make(envId));
    }

    /** Runs every check on fresh envs from {@code factory} (all on the calling thread). */
    public Report check(String name, Supplier<Env> factory) {
        List<Check> checks = new ArrayList<>();
        Env env;
        try {
            env = factory.get();
        } catch (RuntimeException e) {
            checks.add(new Check("construct", false, e.toString()));
            return new Report(name, checks);
        }
        try (env) {
            checks.add(run("spec", () -> checkSpec(env.spec())));
            checks.add(run("reset observation", () -> checkObservation(env.spec(), env.reset(0).observation(), "reset")));
            checks.add(run("random rollout", () -> rollout(env)));
            checks.add(run("determinism", () -> determinism(factory)));
            checks.add(run("reset after terminal", () -> resetAfterDone(env)));
            checks.add(run("action clipping", () -> clipping(factory)));
            checks.add(run("wrong-length action", () -> badAction(env, new float[env.spec().actionDim() + 1], "length")));
            checks.add(run("NaN action", () -> badAction(env, filled(env.spec().actionDim(), Float.NaN), "NaN")));
            checks.add(run("infinite action", () -> badAction(env, filled(env.spec().actionDim(),
                    Float.POSITIVE_INFINITY), "Infinity")));
            checks.add(run("scene", () -> {
                env.reset(0);
                if (env.scene() == null) {
                    throw new AssertionError("scene() returned null");
                }
                return "ok";
            }));
        }
        return new Report(name, checks);
    }

    private interface Body {
        String run() throws Exception;
    }

    private static Check run(String name, Body body) {
        try {
            return new Check(name, true, body.run());
        } catch (Throwable t) {
            String msg = t.getMessage() == null ? t.toString() : t.getMessage();
            return new Check(name, false, msg);
        }
    }

    private static String checkSpec(EnvSpec s) {
        if (s.id() == null || s.id().isBlank()) {
            throw new AssertionError("spec id is empty");
        }
        if (!s.id().matches(".+-v\\d+")) {
            throw new AssertionError("id '" + s.id() + "' is not versioned (expected Name-vN)");
        }
        if (s.observationDim() < 1 || s.actionDim() < 1) {
            throw new AssertionError("empty observation or action space");
        }
        if (!s.actionSpace().isBounded()) {
            throw new AssertionError("action space is unbounded");
        }
        if (!(s.controlDtSeconds() > 0)) {
            throw new AssertionError("control dt must be positive, got " + s.controlDtSeconds());
        }
        if (s.maxEpisodeSteps() < 0) {
            throw new AssertionError("negative episode limit");
        }
        return "obs " + s.observationDim() + ", act " + s.actionDim() + ", dt " + s.controlDtSeconds();
    }

    private static String checkObservation(EnvSpec s, float[] obs, String where) {
        if (obs == null) {
            throw new AssertionError(where + ": observation is null");
        }
        if (obs.length != s.observationDim()) {
            throw new AssertionError(where + ": observation has " + obs.length + " values, spec says "
                    + s.observationDim());
        }
        for (int i = 0; i < obs.length; i++) {
            if (!Float.isFinite(obs[i])) {
                throw new AssertionError(where + ": observation[" + i + "] = " + obs[i]);
            }
            if (obs[i] < s.observationSpace().low(i) || obs[i] > s.observationSpace().high(i)) {
                throw new AssertionError(where + ": observation[" + i + "] = " + obs[i] + " outside ["
                        + s.observationSpace().low(i) + ", " + s.observationSpace().high(i) + "]");
            }
        }
        return "ok";
    }

    private String rollout(Env env) {
        SplittableRandom rng = new SplittableRandom(1);
        env.reset(1);
        int episodes = 0;
        for (int t = 0; t < steps; t++) {
            Step s = env.step(env.spec().actionSpace().sample(rng));
            checkObservation(env.spec(), s.observation(), "step " + t);
            if (!Double.isFinite(s.reward())) {
                throw new AssertionError("step " + t + ": reward " + s.reward());
            }
            if (s.info() == null) {
                throw new AssertionError("step " + t + ": info is null");
            }
            if (s.done()) {
                episodes++;
                checkObservation(env.spec(), env.reset().observation(), "reset after step " + t);
            }
        }
        return steps + " steps, " + episodes + " episodes ended";
    }

    private String determinism(Supplier<Env> factory) {
        float[] a = trace(factory, 7);
        float[] b = trace(factory, 7);
        if (!Arrays.equals(a, b)) {
            throw new AssertionError("two envs reset with seed 7 and given the same actions diverged");
        }
        float[] c = trace(factory, 8);
        if (Arrays.equals(a, c)) {
            throw new AssertionError("seeds 7 and 8 gave identical episodes (is the seed used?)");
        }
        return "identical for equal seeds, different for different seeds";
    }

    private float[] trace(Supplier<Env> factory, long seed) {
        try (Env env = factory.get()) {
            SplittableRandom rng = new SplittableRandom(99);
            List<Float> out = new ArrayList<>();
            for (float x : env.reset(seed).observation()) {
                out.add(x);
            }
            int n = Math.min(steps, 100);
            for (int t = 0; t < n; t++) {
                Step s = env.step(env.spec().actionSpace().sample(rng));
                for (float x : s.observation()) {
                    out.add(x);
                }
                out.add((float) s.reward());
                out.add(s.terminated() ? 1f : 0f);
                if (s.done()) {
                    for (float x : env.reset().observation()) {
                        out.add(x);
                    }
                }
            }
            float[] r = new float[out.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = out.get(i);
            }
            return r;
        }
    }

    private String resetAfterDone(Env env) {
        SplittableRandom rng = new SplittableRandom(3);
        env.reset(3);
        int limit = env.spec().maxEpisodeSteps() > 0 ? env.spec().maxEpisodeSteps() + 1 : 5000;
        for (int t = 0; t < limit; t++) {
            Step s = env.step(env.spec().actionSpace().sample(rng));
            if (s.done()) {
                checkObservation(env.spec(), env.reset().observation(), "reset after episode end");
                Step next = env.step(env.spec().actionSpace().sample(rng));
                checkObservation(env.spec(), next.observation(), "first step after reset");
                return "episode ended after " + (t + 1) + " steps (" + (s.terminated() ? "terminated" : "truncated")
                        + "), reset ok";
            }
        }
        throw new AssertionError("episode did not end within " + limit + " steps (is the time limit applied?)");
    }

    private String clipping(Supplier<Env> factory) {
        float[] big;
        float[] clipped;
        Step a;
        Step b;
        try (Env env = factory.get()) {
            BoxSpace space = env.spec().actionSpace();
            big = new float[space.dim()];
            for (int i = 0; i < big.length; i++) {
                big[i] = (i % 2 == 0 ? 1 : -1) * 10 * Math.max(1f, Math.abs(space.high(i)) + Math.abs(space.low(i)));
            }
            clipped = new float[big.length];
            space.clip(big, clipped);
            env.reset(5);
            a = env.step(big);
        }
        try (Env env = factory.get()) {
            env.reset(5);
            b = env.step(clipped);
        }
        if (!Arrays.equals(a.observation(), b.observation()) || a.reward() != b.reward()) {
            throw new AssertionError("an out-of-range action did not act like the same action clipped into the space");
        }
        return "out-of-range actions are clipped";
    }

    private static String badAction(Env env, float[] action, String expectInMessage) {
        env.reset(0);
        try {
            env.step(action);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("rejected, but with an empty message");
            }
            return "rejected: " + e.getMessage();
        }
        throw new AssertionError("an action with " + expectInMessage + " was accepted");
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
