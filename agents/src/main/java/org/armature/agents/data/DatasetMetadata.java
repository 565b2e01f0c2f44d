package org.armature.agents.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Provenance of a dataset, stored as HDF5 attributes on the file's root group.
 *
 * @param envId             registered env id the data came from ({@code env_id}); null when unknown
 * @param collectionPolicy  what produced the actions, e.g. {@code random}, {@code expert}, {@code bundle:runs/x},
 *                          {@code replay:runs/x}, {@code mix(...)} ({@code collection_policy})
 * @param collectionSeed    the seed given to the collector ({@code collection_seed}); null when unknown
 * @param episodeResetSeeds per episode, the seed passed to {@code env.reset(seed)}, so an episode can be replayed;
 *                          -1 where the episode continued the env's random stream ({@code episode_reset_seeds});
 *                          null when unknown
 * @param armatureVersion   version of Armature that wrote the file ({@code armature_version})
 * @param extra             any other root attributes, as strings (kept on read, written back on write)
 */
public record DatasetMetadata(String envId, String collectionPolicy, Long collectionSeed, long[] episodeResetSeeds,
                              String armatureVersion, Map<String, String> extra) {

    public static final String ENV_ID = "env_id";
    public static final String COLLECTION_POLICY = "collection_policy";
    public static final String COLLECTION_SEED = "collection_seed";
    public static final String EPISODE_RESET_SEEDS = "episode_reset_seeds";
    public static final String ARMATURE_VERSION = "armature_version";
    /** Marker for an episode that was not started with an explicit seed. */
    public static final long NO_SEED = -1L;

    public DatasetMetadata {
        extra = extra == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(extra));
    }

    public static DatasetMetadata of(String envId, String collectionPolicy, Long collectionSeed, long[] episodeSeeds) {
        return new DatasetMetadata(envId, collectionPolicy, collectionSeed, episodeSeeds, currentVersion(), Map.of());
    }

    public static DatasetMetadata empty() {
        return new DatasetMetadata(null, null, null, null, null, Map.of());
    }

    public DatasetMetadata withExtra(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(extra);
        m.put(key, value);
        return new DatasetMetadata(envId, collectionPolicy, collectionSeed, episodeResetSeeds, armatureVersion, m);
    }

    public DatasetMetadata withEpisodeResetSeeds(long[] seeds) {
        return new DatasetMetadata(envId, collectionPolicy, collectionSeed, seeds, armatureVersion, extra);
    }

    public DatasetMetadata withArmatureVersion(String version) {
        return new DatasetMetadata(envId, collectionPolicy, collectionSeed, episodeResetSeeds, version, extra);
    }

    /** The version of this build of Armature (the Maven project version). */
    public static String currentVersion() {
        return org.armature.train.RunInfo.armatureVersion();
    }
}
