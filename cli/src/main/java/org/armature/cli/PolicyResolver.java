package org.armature.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.armature.agents.Policy;
import org.armature.agents.PolicyBundles;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.envs.experts.Experts;
import org.armature.offline.collect.Collector;

/**
 * Turns a {@code --policy} argument into a {@link Policy} for an env, in one place for every command
 * ({@code view}, {@code render}, {@code rollout}, {@code quickstart}, ...):
 * <ul>
 *   <li>{@code random}: uniform in the action box, seeded (episode seeds re-seed it through {@link Policy#reset});</li>
 *   <li>{@code expert}: the env's scripted expert from {@code org.armature.envs.experts}, without action noise
 *       (commands that want demonstration noise add it themselves, e.g. {@code collect --noise});</li>
 *   <li>anything else: a policy bundle directory saved by training, loaded with {@link PolicyBundles#load}.</li>
 * </ul>
 */
public final class PolicyResolver {

    /** A resolved policy and a short name for titles and logs. */
    public record Resolved(Policy policy, String name) {
    }

    private PolicyResolver() {
    }

    public static Resolved resolve(String spec, EnvSpec env, long seed) {
        return resolve(spec, env, seed, 0.0);
    }

    /**
     * As {@link #resolve(String, EnvSpec, long)}, with the scripted expert's own demonstration noise (in the units the
     * expert documents, see envs/README.md; 0 = noise-free). Ignored for other policies.
     */
    public static Resolved resolve(String spec, EnvSpec env, long seed, double expertNoise) {
        if (spec == null || spec.isBlank() || spec.equals("random")) {
            if (!env.actionSpace().isBounded()) {
                throw new IllegalArgumentException("--policy random needs a bounded action space; " + env.id()
                        + " has an unbounded one");
            }
            return new Resolved(new Collector.UniformPolicy(env, seed, 0), "random");
        }
        if (spec.equals("expert")) {
            return new Resolved(expert(env, seed, expertNoise), expertNoise > 0 ? "expert(noise " + expertNoise + ")"
                    : "expert");
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
        warnIfOtherTask("policy bundle " + bundle, "trained on", bundleEnvId(bundle), env.id());
        Path abs = bundle.toAbsolutePath().normalize();
        String name = abs.getParent() != null && abs.getFileName().toString().equals("bundle")
                ? abs.getParent().getFileName() + "/bundle" : abs.getFileName().toString();
        return new Resolved(p, name);
    }

    /** The env id a bundle's provenance names, or null when it names none (or cannot be read). */
    static String bundleEnvId(Path bundle) {
        try {
            PolicyBundles.Provenance p = PolicyBundles.readSpec(bundle).provenance();
            return p == null ? null : p.envId();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A bundle or dataset whose provenance names another task than the env it is used with fits by its sizes only:
     * one warning line on stderr naming both ids. Dense and sparse variants of one task, and other versions of it,
     * are one family ({@link Envs#sameFamily}): no warning.
     *
     * @return true when it warned
     */
    static boolean warnIfOtherTask(String what, String verb, String recordedEnvId, String envId) {
        if (recordedEnvId == null || recordedEnvId.isBlank() || Envs.sameFamily(recordedEnvId, envId)) {
            return false;
        }
        System.err.println("warning: " + what + " was " + verb + " " + recordedEnvId + ", but is used with " + envId
                + " (the sizes match; the task does not)");
        return true;
    }

    static Policy loadBundle(Path bundle) {
        try {
            return PolicyBundles.load(bundle);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot load policy bundle " + bundle + ": " + e.getMessage());
        }
    }

    /**
     * The env's scripted expert with its own demonstration noise (0 = noise-free), as a {@link Policy} (episode seeds
     * reset its internal choices).
     */
    static Policy expert(EnvSpec env, long seed, double noise) {
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("expert noise must be a finite number >= 0, got " + noise);
        }
        if (!Experts.has(env.id())) {
            throw new IllegalArgumentException("no scripted expert for " + env.id() + "; experts exist for: "
                    + String.join(", ", Experts.ids()));
        }
        return org.armature.agents.ExpertPolicy.of(env, noise, seed);
    }
}
