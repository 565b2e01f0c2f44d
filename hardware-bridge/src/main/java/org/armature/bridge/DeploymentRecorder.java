package org.armature.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.armature.offline.data.D4rlHdf5;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;

/**
 * Records a deployment as a D4RL-layout dataset, one row per policy decision: {@code observations}, {@code actions}
 * (the commands actually sent after the safety layer, mapped back to the action space), {@code rewards} (from the
 * link; 0 where it has none, with {@code infos/reward_present} false), {@code terminals} (false: a deployment
 * never reaches a task terminal it knows of) and {@code timeouts} (true on the last row), plus
 * {@code infos/raw_actions} (the policy's actions before the safety layer), {@code infos/timestamps_s} (receive time
 * of the state, seconds since the first row), {@code infos/clipped_commands} (commands of the interval changed by
 * a safety limit) and {@code infos/stop_reason} (0, or on the last row 1 + the {@link StopReason} ordinal).
 *
 * <p>The loop thread copies each row into a preallocated ring (no allocation, no blocking; rows that find the ring
 * full are counted as lost). A flusher thread writes whatever has accumulated as a segment file
 * {@code FILE.segments/segment-NNNNNN.h5} at least every second (each written to a temporary file and renamed), so
 * a killed deployment keeps everything up to its last second. {@link #close} writes the last segment and merges
 * all of them into {@code FILE}; {@link #recover} does the same for the segments a killed run left behind.
 */
public final class DeploymentRecorder implements DecisionSink, AutoCloseable {

    public static final String SEGMENTS_SUFFIX = ".segments";
    static final int CAPACITY = 16_384;
    static final long FLUSH_NANOS = 500_000_000L;

    private final Path file;
    private final Path segments;
    private final int obsDim;
    private final int actDim;
    private final DatasetMetadata metadata;
    private final float[][] obs;
    private final float[][] act;
    private final float[][] raw;
    private final double[] reward;
    private final long[] time;
    private final int[] clipped;
    private final int[] stop;
    private volatile long written;
    private long flushed;
    private volatile long flushedPublished;
    private long firstNanos = Long.MIN_VALUE;
    private int segmentIndex;
    private final AtomicLong lost = new AtomicLong();
    private volatile boolean closed;
    private final Thread flusher;
    private volatile IOException flushError;

    public DeploymentRecorder(Path file, int obsDim, int actDim, DatasetMetadata metadata) throws IOException {
        this.file = file.toAbsolutePath();
        this.segments = segmentsDir(this.file);
        if (Files.exists(segments)) {
            throw new IOException(segments + " holds an unfinished recording; run `armature dataset recover "
                    + file + "` first");
        }
        Files.createDirectories(segments);
        this.obsDim = obsDim;
        this.actDim = actDim;
        this.metadata = metadata;
        obs = new float[CAPACITY][obsDim];
        act = new float[CAPACITY][actDim];
        raw = new float[CAPACITY][actDim];
        reward = new double[CAPACITY];
        time = new long[CAPACITY];
        clipped = new int[CAPACITY];
        stop = new int[CAPACITY];
        flusher = new Thread(this::flushLoop, "armature-recorder");
        flusher.setDaemon(true);
        flusher.start();
    }

