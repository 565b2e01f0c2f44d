package org.armature.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.armature.agents.Policy;
import org.armature.envs.BoxSpace;
import org.armature.envs.EnvSpec;
import org.armature.envs.experts.Expert;
import org.armature.envs.experts.Experts;

/**
 * Turns a {@code --policy} argument into a {@link Policy} for an env, in one place for every command
 * ({@code view}, {@code render}, {@code rollout}, {@code quickstart}, ...):
 * <ul>
 *   <li>{@code random}: uniform in the action box, seeded (episode seeds re-seed it through {@link Policy#reset});</li>
 *   <li>{@code expert}: the env's scripted expert from {@code org.armature.envs.experts};</li>
 *   <li>anything else: a policy bundle directory (or zip) saved by training, loaded by the agents module.</li>
 * </ul>
 */
public final class PolicyResolver {

    /** A resolved policy and a short name for titles and logs. */
    public record Resolved(Policy policy, String name) {
    }

    private PolicyResolver() {
    }

    public static Resolved resolve(String spec, EnvSpec env, long seed) {
        if (spec == null || spec.isBlank() || spec.equals("random")) {
            return new Resolved(new RandomPolicy(env, seed), "random");
        }
        if (spec.equals("expert")) {
            return new Resolved(expert(env, seed), "expert");
        }
        Path bundle = Path.of(spec);
        if (!Files.exists(bundle)) {
            throw new IllegalArgumentException("--policy '" + spec + "' is not 'random', 'expert' or an existing "
                    + "policy bundle directory");
        }
        Policy p = loadBundle(bundle);
        if (p.observationDim() != env.observationDim() || p.actionDim() != env.actionDim()) {
            throw new IllegalArgumentException(String.format("policy bundle %s maps %d observations to %d actions, "
                            + "but %s has %d observations and %d actions", bundle, p.observationDim(), p.actionDim(),
                    env.id(), env.observationDim(), env.actionDim()));
        }
        return new Resolved(p, bundle.getFileName().toString());
    }

    /**
     * Loads a bundle through the agents module's loader ({@code PolicyBundles.load(Path)} or
     * {@code Policy.load(Path)}), looked up at run time while that loader is being written.
     */
    static Policy loadBundle(Path bundle) {
        Method load = findStatic("org.armature.agents.PolicyBundles", "load");
        if (load == null) {
            load = findStatic("org.armature.agents.Policy", "load");
        }
        if (load == null) {
            throw new IllegalArgumentException("cannot load policy bundle " + bundle
                    + ": this build has no policy bundle loader (org.armature.agents.PolicyBundles)");
        }
        try {
            return (Policy) load.invoke(null, bundle);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalArgumentException("cannot load policy bundle " + bundle + ": " + cause.getMessage());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method findStatic(String className, String name) {
        try {
            Class<?> c = Class.forName(className);
            Method m = c.getMethod(name, Path.class);
            return java.lang.reflect.Modifier.isStatic(m.getModifiers()) && Policy.class.isAssignableFrom(m.getReturnType())
                    ? m : null;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * The env's scripted expert ({@link Experts}): {@code act} is the noise-free expert, {@code sample} (rollout's
     * {@code --stochastic}) adds the task's default demonstration noise ({@link Experts#defaultNoiseStd}).
     */
    static Policy expert(EnvSpec env, long seed) {
        if (!Experts.has(env.id())) {
            throw new IllegalArgumentException("no scripted expert for " + env.id() + "; experts exist for: "
                    + String.join(", ", Experts.ids()));
        }
        return new ExpertPolicy(env, seed);
    }

    /** Adapts an {@link Expert} (envs module) to the {@link Policy} interface. */
    public static final class ExpertPolicy implements Policy {
        private final EnvSpec env;
        private final Expert clean;
        private final Expert noisy;

        public ExpertPolicy(EnvSpec env, long seed) {
            this.env = env;
            this.clean = Experts.make(env.id(), 0.0, seed);
            this.noisy = Experts.make(env.id(), Experts.defaultNoiseStd(env.id()), seed);
        }

        @Override
        public float[] act(float[] observation) {
            return clean.act(observation);
        }

        @Override
        public float[] sample(float[] observation) {
            return noisy.act(observation);
        }

        @Override
        public void reset(long seed) {
            clean.reset(seed);
            noisy.reset(seed);
        }

        @Override
        public int observationDim() {
            return env.observationDim();
        }

        @Override
        public int actionDim() {
            return env.actionDim();
        }
    }

    /** Uniform random actions in a bounded action box, from a seeded stream. */
    public static final class RandomPolicy implements Policy {
        private final BoxSpace actions;
        private final int observationDim;
        private SplittableRandom rng;

        public RandomPolicy(EnvSpec env, long seed) {
            if (!env.actionSpace().isBounded()) {
                throw new IllegalArgumentException("--policy random needs a bounded action space; " + env.id()
                        + " has an unbounded one");
            }
            this.actions = env.actionSpace();
            this.observationDim = env.observationDim();
            this.rng = new SplittableRandom(seed);
        }

        @Override
        public float[] act(float[] observation) {
            return actions.sample(rng);
        }

        @Override
        public void reset(long seed) {
            rng = new SplittableRandom(seed);
        }

        @Override
        public int observationDim() {
            return observationDim;
        }

        @Override
        public int actionDim() {
            return actions.dim();
        }
    }
}
