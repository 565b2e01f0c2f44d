package org.armature.envs;

/** Receives finished episodes (datasets, statistics, viewers). Implementations decide where they go. */
public interface EpisodeSink extends AutoCloseable {

    void accept(Episode episode);

    /** Flushes and finalises whatever the sink writes. */
    @Override
    default void close() {
    }
}
