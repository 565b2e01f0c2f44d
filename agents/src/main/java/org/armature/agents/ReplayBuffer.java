package org.armature.agents;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.armature.nn.Mat;
import org.armature.nn.Rng;

/**
 * Ring-buffer experience replay in preallocated primitive arrays (no per-transition objects).
 *
 * <p>Per transition: observation, action, reward, next observation (the true final observation at a time-out,
 * so time-outs bootstrap) and two flags, {@code terminated} (do not bootstrap) and {@code episodeEnd}
 * (terminated or truncated: n-step returns stop here). Optional named extra arrays (e.g. {@code base_action}) are
 * stored alongside. An extra whose name starts with {@value #NEXT} holds the value at the transition's next state
 * ({@code next_base_action}: a base policy's action at s'); a batch row with an n-step
 * return takes it from the transition it bootstraps from, so it belongs to s_{t+n}, like the next observation. Memory: {@code 4 * (2 * obsDim + actDim + 1 + extras) + 1} bytes per
 * transition (HalfCheetah, 1M transitions: 165 MB).
 *
 * <p>Transitions from {@code numStreams} parallel environments are added round-robin (stream i at global index
 * {@code t * numStreams + i}), so the next transition of the same episode is {@code numStreams} later; n-step
 * returns follow that stride.
 */
public final class ReplayBuffer {

    /** Prefix of extras that belong to the next state (filled from the bootstrap transition of an n-step row). */
    public static final String NEXT = "next_";
    private static final byte TERMINATED = 1;
    private static final byte EPISODE_END = 2;

    private final int capacity;
    private final int obsDim;
    private final int actDim;
    private final int numStreams;
    private final float[] obs;
    private final float[] nextObs;
    private final float[] actions;
    private final float[] rewards;
    private final byte[] flags;
    private final Map<String, float[]> extras = new LinkedHashMap<>();
    private final Map<String, Integer> extraWidths = new LinkedHashMap<>();
    private long total;

    public ReplayBuffer(int capacity, int obsDim, int actDim) {
        this(capacity, obsDim, actDim, 1, Map.of());
    }

    /** @param extraWidths named extra per-transition arrays and their widths (e.g. {@code base_action -> actDim}) */
    public ReplayBuffer(int capacity, int obsDim, int actDim, int numStreams, Map<String, Integer> extraWidths) {
        if (capacity <= 0 || obsDim <= 0 || actDim <= 0 || numStreams <= 0) {
            throw new IllegalArgumentException("replay buffer sizes must be positive (capacity " + capacity + ", obs "
                    + obsDim + ", act " + actDim + ", streams " + numStreams + ")");
        }
        this.capacity = capacity;
        this.obsDim = obsDim;
        this.actDim = actDim;
        this.numStreams = numStreams;
        this.obs = new float[Math.multiplyExact(capacity, obsDim)];
        this.nextObs = new float[Math.multiplyExact(capacity, obsDim)];
        this.actions = new float[Math.multiplyExact(capacity, actDim)];
        this.rewards = new float[capacity];
        this.flags = new byte[capacity];
        extraWidths.forEach((k, w) -> {
            this.extraWidths.put(k, w);
            this.extras.put(k, new float[Math.multiplyExact(capacity, w)]);
        });
    }

    /** Bytes held by the arrays of a buffer with these dimensions (two observations, action, reward, flags). */
    public static long bytesFor(long capacity, int obsDim, int actDim, int extraFloats) {
        return capacity * (4L * (2L * obsDim + actDim + 1 + extraFloats) + 1);
    }

    public int capacity() {
        return capacity;
    }

    public int observationDim() {
        return obsDim;
    }

    public int actionDim() {
        return actDim;
    }

    /** Transitions currently stored. */
    public int size() {
        return (int) Math.min(total, capacity);
    }

    /** Transitions ever added. */
    public long totalAdded() {
        return total;
    }

