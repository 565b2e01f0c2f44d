package org.armature.offline.algo;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.armature.agents.AgentState;
import org.armature.nn.Adam;
import org.armature.nn.ParamGroup;
import org.armature.nn.Rng;

/**
 * The checkpoint layout shared by the offline algorithms: a name tag, the algorithm's step counter, its random stream
 * (if it draws during updates), then its parameter groups (targets included) and Adam states in a fixed order. All
 * values are written bit-exactly, so a resumed run continues with the same numbers as an uninterrupted one.
 */
final class AlgorithmState {

    private AlgorithmState() {
    }

    static void write(DataOutputStream out, String name, long step, Rng rng, ParamGroup[] groups, Adam[] optimisers)
            throws IOException {
        out.writeUTF(name);
        out.writeLong(step);
        out.writeBoolean(rng != null);
        if (rng != null) {
            for (long s : rng.state()) {
                out.writeLong(s);
            }
        }
        for (ParamGroup g : groups) {
            AgentState.writeGroup(out, g);
        }
        for (Adam a : optimisers) {
            AgentState.writeAdam(out, a);
        }
    }

    /** Restores what {@link #write} wrote into the same objects; returns the step counter. */
    static long read(DataInputStream in, String name, Rng rng, ParamGroup[] groups, Adam[] optimisers)
            throws IOException {
        String kind = in.readUTF();
        if (!kind.equals(name)) {
            throw new IOException("checkpoint holds a '" + kind + "' algorithm, expected " + name);
        }
        long step = in.readLong();
        boolean hasRng = in.readBoolean();
        if (hasRng != (rng != null)) {
            throw new IOException("checkpoint of " + name + " was written by a different version (random stream "
                    + (hasRng ? "present" : "absent") + ")");
        }
        if (rng != null) {
            rng.restore(new long[]{in.readLong(), in.readLong(), in.readLong()});
        }
        for (ParamGroup g : groups) {
            AgentState.readGroup(in, g);
        }
        for (Adam a : optimisers) {
            AgentState.readAdam(in, a);
        }
        return step;
    }
}
