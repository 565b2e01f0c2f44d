package org.armature.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/** Asks every member for its cores and the jobs it is running ({@code armature cluster status}). */
public final class StatusJob implements IgniteCallable<MemberStatus> {
    private static final long serialVersionUID = 1L;

    /** Names of the jobs running in this process (sweep runs, collection shards). */
    static final Set<String> RUNNING = ConcurrentHashMap.newKeySet();

    @IgniteInstanceResource
    private transient Ignite ignite;

    @Override
    public MemberStatus call() {
        ClusterNode me = ignite.cluster().localNode();
        List<String> running = new ArrayList<>(RUNNING);
        running.sort(null);
        return new MemberStatus(Members.describe(me), Runtime.getRuntime().availableProcessors(),
                (Integer) me.attribute(Members.ATTR_WORKERS), running, (String) me.attribute(Members.ATTR_BUILD),
                (String) me.attribute(Members.ATTR_CORETYPE));
    }

    /** The status of every member (servers), sorted by name. */
    public static List<MemberStatus> of(Ignite ignite) {
        Collection<MemberStatus> all = ignite.compute(ignite.cluster().forServers())
                .withExecutor(Members.STATUS_EXECUTOR).broadcast(new StatusJob());
        List<MemberStatus> list = new ArrayList<>(all);
        list.sort((a, b) -> a.member.compareTo(b.member));
        return list;
    }
}
