package org.armature.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * One shard of a distributed collection: {@code armature collect ARGS --first-episode F --episodes N --out FILE} in a
 * child process on a member, the file sent back. Episode {@code i} of the collection depends only on its seed, so the
 * shards concatenated in order equal one collection of all episodes, whichever member ran which shard.
 */
public final class CollectJob implements IgniteCallable<CollectShard> {
    private static final long serialVersionUID = 1L;

    private final ArrayList<String> args;
    private final int firstEpisode;
    private final int episodes;

    @IgniteInstanceResource
    private transient Ignite ignite;

    CollectJob(List<String> args, int firstEpisode, int episodes) {
        this.args = new ArrayList<>(args);
        this.firstEpisode = firstEpisode;
        this.episodes = episodes;
    }

    @Override
    public CollectShard call() throws Exception {
        String member = Members.describe(ignite.cluster().localNode());
        String name = "collect episodes " + firstEpisode + ".." + (firstEpisode + episodes - 1);
        StatusJob.RUNNING.add(name);
        Path work = Files.createTempDirectory("armature-collect-");
        Process child = null;
        try {
            Path shard = work.resolve("shard.h5");
            Path output = work.resolve("output.log");
            List<String> cmd = new ArrayList<>(ChildProcess.command());
            cmd.add("collect");
            cmd.addAll(args);
            cmd.addAll(List.of("--first-episode", Integer.toString(firstEpisode), "--episodes",
                    Integer.toString(episodes), "--out", shard.toString()));
            child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            int exit = child.waitFor();
            if (exit != 0) {
                return new CollectShard(firstEpisode, episodes, member, exit, null, ChildProcess.errorLines(output));
            }
            byte[] data = Files.exists(shard) ? Files.readAllBytes(shard) : null;
            return new CollectShard(firstEpisode, episodes, member, 0, data, "");
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
            }
            StatusJob.RUNNING.remove(name);
            org.armature.nn.ParamIO.deleteRecursively(work);
        }
    }
}
