package org.armature.cluster;

import java.io.Serializable;

/** What a collection job sends back: its shard's dataset file, or why it failed. A plain class for Ignite. */
public final class CollectShard implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int firstEpisode;
    public final int episodes;
    public final String member;
    public final int exitCode;
    /** The shard's D4RL file; null when the child failed or kept no episode (--success-only). */
    public final byte[] dataset;
    public final String error;

    CollectShard(int firstEpisode, int episodes, String member, int exitCode, byte[] dataset, String error) {
        this.firstEpisode = firstEpisode;
        this.episodes = episodes;
        this.member = member;
        this.exitCode = exitCode;
        this.dataset = dataset;
        this.error = error;
    }
}
