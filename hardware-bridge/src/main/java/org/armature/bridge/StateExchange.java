package org.armature.bridge;

import java.util.concurrent.locks.StampedLock;

/**
 * Hands the freshest {@link RobotState} from a link's receiver thread to the control loop without the loop ever
 * blocking on the receiver: two buffers, the writer fills the one not published and then publishes it; the reader
 * copies the published one under an optimistic {@link StampedLock} read and retries if the writer came round to that
 * buffer meanwhile. A receiver descheduled in the middle of a write therefore cannot stall the loop (no priority
 * inversion when the loop runs at real-time priority). Allocation-free; one writer, one reader.
 */
final class StateExchange {

    private static final int MAX_TRIES = 16;

    private final RobotState[] buffers;
    private final StampedLock[] locks = {new StampedLock(), new StampedLock()};
    private volatile int published = -1;

    StateExchange(int dof, int objects) {
        buffers = new RobotState[]{new RobotState(dof, objects), new RobotState(dof, objects)};
    }

    /** Writer side: publishes a copy of {@code s} with the given local receive time. */
    void publish(RobotState s, long receiveNanos) {
        int target = published == 0 ? 1 : 0;
        StampedLock lock = locks[target];
        long stamp = lock.writeLock();
        try {
            buffers[target].copyFrom(s);
            buffers[target].receiveNanos = receiveNanos;
        } finally {
            lock.unlockWrite(stamp);
        }
        published = target;
    }

    /** Reader side: copies the freshest state into {@code out}; false when none was published (or all tries raced). */
    boolean read(RobotState out) {
        for (int i = 0; i < MAX_TRIES; i++) {
            int p = published;
            if (p < 0) {
                return false;
            }
            StampedLock lock = locks[p];
            long stamp = lock.tryOptimisticRead();
            if (stamp == 0) {
                continue;
            }
            out.copyFrom(buffers[p]);
            if (lock.validate(stamp)) {
                return true;
            }
        }
        return false;
    }
}
