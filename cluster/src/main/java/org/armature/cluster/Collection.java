package org.armature.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCompute;
import org.apache.ignite.cluster.ClusterGroup;
import org.armature.agents.data.OfflineDataset;
import org.armature.offline.collect.Collector;
import org.armature.offline.data.D4rlHdf5;

/**
 * {@code armature collect ... --join}: the episodes cut into shards of consecutive episodes, each shard a
 * {@link CollectJob} on some member, the shards merged in episode order ({@link Collector#merge}). A shard whose
 * member dies is re-run elsewhere (Ignite's failover); one that fails is tried again up to a cap.
 */
public final class Collection {

    public static final int MAX_RETRIES = 2;

    private Collection() {
    }

    /** Shard sizes: about four shards per worker of the cluster, at least one episode each. */
    public static int defaultShardEpisodes(int episodes, int workers) {
        return Math.max(1, (int) Math.ceil(episodes / (4.0 * Math.max(1, workers))));
    }

    /**
     * Collects {@code episodes} episodes with {@code args} (the {@code collect} command's options, without
     * {@code --episodes} and {@code --out}) on the cluster, in shards of {@code shardEpisodes}; returns the shards'
     * results in episode order, for {@link Collector#merge}.
     */
    public static List<Collector.Result> run(Ignite ignite, List<String> args, int episodes, int shardEpisodes,
                                             Consumer<String> log) throws IOException {
        ClusterGroup members = Sweep.eligibleMembers(ignite, log);
        IgniteCompute compute = ignite.compute(members);
        if (shardEpisodes < 1) {
            shardEpisodes = defaultShardEpisodes(episodes, members.nodes().stream()
                    .mapToInt(n -> (Integer) n.attribute(Members.ATTR_WORKERS)).sum());
        }
        List<int[]> shards = new ArrayList<>();
        for (int first = 0; first < episodes; first += shardEpisodes) {
            shards.add(new int[]{first, Math.min(shardEpisodes, episodes - first)});
        }
        log.accept(String.format(Locale.ROOT, "collect: %d episode(s) in %d shard(s) on %d member(s)", episodes,
                shards.size(), members.nodes().size()));
        Completions<CollectShard> jobs = new Completions<>(compute, shards.size());
        CollectShard[] results = new CollectShard[shards.size()];
        for (int i = 0; i < shards.size(); i++) {
            jobs.submit(i, new CollectJob(args, shards.get(i)[0], shards.get(i)[1]));
        }
        for (int finished = 0; finished < shards.size(); ) {
            Completions.Done<CollectShard> next = jobs.take();
            int i = next.index();
            CollectShard s = next.value();
            if (s != null && s.exitCode == 0) {
                results[i] = s;
                finished++;
                continue;
            }
            String why = s != null ? "exit " + s.exitCode + ": " + s.error : Members.rootMessage(next.failure());
            if (jobs.attempts(i) > MAX_RETRIES) {
                throw new ClusterException("episodes " + shards.get(i)[0] + ".." + (shards.get(i)[0]
                        + shards.get(i)[1] - 1) + " failed " + jobs.attempts(i) + " times; last: " + why);
            }
            log.accept("shard of episodes from " + shards.get(i)[0] + " failed (" + why + "); trying again");
            jobs.submit(i, new CollectJob(args, shards.get(i)[0], shards.get(i)[1]));
        }
        List<Collector.Result> out = new ArrayList<>();
        for (CollectShard s : results) {
            out.add(read(s));
        }
        return out;
    }

    /** A shard as the collector's result: its dataset and its counts (from the file's attributes). */
    private static Collector.Result read(CollectShard s) throws IOException {
        if (s.dataset == null) { // --success-only and no episode of the shard succeeded
            return new Collector.Result(null, s.episodes, 0, 0, true);
        }
        Path tmp = Files.createTempFile("armature-shard-", ".h5");
        try {
            Files.write(tmp, s.dataset);
            OfflineDataset d = D4rlHdf5.read(tmp);
            String succeeded = d.metadata().extra().get(Collector.EPISODES_SUCCEEDED);
            return new Collector.Result(d, s.episodes, d.episodeCount(),
                    succeeded == null ? 0 : Integer.parseInt(succeeded), succeeded != null);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
