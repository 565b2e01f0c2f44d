package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.armature.agents.data.OfflineDataset;
import org.armature.offline.data.D4rlHdf5;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `armature collect --join`: 1 member and 3 members write byte-identical datasets, equal to a local collection. */
class CollectClusterTest {

    private final List<SweepClusterTest.Member> members = new ArrayList<>();

    @AfterEach
    void stopMembers() throws InterruptedException {
        for (SweepClusterTest.Member m : members) {
            m.process().destroy();
            m.process().waitFor(20, TimeUnit.SECONDS);
            m.process().destroyForcibly();
        }
    }

    @Test
    void oneAndThreeMembersGiveByteIdenticalDatasets(@TempDir Path tmp) throws Exception {
        String cluster = "collect-test-" + ProcessHandle.current().pid();
        SweepClusterTest.Member a = SweepClusterTest.startMember(cluster, 47751, 47752, null);
        members.add(a);
        SweepClusterTest.await(a, "member 127.0.0.1:47751", 60);
        String[] collect = {"collect", "--env", "Pendulum-v1", "--policy", "random", "--episodes", "6", "--seed",
                "40", "--noise", "0.2", "--shard-episodes", "2", "--join", "127.0.0.1:47751", "--cluster-name",
                cluster};
        CoreCommandsTest.Result one = CoreCommandsTest.run(concat(collect, "--out", tmp.resolve("one.h5").toString()));
        assertEquals(0, one.code(), one.out() + one.err());
        assertTrue(one.out().contains("6 episode(s) in 3 shard(s) on 1 member(s)"), one.out());

        SweepClusterTest.Member b = SweepClusterTest.startMember(cluster, 47753, 47754, "127.0.0.1:47751");
        SweepClusterTest.Member c = SweepClusterTest.startMember(cluster, 47755, 47756, "127.0.0.1:47751");
        members.add(b);
        members.add(c);
        SweepClusterTest.await(b, "member 127.0.0.1:47753", 60);
        SweepClusterTest.await(c, "member 127.0.0.1:47755", 60);
        CoreCommandsTest.Result three = CoreCommandsTest.run(concat(collect, "--out",
                tmp.resolve("three.h5").toString()));
        assertEquals(0, three.code(), three.out() + three.err());
        assertTrue(three.out().contains("on 3 member(s)"), three.out());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("one.h5")), Files.readAllBytes(tmp.resolve("three.h5")),
                "the dataset depends on the seeds only, not on the members");

        // and holds what one collection here holds
        CoreCommandsTest.Result local = CoreCommandsTest.run("collect", "--env", "Pendulum-v1", "--policy", "random",
                "--episodes", "6", "--seed", "40", "--noise", "0.2", "--out", tmp.resolve("local.h5").toString());
        assertEquals(0, local.code(), local.err());
        OfflineDataset l = D4rlHdf5.read(tmp.resolve("local.h5"));
        OfflineDataset d = D4rlHdf5.read(tmp.resolve("three.h5"));
        assertArrayEquals(l.observations(), d.observations());
        assertArrayEquals(l.actions(), d.actions());
        assertArrayEquals(l.rewards(), d.rewards());
        assertArrayEquals(l.timeouts(), d.timeouts());
        assertArrayEquals(l.metadata().episodeResetSeeds(), d.metadata().episodeResetSeeds());
        assertEquals(l.metadata().extra(), d.metadata().extra());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