    /**
     * Marks the newest transition of every stream as an episode end (a truncation: bootstrapping still allowed),
     * for when the environments' unfinished episodes will not be continued (resuming a vector run).
     */
    public void closeOpenEpisodes() {
        for (long i = Math.max(oldestIndex(), total - numStreams); i < total; i++) {
            int s = (int) (i % capacity);
            flags[s] |= EPISODE_END;
        }
    }

    /** Parallel environments whose transitions are interleaved (see the class comment). */
    public int streams() {
        return numStreams;
    }

    /** Global index of the oldest transition still stored (transitions ever added minus those overwritten). */
    public long oldestIndex() {
        return Math.max(0, total - capacity);
    }

    // Read-only access by global index (oldestIndex() <= i < totalAdded()), for exporting the buffer as a dataset.

    public void observation(long i, float[] out) {
        System.arraycopy(obs, slot(i) * obsDim, out, 0, obsDim);
    }

    public void nextObservation(long i, float[] out) {
        System.arraycopy(nextObs, slot(i) * obsDim, out, 0, obsDim);
    }

    public void action(long i, float[] out) {
        System.arraycopy(actions, slot(i) * actDim, out, 0, actDim);
    }

    public float reward(long i) {
        return rewards[slot(i)];
    }

    /** The episode ended in a terminal state (no bootstrapping). */
    public boolean terminated(long i) {
        return (flags[slot(i)] & TERMINATED) != 0;
    }

    /** The episode ended here (terminated or truncated). */
    public boolean episodeEnd(long i) {
        return (flags[slot(i)] & EPISODE_END) != 0;
    }

    private int slot(long i) {
        if (i < oldestIndex() || i >= total) {
            throw new IndexOutOfBoundsException("transition " + i + " is not stored (stored: " + oldestIndex() + ".."
                    + (total - 1) + ")");
        }
        return (int) (i % capacity);
    }

    /**
     * Stores one transition and returns its slot (for {@link #putExtra}).
     *
     * @param nextObservation the observation after the step: for a time-out, the true final observation (not the
     *                        reset observation of the next episode)
     */
    public int add(float[] observation, float[] action, double reward, float[] nextObservation, boolean terminated,
                   boolean truncated) {
        int s = (int) (total % capacity);
        System.arraycopy(observation, 0, obs, s * obsDim, obsDim);
        System.arraycopy(nextObservation, 0, nextObs, s * obsDim, obsDim);
        System.arraycopy(action, 0, actions, s * actDim, actDim);
        rewards[s] = (float) reward;
        flags[s] = (byte) ((terminated ? TERMINATED : 0) | (terminated || truncated ? EPISODE_END : 0));
        total++;
        return s;
    }

    public void putExtra(int slot, String name, float[] values) {
        float[] a = extras.get(name);
        if (a == null) {
            throw new IllegalArgumentException("replay buffer has no extra array '" + name + "'; it has "
                    + extraWidths.keySet());
        }
        int w = extraWidths.get(name);
        System.arraycopy(values, 0, a, slot * w, w);
    }

    /** A uniform sampler with {@code nStep}-step returns (1 = ordinary one-step TD targets). */
    public Sampler sampler(int nStep, double gamma) {
        if (nStep < 1) {
            throw new IllegalArgumentException("n-step must be >= 1, got " + nStep);
        }
        return new Sampler() {
            @Override
            public void sample(Batch batch, Rng rng) {
                fill(batch, rng, nStep, gamma);
            }

            @Override
            public long size() {
                return ReplayBuffer.this.size();
            }
        };
    }

    private void fill(Batch b, Rng rng, int nStep, double gamma) {
        int n = size();
        if (n == 0) {
            throw new IllegalStateException("cannot sample from an empty replay buffer");
        }
        b.toHost();
        long oldest = total - n;
        for (int i = 0; i < b.size; i++) {
            fillRow(b, i, oldest + rng.nextInt(n), nStep, gamma);
        }
        b.hostWritten();
    }

