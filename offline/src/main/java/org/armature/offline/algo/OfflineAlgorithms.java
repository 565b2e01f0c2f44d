package org.armature.offline.algo;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.armature.agents.Learner;
import org.armature.agents.diffusion.DiffusionBc;

/**
 * The offline algorithms by name, each with its CORL configuration for a task (per-task rules included) and its
 * reward transform, so the training loop builds any of them without naming one. A new algorithm adds one entry.
 * {@code --set ALGO.KEY=VALUE} overrides (and {@code --hidden}, IQL's {@code --huber}/{@code --q-ensemble}/
 * {@code --quantile}, which the command turns into overrides) are applied to the config record last.
 */
public final class OfflineAlgorithms {

    /**
     * CORL's reward preprocessing for an algorithm on a task: {@code r' = r · scale · (1000 / return range if
     * returnRangeNormalised) + bias}.
     */
    public record RewardTransform(boolean returnRangeNormalised, double scale, double bias) {
        public static final RewardTransform NONE = new RewardTransform(false, 1.0, 0.0);
    }

    /** How to build one algorithm and what its rewards look like. */
    private record Entry(Factory factory, Function<String, RewardTransform> rewards) {
    }

    @FunctionalInterface
    private interface Factory {
        Learner create(int od, int ad, String envId, long steps, Map<String, String> overrides, long seed);
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = Map.of("td3+bc", "td3bc", "td3_bc", "td3bc");

    static {
        REGISTRY.put("bc", new Entry((od, ad, env, steps, o, seed) ->
                new Bc(od, ad, ConfigOverrides.apply(Bc.Config.corl(), o, "bc"), seed), env -> RewardTransform.NONE));
        REGISTRY.put("td3bc", new Entry((od, ad, env, steps, o, seed) ->
                new Td3Bc(od, ad, ConfigOverrides.apply(Td3Bc.Config.corl(), o, "td3bc"), seed),
                env -> RewardTransform.NONE));
        REGISTRY.put("iql", new Entry((od, ad, env, steps, o, seed) ->
                new Iql(od, ad, ConfigOverrides.apply(Iql.Config.corl(env, steps), o, "iql"), seed),
                Iql.Config::rewardTransform));
        REGISTRY.put("diffusion", new Entry((od, ad, env, steps, o, seed) ->
                new DiffusionBc(od, ad, ConfigOverrides.apply(DiffusionBc.Config.defaults(), o, "diffusion"), steps,
                        seed), env -> RewardTransform.NONE));
        REGISTRY.put("cql", new Entry((od, ad, env, steps, o, seed) ->
                new Cql(od, ad, ConfigOverrides.apply(Cql.Config.corl(), o, "cql"), seed),
                Cql.Config::rewardTransform));
    }

    private OfflineAlgorithms() {
    }

    /** The registered name of {@code algo} (case and the TD3+BC spellings folded); unknown names are an error. */
    public static String canonical(String algo) {
        String a = algo.toLowerCase(Locale.ROOT);
        a = ALIASES.getOrDefault(a, a);
        if (!REGISTRY.containsKey(a)) {
            throw new IllegalArgumentException("unknown --algo '" + algo + "', expected " + String.join(", ",
                    REGISTRY.keySet()));
        }
        return a;
    }

    /**
     * The algorithm with CORL's configuration for {@code envId} (null: the generic one), then {@code overrides}.
     *
     * @param steps the run's gradient steps (IQL's cosine learning-rate schedule spans them)
     */
    public static Learner create(String algo, String envId, int observationDim, int actionDim, long steps,
                                 Map<String, String> overrides, long seed) {
        return REGISTRY.get(canonical(algo)).factory().create(observationDim, actionDim, envId, steps, overrides, seed);
    }

    /** CORL's reward transform of {@code algo} on {@code envId}. */
    public static RewardTransform rewards(String algo, String envId) {
        return REGISTRY.get(canonical(algo)).rewards().apply(envId);
    }

    /** CORL's per-task configs single out Hopper (IQL's actor and τ, CQL's reward normalisation). */
    static boolean isHopper(String envId) {
        return envId != null && envId.toLowerCase(Locale.ROOT).startsWith("hopper");
    }
}
