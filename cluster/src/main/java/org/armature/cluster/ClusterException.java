package org.armature.cluster;

/** A cluster failure the user can act on (cannot join, a refused member, a run that kept failing): one line. */
public final class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
