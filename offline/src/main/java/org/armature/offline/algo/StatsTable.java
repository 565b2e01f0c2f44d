package org.armature.offline.algo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The named statistics an offline learner logs: a fixed column order for metrics.csv and a map view. */
final class StatsTable {

    private final String[] names;
    private final Map<String, Double> values = new LinkedHashMap<>();

    StatsTable(String... names) {
        this.names = names.clone();
    }

    void put(String name, double value) {
        values.put(name, value);
    }

    Map<String, Double> map() {
        return Collections.unmodifiableMap(values);
    }

    String[] names() {
        return names.clone();
    }

    /** The values in column order, NaN for those not measured yet. */
    void copyTo(double[] out) {
        for (int i = 0; i < names.length; i++) {
            Double v = values.get(names[i]);
            out[i] = v == null ? Double.NaN : v;
        }
    }
}
