package org.armature.offline.data;

import java.nio.file.Path;

import org.armature.agents.data.DatasetMetadata;
import org.armature.envs.Episode;
import org.armature.envs.EpisodeSink;
import org.armature.agents.data.DatasetBuilder;

/**
 * An {@link EpisodeSink} for {@code RecordEpisodes} that writes a D4RL-layout HDF5 file. Episodes are buffered in
 * memory and written on {@link #close()} to a temporary file that is renamed onto the target, so a crash never
 * leaves a half-written file that looks whole. Episodes must come from one env (same dimensions).
 */
public final class Hdf5EpisodeSink implements EpisodeSink {

    private final Path file;
    private final DatasetMetadata metadata;
    private DatasetBuilder builder;
    private boolean closed;

    public Hdf5EpisodeSink(Path file, DatasetMetadata metadata) {
        this.file = file;
        this.metadata = metadata == null ? DatasetMetadata.empty() : metadata;
    }

    @Override
    public synchronized void accept(Episode episode) {
        if (closed) {
            throw new IllegalStateException("sink for " + file + " is closed");
        }
        if (episode.length() == 0) {
            return;
        }
        if (builder == null) {
            builder = new DatasetBuilder(episode.observations()[0].length, episode.actions()[0].length, true);
        }
        builder.add(episode);
    }

    public synchronized int episodes() {
        return builder == null ? 0 : builder.episodes();
    }

    public synchronized int transitions() {
        return builder == null ? 0 : builder.size();
    }

    /** Writes the file (nothing is written when no transition was recorded). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (builder == null || builder.size() == 0) {
            return;
        }
        D4rlHdf5.write(builder.build(metadata), file);
    }
}
