package org.armature.bridge;

/**
 * Faults the emulator injects, in both directions (states out, commands in).
 *
 * @param latencyMillis    added one-way delay
 * @param jitterMillis     uniform +- jitter on the added delay
 * @param dropProbability  a datagram is lost
 * @param reorderProbability a datagram is held back behind the next ones (extra delay of 10 ms + the latency)
 * @param corruptProbability one random byte of a datagram is flipped
 * @param freezeAfterSeconds the server stops answering (states stop, commands are ignored); 0 = never
 * @param crashAfterSeconds  the server dies (socket closed, robot stopped); 0 = never
 * @param seed             seed of the fault random stream
 */
public record NetworkFaults(double latencyMillis, double jitterMillis, double dropProbability,
                            double reorderProbability, double corruptProbability, double freezeAfterSeconds,
                            double crashAfterSeconds, long seed) {

    public static final NetworkFaults NONE = new NetworkFaults(0, 0, 0, 0, 0, 0, 0, 1);

    public NetworkFaults {
        nonNegative("latency", latencyMillis);
        nonNegative("jitter", jitterMillis);
        probability("drop", dropProbability);
        probability("reorder", reorderProbability);
        probability("corrupt", corruptProbability);
        nonNegative("freeze-after", freezeAfterSeconds);
        nonNegative("crash-after", crashAfterSeconds);
    }

    public boolean delays() {
        return latencyMillis > 0 || jitterMillis > 0 || reorderProbability > 0;
    }

    public boolean any() {
        return delays() || dropProbability > 0 || corruptProbability > 0;
    }

    public NetworkFaults withDrop(double p) {
        return new NetworkFaults(latencyMillis, jitterMillis, p, reorderProbability, corruptProbability,
                freezeAfterSeconds, crashAfterSeconds, seed);
    }

    public NetworkFaults withLatency(double ms, double jitter) {
        return new NetworkFaults(ms, jitter, dropProbability, reorderProbability, corruptProbability,
                freezeAfterSeconds, crashAfterSeconds, seed);
    }

    public NetworkFaults withCorrupt(double p) {
        return new NetworkFaults(latencyMillis, jitterMillis, dropProbability, reorderProbability, p,
                freezeAfterSeconds, crashAfterSeconds, seed);
    }

    public NetworkFaults withReorder(double p) {
        return new NetworkFaults(latencyMillis, jitterMillis, dropProbability, p, corruptProbability,
                freezeAfterSeconds, crashAfterSeconds, seed);
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("--" + name + " must be >= 0, got " + v);
        }
    }

    private static void probability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("--" + name + " must be a probability in [0, 1], got " + p);
        }
    }
}
