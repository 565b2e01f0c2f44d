package org.armature.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.armature.agents.Learner;
import org.armature.nn.ParamIO;
import org.armature.nn.Rng;
import org.armature.sim.AtomicFiles;

/**
 * The one writer of training run directories, online and offline:
 * <pre>
 *   config.json               resolved configuration (every default filled in), seed
 *   versions.json             Armature, Java and library versions, git commit
 *   metrics.csv               training statistics (first column: the step)
 *   eval.csv                  evaluations (offline runs; online runs keep them in metrics.csv)
 *   checkpoints/latest.ckpt   the latest checkpoint (learner state + loop state), replaced atomically
 *   bundle/                   the final policy bundle (written atomically)
 *   result.json               written last: its presence marks a finished run
 * </pre>
 * A run never overwrites another: {@link #create} refuses a non-empty directory unless asked to overwrite, and
 * default names are unique ({@link #uniqueName}).
 */
public final class RunDirectory {

    public static final String CONFIG = "config.json";
    public static final String VERSIONS = "versions.json";
    public static final String METRICS = "metrics.csv";
    public static final String EVAL = "eval.csv";
    public static final String CHECKPOINT = "checkpoints/latest.ckpt";
    public static final String BUNDLE = "bundle";
    public static final String RESULT = "result.json";

    /** Writes the body of a checkpoint. */
    @FunctionalInterface
    public interface StateWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads the body of a checkpoint. */
    @FunctionalInterface
    public interface StateReader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * {@code runsDir/<UTC date-time>-<name>}, with {@code -2}, {@code -3}, ... appended while that exists, so two runs
     * never share a directory by default.
     */
    public static Path uniqueName(Path runsDir, String name) {
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String base = date + "-" + name.replaceAll("[^A-Za-z0-9._+-]", "_");
        Path p = runsDir.resolve(base);
        for (int i = 2; Files.exists(p); i++) {
            p = runsDir.resolve(base + "-" + i);
        }
        return p;
    }

