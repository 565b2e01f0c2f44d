package org.armature.cluster;

import java.io.Serializable;
import java.util.List;

/** What {@code armature cluster status} shows of one member (a plain class: Ignite's marshaller, not a record). */
public final class MemberStatus implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String member;
    public final int cores;
    public final int workers;
    public final List<String> running;
    public final String build;
    public final String openblasCoreType;

    MemberStatus(String member, int cores, int workers, List<String> running, String build, String openblasCoreType) {
        this.member = member;
        this.cores = cores;
        this.workers = workers;
        this.running = new java.util.ArrayList<>(running); // a JDK class on Ignite's list, unlike List.copyOf's
        this.build = build;
        this.openblasCoreType = openblasCoreType;
    }
}