    public static Path segmentsDir(Path file) {
        Path abs = file.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + SEGMENTS_SUFFIX);
    }

    @Override
    public void onDecision(long timeNanos, float[] observation, float[] rawAction, float[] sentAction,
                           double rewardValue, int clippedTicks, int stopReason) {
        long w = written;
        if (w - flushedPublished >= CAPACITY) {
            lost.incrementAndGet();
            return;
        }
        int i = (int) (w % CAPACITY);
        System.arraycopy(observation, 0, obs[i], 0, obsDim);
        System.arraycopy(sentAction, 0, act[i], 0, actDim);
        System.arraycopy(rawAction, 0, raw[i], 0, actDim);
        reward[i] = rewardValue;
        time[i] = timeNanos;
        clipped[i] = clippedTicks;
        stop[i] = stopReason;
        written = w + 1; // volatile write publishes the row
    }

    public long lostRows() {
        return lost.get();
    }

    public long rows() {
        return written;
    }

    private void flushLoop() {
        while (!closed) {
            LockSupport.parkNanos(FLUSH_NANOS);
            try {
                flush();
            } catch (IOException | UncheckedIOException e) {
                flushError = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
            }
        }
    }

    /** Writes the rows since the last flush as a segment (flusher thread, or close after it stopped). */
    private synchronized void flush() throws IOException {
        long w = written;
        int n = (int) (w - flushed);
        if (n <= 0) {
            return;
        }
        float[] o = new float[n * obsDim];
        float[] a = new float[n * actDim];
        float[] r = new float[n];
        boolean[] term = new boolean[n];
        boolean[] timeouts = new boolean[n];
        float[][] rawRows = new float[n][];
        double[] ts = new double[n];
        boolean[] present = new boolean[n];
        int[] clip = new int[n];
        int[] stopCol = new int[n];
        for (int k = 0; k < n; k++) {
            int i = (int) ((flushed + k) % CAPACITY);
            System.arraycopy(obs[i], 0, o, k * obsDim, obsDim);
            System.arraycopy(act[i], 0, a, k * actDim, actDim);
            rawRows[k] = raw[i].clone();
            present[k] = !Double.isNaN(reward[i]);
            r[k] = present[k] ? (float) reward[i] : 0f;
            if (firstNanos == Long.MIN_VALUE) {
                firstNanos = time[i];
            }
            ts[k] = (time[i] - firstNanos) / 1e9;
            clip[k] = clipped[i];
            stopCol[k] = stop[i];
            timeouts[k] = stop[i] != 0;
        }
        Map<String, Object> infos = new LinkedHashMap<>();
        infos.put("raw_actions", rawRows);
        infos.put("timestamps_s", ts);
        infos.put("reward_present", present);
        infos.put("clipped_commands", clip);
        infos.put("stop_reason", stopCol);
        OfflineDataset d = new OfflineDataset(obsDim, actDim, o, a, r, term, timeouts, null, infos, metadata);
        segmentIndex++;
        D4rlHdf5.write(d, segments.resolve(String.format("segment-%06d.h5", segmentIndex)));
        flushed = w;
        flushedPublished = w;
    }

    /** Stops the flusher, writes the last rows and merges the segments into the file; returns the rows written. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(flusher);
        try {
            flusher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
        if (flushError != null) {
            throw flushError;
        }
        recover(file);
    }

    /**
     * Merges the segments of {@code file} (left by a killed deployment, or by {@link #close}) into {@code file} and
     * removes them; returns the merged dataset, or null when there were no segments.
     */
    public static OfflineDataset recover(Path file) throws IOException {
        Path dir = segmentsDir(file);
        if (!Files.isDirectory(dir)) {
            return null;
        }
        java.util.List<Path> parts;
        try (var s = Files.list(dir)) {
            parts = s.filter(p -> p.getFileName().toString().matches("segment-\\d+\\.h5")).sorted().toList();
        }
        if (parts.isEmpty()) {
            deleteDir(dir);
            return null;
        }
        java.util.List<OfflineDataset> data = new java.util.ArrayList<>();
        for (Path p : parts) {
            data.add(D4rlHdf5.read(p));
        }
        OfflineDataset merged = OfflineDataset.concat(data, data.get(0).metadata());
        // concat marks each part's last row as a timeout; a deployment's only boundary is its real end
        boolean[] timeouts = new boolean[merged.size()];
        int j = 0;
        for (OfflineDataset d : data) {
            System.arraycopy(d.timeouts(), 0, timeouts, j, d.size());
            j += d.size();
        }
        timeouts[timeouts.length - 1] = true; // a killed run ends here too
        OfflineDataset out = new OfflineDataset(merged.observationDim(), merged.actionDim(), merged.observations(),
                merged.actions(), merged.rewards(), merged.terminals(), timeouts, null, merged.infos(),
                merged.metadata());
        D4rlHdf5.write(out, file);
        deleteDir(dir);
        return out;
    }

    private static void deleteDir(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }
}