    /**
     * A directory for a new run. A directory that exists and is not empty is refused (it holds another run, or an
     * interrupted one to continue with {@code --resume}) unless {@code overwrite}, which deletes its contents first.
     */
    public static RunDirectory create(Path dir, boolean overwrite) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + " exists and is not a directory");
        }
        if (Files.isDirectory(dir) && !isEmpty(dir)) {
            if (!overwrite) {
                throw new IOException("run directory " + dir + " already holds a run; continue it with --resume "
                        + dir + ", replace it with --overwrite, or choose another --out");
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    ParamIO.deleteRecursively(p);
                }
            }
        }
        Files.createDirectories(dir);
        return new RunDirectory(dir);
    }

    /**
     * An existing run directory to continue: it must hold a config and a checkpoint and must not have finished.
     * {@code kind} names the command that writes such runs, for the messages.
     */
    public static RunDirectory resume(Path dir, String kind) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("run directory " + dir + " does not exist");
        }
        RunDirectory r = new RunDirectory(dir);
        if (!Files.isRegularFile(r.file(CONFIG))) {
            throw new IOException(dir + " is not a run directory of " + kind + " (" + CONFIG + " is missing)");
        }
        if (r.finished()) {
            throw new IOException(dir + " already finished (its " + RESULT + " exists); nothing to resume");
        }
        if (!Files.isRegularFile(r.file(CHECKPOINT))) {
            throw new IOException(dir + " has no checkpoint (" + CHECKPOINT + ") to resume from");
        }
        return r;
    }

    /** A run directory opened for reading (replay buffers, plots). */
    public static RunDirectory open(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new IOException(dir + " is not a training run directory (" + CONFIG + " is missing)");
        }
        return new RunDirectory(dir);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    public Path path() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public boolean finished() {
        return Files.isRegularFile(file(RESULT));
    }

    /** Writes {@code file} atomically. */
    public void writeText(String file, String text) throws IOException {
        ParamIO.writeAtomically(file(file), text.getBytes(StandardCharsets.UTF_8));
    }

    /** config.json (the resolved configuration as JSON) and versions.json. */
    public void writeConfig(String configJson) throws IOException {
        writeText(CONFIG, configJson);
        writeText(VERSIONS, RunInfo.versionsJson());
    }

    /** The layout every loop's checkpoint starts with (v3: one layout online and offline). */
    public static final String CHECKPOINT_MAGIC = "armature-checkpoint-v3";

    /**
     * A checkpoint read back: the loop's step (env steps online, gradient steps offline), its wall seconds, and the
     * state the loop wrote after the common part.
     */
    public record Resumed<T>(long step, double wallSeconds, T loopState) {
    }

    /**
     * Writes the one checkpoint layout of every training loop, to a temporary file renamed over the previous one:
     * the magic, which {@code loop} wrote it, its step and wall seconds, the loop's random stream, the learner's
     * complete state ({@link Learner#writeState}), then the loop's own state ({@code loopState}).
     */
    public void writeCheckpoint(String loop, long step, double wallSeconds, Rng rng, Learner learner,
                                StateWriter loopState) throws IOException {
        AtomicFiles.write(file(CHECKPOINT), tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16))) {
                out.writeUTF(CHECKPOINT_MAGIC);
                out.writeUTF(loop);
                out.writeLong(step);
                out.writeDouble(wallSeconds);
                for (long x : rng.state()) {
                    out.writeLong(x);
                }
                learner.writeState(out);
                loopState.write(out);
            }
        });
    }

    /**
     * Reads a checkpoint of {@link #writeCheckpoint(String, long, double, Rng, Learner, StateWriter)} into
     * {@code rng} and {@code learner}; one written by another loop or another version is an error saying so.
     */
    public static <T> Resumed<T> readCheckpoint(Path file, String loop, Rng rng, Learner learner,
                                                StateReader<T> loopState) throws IOException {
        return readState(file, in -> {
            String magic = in.readUTF();
            if (!magic.equals(CHECKPOINT_MAGIC)) {
                throw new IOException(file + " was written by another Armature version ('" + magic + "', expected '"
                        + CHECKPOINT_MAGIC + "'); it cannot be resumed");
            }
            String by = in.readUTF();
            if (!by.equals(loop)) {
                throw new IOException(file + " is a checkpoint of `armature " + by + "`, not of `armature " + loop
                        + "`");
            }
            long step = in.readLong();
            double wall = in.readDouble();
            rng.restore(new long[]{in.readLong(), in.readLong(), in.readLong()});
            learner.readState(in);
            return new Resumed<>(step, wall, loopState.read(in));
        });
    }

    /**
     * Continues this run from its checkpoint ({@link #readCheckpoint(Path, String, Rng, Learner, StateReader)}) and
     * drops the rows of metrics.csv and eval.csv written after it, so the resumed loop appends where it left off.
     */
    public <T> Resumed<T> resumeCheckpoint(String loop, Rng rng, Learner learner, StateReader<T> loopState)
            throws IOException {
        Resumed<T> r = readCheckpoint(file(CHECKPOINT), loop, rng, learner, loopState);
        keepRowsUpTo(METRICS, r.step());
        keepRowsUpTo(EVAL, r.step());
        return r;
    }

    /**
     * A CSV of this run with {@code columns}: a new file with its header, or with {@code append} (a resumed run)
     * the rows {@link #resumeCheckpoint} kept, continued.
     */
    public CsvLog csv(String name, List<String> columns, boolean append) throws IOException {
        return CsvLog.open(file(name), columns, append);
    }

    /** Reads a binary state file written through a {@link DataOutputStream}, with clear errors. */
    public static <T> T readState(Path f, StateReader<T> body) throws IOException {
        if (!Files.isRegularFile(f)) {
            throw new IOException(f + " does not exist");
        }
        if (Files.size(f) == 0) {
            throw new IOException(f + " is empty (the process writing it was interrupted?); it cannot be resumed");
        }
        try (InputStream raw = Files.newInputStream(f);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            return body.read(in);
        } catch (EOFException e) {
            throw new IOException(f + " is truncated (" + Files.size(f) + " bytes, ends before the state does); it "
                    + "cannot be resumed", e);
        } catch (java.io.UTFDataFormatException e) {
            throw new IOException(f + " is not an Armature checkpoint (" + e.getMessage() + ")", e);
        }
    }

    public void deleteCheckpoint() throws IOException {
        Files.deleteIfExists(file(CHECKPOINT));
    }

    /**
     * Rewrites a CSV of this run keeping its header and the rows whose first column (the step) is at most
     * {@code step}: what a resume from a checkpoint at {@code step} keeps.
     */
    private void keepRowsUpTo(String csv, long step) throws IOException {
        Path f = file(csv);
        if (!Files.exists(f)) {
            return;
        }
        List<String> keep = new ArrayList<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            if (keep.isEmpty()) {
                keep.add(line);
                continue;
            }
            int comma = line.indexOf(',');
            try {
                if (Long.parseLong(comma < 0 ? line : line.substring(0, comma)) <= step) {
                    keep.add(line);
                }
            } catch (NumberFormatException e) {
                // a row cut short by the interruption
            }
        }
        writeText(csv, keep.isEmpty() ? "" : String.join("\n", keep) + "\n");
    }
}
