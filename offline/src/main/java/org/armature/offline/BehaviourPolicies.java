package org.armature.offline;

import org.armature.agents.Policy;
import org.armature.envs.EnvSpec;

/** Resolves the {@code --policy} argument of {@code armature collect}. */
public final class BehaviourPolicies {

    /** A behaviour policy and the name stored in {@code collection_policy}. */
    public record Resolved(Policy policy, String name) {
    }

    private BehaviourPolicies() {
    }

    public static Resolved resolve(String spec, EnvSpec env, long seed) {
        if (spec.equals("random")) {
            return new Resolved(Collector.randomPolicy(env, seed), "random");
        }
        throw new IllegalArgumentException("unknown --policy '" + spec + "' for " + env.id()
                + ": expected random");
    }
}