    /** Writes transition {@code g} (global index) with its n-step return into row {@code i} of the batch. */
    void fillRow(Batch b, int i, long g, int nStep, double gamma) {
        int s = (int) (g % capacity);
        b.observations.put(i * obsDim, obs, s * obsDim, obsDim);
        b.actions.put(i * actDim, actions, s * actDim, actDim);
        double ret = 0;
        double disc = 1;
        long j = g;
        int sj = s;
        for (int k = 0; ; k++) {
            ret += disc * rewards[sj];
            disc *= gamma;
            if ((flags[sj] & EPISODE_END) != 0 || k == nStep - 1 || j + numStreams >= total) {
                break;
            }
            j += numStreams;
            sj = (int) (j % capacity);
        }
        b.rewards.set(i, ret);
        b.nextObservations.put(i * obsDim, nextObs, sj * obsDim, obsDim);
        b.discounts.set(i, (flags[sj] & TERMINATED) != 0 ? 0.0 : disc);
        for (Map.Entry<String, Mat> e : b.extras().entrySet()) {
            float[] src = extras.get(e.getKey());
            if (src == null) {
                throw new IllegalStateException("batch asks for extra '" + e.getKey() + "' the buffer lacks");
            }
            int w = extraWidths.get(e.getKey());
            int from = e.getKey().startsWith(NEXT) ? sj : s; // values at s_{t+n} come from the bootstrap transition
            e.getValue().put(i * w, src, from * w, w);
            e.getValue().hostWritten();
        }
    }

    /** Writes the whole state (checkpoints). */
    public void write(DataOutputStream out) throws IOException {
        out.writeInt(capacity);
        out.writeInt(obsDim);
        out.writeInt(actDim);
        out.writeInt(numStreams);
        out.writeLong(total);
        int n = size();
        writeFloats(out, obs, n * obsDim);
        writeFloats(out, nextObs, n * obsDim);
        writeFloats(out, actions, n * actDim);
        writeFloats(out, rewards, n);
        out.write(flags, 0, n);
        out.writeInt(extras.size());
        for (Map.Entry<String, float[]> e : extras.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(extraWidths.get(e.getKey()));
            writeFloats(out, e.getValue(), n * extraWidths.get(e.getKey()));
        }
    }

    /** Restores a state written by {@link #write} into a buffer of the same shape. */
    public void read(DataInputStream in) throws IOException {
        int c = in.readInt();
        int od = in.readInt();
        int ad = in.readInt();
        int ns = in.readInt();
        if (c != capacity || od != obsDim || ad != actDim || ns != numStreams) {
            throw new IOException("replay checkpoint has shape capacity " + c + " obs " + od + " act " + ad
                    + " streams " + ns + ", the buffer has " + capacity + "/" + obsDim + "/" + actDim + "/" + numStreams);
        }
        total = in.readLong();
        int n = size();
        readFloats(in, obs, n * obsDim);
        readFloats(in, nextObs, n * obsDim);
        readFloats(in, actions, n * actDim);
        readFloats(in, rewards, n);
        in.readFully(flags, 0, n);
        int ne = in.readInt();
        for (int i = 0; i < ne; i++) {
            String name = in.readUTF();
            int w = in.readInt();
            float[] a = extras.get(name);
            if (a == null || extraWidths.get(name) != w) {
                throw new IOException("replay checkpoint has extra '" + name + "' the buffer lacks");
            }
            readFloats(in, a, n * w);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a, int n) throws IOException {
        byte[] buf = new byte[8192];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(a[i]);
            buf[k++] = (byte) (bits >>> 24);
            buf[k++] = (byte) (bits >>> 16);
            buf[k++] = (byte) (bits >>> 8);
            buf[k++] = (byte) bits;
            if (k == buf.length) {
                out.write(buf, 0, k);
                k = 0;
            }
        }
        out.write(buf, 0, k);
    }

    private static void readFloats(DataInputStream in, float[] a, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            a[i] = Float.intBitsToFloat(in.readInt());
        }
    }
}
