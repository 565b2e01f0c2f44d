package org.armature.offline.algo;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.armature.agents.PolicyBundles;

/**
 * {@code --set name=value} for an algorithm's hyperparameter record (as CORL's pyrallis overrides): {@code name} is a
 * record component in camelCase or snake_case ({@code tau}, {@code policy_lr}, {@code deterministic_actor}); values
 * parse as the component's type (int, long, double, boolean). Unknown names and unparsable values fail with the list
 * of valid names.
 */
public final class ConfigOverrides {

    private ConfigOverrides() {
    }

    /** A copy of {@code config} with the named components replaced (the record's canonical constructor validates). */
    public static <R extends Record> R apply(R config, Map<String, String> overrides, String algo) {
        if (overrides == null || overrides.isEmpty()) {
            return config;
        }
        Map<String, Object> current = PolicyBundles.configValues(config, Map.of());
        List<String> names = new ArrayList<>(current.keySet());
        Object[] values = current.values().toArray();
        Class<?>[] types = Arrays.stream(config.getClass().getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            // one key scheme with `armature train`: algorithm keys prefixed by the algorithm (iql.expectile); the
            // bare name (expectile) stays an alias
            String key = o.getKey();
            int dot = key.indexOf('.');
            if (dot > 0) {
                String prefix = key.substring(0, dot);
                if (!prefix.equalsIgnoreCase(algo)) {
                    throw new IllegalArgumentException("--set " + key + ": the key belongs to '" + prefix
                            + "', but this run trains " + algo + " (use " + algo + "." + key.substring(dot + 1) + ")");
                }
                key = key.substring(dot + 1);
            }
            int idx = names.indexOf(PolicyBundles.snakeCase(key));
            if (idx < 0) {
                throw new IllegalArgumentException("--set " + o.getKey() + ": " + algo + " has no hyperparameter '"
                        + o.getKey() + "', expected one of " + String.join(", ", names));
            }
            values[idx] = parse(o.getKey(), o.getValue(), types[idx]);
        }
        return construct(config, values);
    }

    /**
     * A copy of {@code config} with components replaced, given as pairs of camelCase name and value
     * ({@code "steps", 10L, ...}).
     */
    static <R extends Record> R copy(R config, Object... namesAndValues) {
        Map<String, Object> values = PolicyBundles.configValues(config, Map.of());
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put(PolicyBundles.snakeCase((String) namesAndValues[i]), namesAndValues[i + 1]);
        }
        return construct(config, values.values().toArray());
    }

    /** A record of {@code config}'s class from its canonical constructor (whose validation errors pass through). */
    @SuppressWarnings("unchecked")
    private static <R extends Record> R construct(R config, Object[] values) {
        Class<?>[] types = Arrays.stream(config.getClass().getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            Constructor<?> ctor = config.getClass().getDeclaredConstructor(types);
            return (R) ctor.newInstance(values);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IllegalArgumentException iae ? iae : new IllegalArgumentException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(String key, String value, Class<?> type) {
        String v = value.trim();
        if (type == String.class) {
            return v;
        }
        try {
            if (type == int.class) {
                return Integer.parseInt(v);
            }
            if (type == long.class) {
                return Long.parseLong(v);
            }
            if (type == double.class) {
                double d = Double.parseDouble(v);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            }
            if (type == boolean.class) {
                if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(v);
                }
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            String expected = type == boolean.class ? "true or false"
                    : type == double.class ? "a finite number" : "an integer (" + type.getSimpleName() + ")";
            throw new IllegalArgumentException("--set " + key + "=" + value + ": expected " + expected);
        }
        throw new IllegalArgumentException("--set " + key + ": hyperparameter of type " + type.getSimpleName()
                + " cannot be set from the command line");
    }
}
