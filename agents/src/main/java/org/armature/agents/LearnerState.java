package org.armature.agents;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.armature.nn.Adam;
import org.armature.nn.Mat;
import org.armature.nn.ParamGroup;
import org.armature.nn.Rng;

/**
 * The one checkpoint mechanism of every {@link Learner}: the learner declares, in a fixed order, its update counter,
 * random streams, parameter groups (target networks included) and optimisers, and this class writes and reads them
 * bit-exactly, so a resumed run continues with the same numbers as an uninterrupted one.
 *
 * <pre>
 *   state = LearnerState.of("td3", () -&gt; updates, n -&gt; updates = n)
 *           .streams(rng).params(actor, actorTarget, critics, criticTargets).optimisers(actorOpt, criticOpt)
 *           .onRestore(actor::weightsChanged);
 * </pre>
 */
public final class LearnerState {

    private static final String MAGIC = "armature-learner-state-v2";
    private static final String POLICY_MAGIC = "armature-policy-weights-v1";

    private final String algo;
    private final LongSupplier counter;
    private final LongConsumer setCounter;
    private final List<Rng> streams = new ArrayList<>();
    private final List<ParamGroup> groups = new ArrayList<>();
    private final List<Adam> optimisers = new ArrayList<>();
    private final List<ParamGroup> policy = new ArrayList<>();
    private Runnable onRestore = () -> { };

    private LearnerState(String algo, LongSupplier counter, LongConsumer setCounter) {
        this.algo = algo;
        this.counter = counter;
        this.setCounter = setCounter;
    }

    /** A state tagged {@code algo} whose update counter is read and restored through the two functions. */
    public static LearnerState of(String algo, LongSupplier counter, LongConsumer setCounter) {
        return new LearnerState(algo, counter, setCounter);
    }

    public LearnerState streams(Rng... rngs) {
        streams.addAll(List.of(rngs));
        return this;
    }

    public LearnerState params(ParamGroup... g) {
        groups.addAll(List.of(g));
        return this;
    }

    /**
     * Declares the groups an acting copy of the learner needs ({@code explore} and {@code act}: the actor, not the
     * critics or optimisers), also listed in {@link #params}. Remote rollout workers receive only these.
     */
    public LearnerState policy(ParamGroup... g) {
        policy.addAll(List.of(g));
        return this;
    }

    /** The acting groups only (see {@link #policy}), for a rollout worker's copy of the learner. */
    public void writePolicy(DataOutputStream out) throws IOException {
        if (policy.isEmpty()) {
            throw new IllegalStateException(algo + " declares no policy parameters; it cannot act on rollout workers");
        }
        out.writeUTF(POLICY_MAGIC);
        out.writeUTF(algo);
        out.writeInt(policy.size());
        for (ParamGroup g : policy) {
            writeGroup(out, g);
        }
    }

    /** Reads what {@link #writePolicy} wrote into the same groups of a learner built with the same config. */
    public void readPolicy(DataInputStream in) throws IOException {
        String magic = in.readUTF();
        if (!magic.equals(POLICY_MAGIC)) {
            throw new IOException("not policy weights of this Armature version ('" + magic + "', expected '"
                    + POLICY_MAGIC + "')");
        }
        String kind = in.readUTF();
        if (!kind.equals(algo)) {
            throw new IOException("the policy weights are of a '" + kind + "' learner, expected " + algo);
        }
        expect(in.readInt(), policy.size(), "policy parameter groups");
        for (ParamGroup g : policy) {
            readGroup(in, g);
        }
        onRestore.run();
    }

    public LearnerState optimisers(Adam... a) {
        optimisers.addAll(List.of(a));
        return this;
    }

    /** Runs after a successful {@link #read} (e.g. to mark inference copies of the weights stale). */
    public LearnerState onRestore(Runnable r) {
        this.onRestore = r;
        return this;
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeUTF(algo);
        out.writeLong(counter.getAsLong());
        out.writeInt(streams.size());
        for (Rng r : streams) {
            for (long s : r.state()) {
                out.writeLong(s);
            }
        }
        out.writeInt(groups.size());
        for (ParamGroup g : groups) {
            writeGroup(out, g);
        }
        out.writeInt(optimisers.size());
        for (Adam a : optimisers) {
            writeAdam(out, a);
        }
    }

    /** Restores what {@link #write} wrote into the same objects of a learner built with the same config. */
    public void read(DataInputStream in) throws IOException {
        String magic = in.readUTF();
        if (!magic.equals(MAGIC)) {
            throw new IOException("the learner state was written by an older Armature ('" + magic + "', expected '"
                    + MAGIC + "'); it cannot be resumed");
        }
        String kind = in.readUTF();
        if (!kind.equals(algo)) {
            throw new IOException("the checkpoint holds a '" + kind + "' learner, expected " + algo);
        }
        long n = in.readLong();
        expect(in.readInt(), streams.size(), "random streams");
        for (Rng r : streams) {
            r.restore(new long[]{in.readLong(), in.readLong(), in.readLong()});
        }
        expect(in.readInt(), groups.size(), "parameter groups");
        for (ParamGroup g : groups) {
            readGroup(in, g);
        }
        expect(in.readInt(), optimisers.size(), "optimisers");
        for (Adam a : optimisers) {
            readAdam(in, a);
        }
        setCounter.accept(n);
        onRestore.run();
    }

    private void expect(int found, int expected, String what) throws IOException {
        if (found != expected) {
            throw new IOException("the checkpoint's " + algo + " state has " + found + " " + what + ", this build has "
                    + expected + " (written by another version or config)");
        }
    }

    /** Bit-exact binary (de)serialisation of parameter groups and optimiser states. */
    private static void writeGroup(DataOutputStream out, ParamGroup g) throws IOException {
        Mat v = g.values().toHost();
        int n = g.size();
        out.writeInt(n);
        out.writeBoolean(v.isDouble());
        for (int i = 0; i < n; i++) {
            if (v.isDouble()) {
                out.writeLong(Double.doubleToRawLongBits(v.get(i)));
            } else {
                out.writeInt(Float.floatToRawIntBits((float) v.get(i)));
            }
        }
    }

    private static void readGroup(DataInputStream in, ParamGroup g) throws IOException {
        int n = in.readInt();
        boolean dbl = in.readBoolean();
        if (n != g.size() || dbl != g.values().isDouble()) {
            throw new IOException("checkpoint parameter group has " + n + " values, the network has " + g.size());
        }
        Mat v = g.values().toHost();
        for (int i = 0; i < n; i++) {
            v.set(i, dbl ? Double.longBitsToDouble(in.readLong()) : Float.intBitsToFloat(in.readInt()));
        }
        v.hostWritten();
    }

    private static void writeAdam(DataOutputStream out, Adam a) throws IOException {
        Adam.State s = a.state();
        out.writeLong(s.t());
        out.writeInt(s.m().length);
        for (double x : s.m()) {
            out.writeLong(Double.doubleToRawLongBits(x));
        }
        for (double x : s.v()) {
            out.writeLong(Double.doubleToRawLongBits(x));
        }
    }

    private static void readAdam(DataInputStream in, Adam a) throws IOException {
        long t = in.readLong();
        int n = in.readInt();
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            m[i] = Double.longBitsToDouble(in.readLong());
        }
        for (int i = 0; i < n; i++) {
            v[i] = Double.longBitsToDouble(in.readLong());
        }
        a.restore(new Adam.State(m, v, t));
    }
}
