package org.armature.agents;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.armature.nn.Adam;
import org.armature.nn.Mat;
import org.armature.nn.ParamGroup;

/** Bit-exact binary (de)serialisation of parameter groups and optimiser states for checkpoints. */
public final class AgentState {

    private AgentState() {
    }

    public static void writeGroup(DataOutputStream out, ParamGroup g) throws IOException {
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

    public static void readGroup(DataInputStream in, ParamGroup g) throws IOException {
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

    public static void writeAdam(DataOutputStream out, Adam a) throws IOException {
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

    public static void readAdam(DataInputStream in, Adam a) throws IOException {
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
