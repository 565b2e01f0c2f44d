package org.armature.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * One training run of a sweep, executed on some member as an Ignite job. The run itself is a child process
 * ({@code java -cp <the member's class path> ... org.armature.cli.Main <command> ... --run-dir DIR}), so a native
 * crash ends the run, not the member. While it runs, the member stores the run directory (checkpoint, config,
 * metrics) in the replicated cache {@value #CHECKPOINTS} every time the checkpoint changes; when the member dies,
 * Ignite fails the job over to another member, which restores the stored directory and continues it with
 * {@code <command> --resume DIR}: the commands' exact resume.
 */
public final class RunJob implements IgniteCallable<RunOutcome> {
    private static final long serialVersionUID = 1L;

    /** The cache of run directories in progress: one backup, so a member's death loses none. */
    public static final String CHECKPOINTS = "armature-run-checkpoints";

    private final String key;
    private final String run;
    private final String command;
    private final ArrayList<String> args;
    private final long pollMillis;

    @IgniteInstanceResource
    private transient Ignite ignite;

    /**
     * @param key        the run's key in the checkpoint store (unique per sweep and run)
     * @param run        the run's name (its folder)
     * @param command    the armature command ({@code train}, {@code offline}, ...)
     * @param args       the command's arguments without {@code --run-dir}
     * @param pollMillis how often the run directory's checkpoint is looked at
     */
    RunJob(String key, String run, String command, List<String> args, long pollMillis) {
        this.key = key;
        this.run = run;
        this.command = command;
        this.args = new ArrayList<>(args);
        this.pollMillis = pollMillis;
    }

    /** The checkpoint store (created on first use). */
    static IgniteCache<String, byte[]> store(Ignite ignite) {
        return ignite.getOrCreateCache(new CacheConfiguration<String, byte[]>(CHECKPOINTS)
                .setCacheMode(CacheMode.PARTITIONED).setBackups(1).setAtomicityMode(CacheAtomicityMode.ATOMIC));
    }

    @Override
    public RunOutcome call() throws Exception {
        String member = Members.describe(ignite.cluster().localNode());
        StatusJob.RUNNING.add(run);
        Path work = Files.createTempDirectory("armature-run-");
        Process child = null;
        try {
            IgniteCache<String, byte[]> store = store(ignite);
            Path dir = work.resolve(run);
            List<String> cmd = new ArrayList<>(ChildProcess.command());
            cmd.add(command);
            byte[] stored = store.get(key);
            boolean resumed = false;
            if (stored != null) {
                DirectoryArchive.unpack(stored, dir);
                resumed = true;
                cmd.addAll(List.of("--resume", dir.toString()));
                log(member, "resumes " + run + " from its stored checkpoint");
            } else {
                cmd.addAll(args);
                cmd.addAll(List.of("--run-dir", dir.toString()));
            }
            Path output = work.resolve("output.log");
            child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            long lastModified = Long.MIN_VALUE;
            while (!child.waitFor(pollMillis, TimeUnit.MILLISECONDS)) {
                lastModified = storeIfNewer(store, dir, lastModified, member);
            }
            int exit = child.exitValue();
            if (exit != 0) {
                return new RunOutcome(run, member, exit, null, ChildProcess.errorLines(output), resumed);
            }
            byte[] result = DirectoryArchive.pack(dir);
            store.remove(key);
            return new RunOutcome(run, member, 0, result, "", resumed);
        } finally {
            if (child != null && child.isAlive()) { // the job was cancelled (the sweep stopped, the member stops)
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            StatusJob.RUNNING.remove(run);
            org.armature.nn.ParamIO.deleteRecursively(work);
        }
    }

    /** Stores the run directory when its checkpoint changed since {@code lastModified}; returns the new time. */
    private long storeIfNewer(IgniteCache<String, byte[]> store, Path dir, long lastModified, String member)
            throws IOException {
        Path ckpt = dir.resolve(org.armature.train.RunDirectory.CHECKPOINT);
        if (!Files.isRegularFile(ckpt)) {
            return lastModified;
        }
        long t;
        try {
            t = Files.getLastModifiedTime(ckpt).toMillis() ^ Files.size(ckpt);
        } catch (java.nio.file.NoSuchFileException replacedMeanwhile) {
            return lastModified;
        }
        if (t == lastModified) {
            return lastModified;
        }
        // the archive reads checkpoints/ before eval.csv and metrics.csv (sorted paths): every row up to the
        // checkpoint's step is in the copy (rows past it are dropped by --resume)
        store.put(key, DirectoryArchive.pack(dir));
        log(member, "stored the checkpoint of " + run);
        return t;
    }

    private static void log(String member, String what) {
        System.out.println("member " + member + ": " + what);
        System.out.flush();
    }
}
