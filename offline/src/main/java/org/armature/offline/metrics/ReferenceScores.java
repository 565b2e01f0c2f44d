package org.armature.offline.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reference returns per task for D4RL-style normalised scores, {@code 100 × (return − random) / (expert − random)},
 * and for TQ. They live in {@code reference-scores.json} next to this class, each with a note saying how it was
 * measured (policy, number of episodes, seeds, command), so they can be re-measured and audited.
 */
public final class ReferenceScores {

    /** @param source how the numbers were obtained (command, policy, episodes, seeds) */
    public record Reference(String envId, double randomReturn, double expertReturn, String source) {

        public double normalise(double episodeReturn) {
            return 100.0 * (episodeReturn - randomReturn) / (expertReturn - randomReturn);
        }

        /** TQ (Schweighofer et al.): normalised mean dataset return, 0 = random, 1 = expert. */
        public double trajectoryQuality(double meanReturn) {
            return (meanReturn - randomReturn) / (expertReturn - randomReturn);
        }
    }

    private static final Map<String, Reference> TABLE = load();

    private ReferenceScores() {
    }

    private static Map<String, Reference> load() {
        try (InputStream in = ReferenceScores.class.getResourceAsStream("reference-scores.json")) {
            if (in == null) {
                return Map.of();
            }
            Map<String, Reference> raw = new ObjectMapper().readValue(in, new TypeReference<Map<String, Reference>>() {
            });
            Map<String, Reference> out = new LinkedHashMap<>();
            raw.forEach((k, v) -> out.put(k, new Reference(k, v.randomReturn(), v.expertReturn(), v.source())));
            return Map.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference-scores.json", e);
        }
    }

    public static Optional<Reference> find(String envId) {
        return Optional.ofNullable(TABLE.get(envId));
    }

    /** The reference for {@code envId}, or an error listing the tasks that have one. */
    public static Reference get(String envId) {
        Reference r = TABLE.get(envId);
        if (r == null) {
            throw new IllegalArgumentException("no reference returns stored for env '" + envId + "' (known: "
                    + String.join(", ", TABLE.keySet()) + "); pass --random-return and --expert-return");
        }
        return r;
    }
}
