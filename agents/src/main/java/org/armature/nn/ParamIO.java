package org.armature.nn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameter files ({@code *.params}): bit-exact save and load of named tensors. Layout, all little-endian:
 * <pre>
 *   8 bytes  magic "ARMPARAM"
 *   int32    format version (1)
 *   int32    bytes per value (4 = IEEE-754 float32, 8 = float64)
 *   int32    tensor count
 *   per tensor: int32 name length, UTF-8 name, int32 rows, int32 cols
 *   then the values of every tensor in order, row-major
 * </pre>
 * Files are written to a temporary sibling and renamed, so a crash never leaves a half-written file.
 * {@link #readFloat(Path)} needs no ND4J (bundles load without the tensor backend).
 */
public final class ParamIO {

    private static final byte[] MAGIC = "ARMPARAM".getBytes(StandardCharsets.US_ASCII);

    private ParamIO() {
    }

    /** A named tensor read from a file. */
    public record Tensor(String name, int rows, int cols, float[] floats, double[] doubles) {
    }

    public static void write(Path file, List<Param> params) throws IOException {
        boolean dbl = params.get(0).value().isDouble();
        int width = dbl ? 8 : 4;
        long bytes = 20;
        for (Param p : params) {
            bytes += 12 + p.name().getBytes(StandardCharsets.UTF_8).length + (long) p.size() * width;
        }
        ByteBuffer bb = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC).putInt(1).putInt(width).putInt(params.size());
        for (Param p : params) {
            byte[] name = p.name().getBytes(StandardCharsets.UTF_8);
            bb.putInt(name.length).put(name).putInt(p.rows()).putInt(p.cols());
        }
        for (Param p : params) {
            Mat m = p.value().toHost();
            if (m.isDouble() != dbl) {
                throw new IllegalArgumentException("mixed dtypes in one parameter file");
            }
            int n = p.size();
            for (int i = 0; i < n; i++) {
                if (dbl) {
                    bb.putDouble(m.get(i));
                } else {
                    bb.putFloat((float) m.get(i));
                }
            }
        }
        writeAtomically(file, bb.array());
    }

    /**
     * Writes bytes to {@code file} through a temporary sibling and an atomic rename, with the usual permissions
     * ({@link org.armature.sim.AtomicFiles}).
     */
    public static void writeAtomically(Path file, byte[] data) throws IOException {
        org.armature.sim.AtomicFiles.write(file, data);
    }

    /** Deletes a file or directory tree (no-op when absent). */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    /** Reads a parameter file (any width) as named tensors. */
    public static List<Tensor> read(Path file) throws IOException {
        byte[] all;
        try (InputStream in = Files.newInputStream(file)) {
            all = in.readAllBytes();
        }
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < 8) {
            throw new IOException(file + ": not an Armature parameter file (" + all.length + " bytes)");
        }
        try {
            byte[] magic = new byte[8];
            bb.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not an Armature parameter file (bad magic)");
            }
            int version = bb.getInt();
            if (version != 1) {
                throw new IOException(file + ": unsupported parameter file version " + version + ", expected 1");
            }
            int width = bb.getInt();
            if (width != 4 && width != 8) {
                throw new IOException(file + ": bad value width " + width);
            }
            int count = bb.getInt();
            String[] names = new String[count];
            int[] rows = new int[count];
            int[] cols = new int[count];
            for (int i = 0; i < count; i++) {
                byte[] nb = new byte[bb.getInt()];
                bb.get(nb);
                names[i] = new String(nb, StandardCharsets.UTF_8);
                rows[i] = bb.getInt();
                cols[i] = bb.getInt();
            }
            List<Tensor> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = Math.multiplyExact(rows[i], cols[i]);
                if (width == 4) {
                    float[] f = new float[n];
                    bb.asFloatBuffer().get(f);
                    bb.position(bb.position() + 4 * n);
                    out.add(new Tensor(names[i], rows[i], cols[i], f, null));
                } else {
                    double[] d = new double[n];
                    bb.asDoubleBuffer().get(d);
                    bb.position(bb.position() + 8 * n);
                    out.add(new Tensor(names[i], rows[i], cols[i], null, d));
                }
            }
            if (bb.hasRemaining()) {
                throw new IOException(file + ": " + bb.remaining() + " unexpected trailing bytes");
            }
            return out;
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException | ArithmeticException e) {
            throw new IOException(file + ": truncated or corrupt parameter file");
        }
    }

    /** Reads a float32 parameter file as float arrays (no ND4J needed). */
    public static List<float[]> readFloat(Path file) throws IOException {
        List<float[]> out = new ArrayList<>();
        for (Tensor t : read(file)) {
            if (t.floats() == null) {
                float[] f = new float[t.doubles().length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) t.doubles()[i];
                }
                out.add(f);
            } else {
                out.add(t.floats());
            }
        }
        return out;
    }

    /** Loads values into {@code params}: names, shapes and count must match exactly. */
    public static void load(Path file, List<Param> params) throws IOException {
        List<Tensor> ts = read(file);
        if (ts.size() != params.size()) {
            throw new IOException(file + ": has " + ts.size() + " tensors, the network has " + params.size());
        }
        for (int i = 0; i < ts.size(); i++) {
            Tensor t = ts.get(i);
            Param p = params.get(i);
            if (t.rows() != p.rows() || t.cols() != p.cols()) {
                throw new IOException(file + ": tensor " + i + " (" + t.name() + ") is " + t.rows() + "x" + t.cols()
                        + ", the network expects " + p.rows() + "x" + p.cols());
            }
            if (t.floats() != null) {
                p.value().setAll(t.floats());
            } else {
                p.value().setAll(t.doubles());
            }
        }
    }
}
