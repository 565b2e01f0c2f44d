package org.armature.agents;

/**
 * How a policy sees time (Diffusion Policy's notation in brackets): it conditions on the last
 * {@code observationHistory} observations ({@code To}), predicts {@code chunkLength} actions per decision
 * ({@code Tp}, the prediction horizon) and plays {@code executedChunk} of them ({@code Ta}) before deciding again.
 * The predicted chunk starts with the action at the oldest observed step, so the action for the current step is at
 * index {@link #chunkStart()} {@code = To − 1} and the played actions are {@code [To − 1, To − 1 + Ta)} (the
 * reference's alignment). A one-step policy is {@code (1, 1, 1)}.
 */
public record ChunkLayout(int observationHistory, int chunkLength, int executedChunk) {

    public static final ChunkLayout SINGLE = new ChunkLayout(1, 1, 1);

    public ChunkLayout {
        if (observationHistory < 1 || chunkLength < 1 || executedChunk < 1) {
            throw new IllegalArgumentException("observation_history, chunk_length and executed_chunk must be >= 1, got "
                    + observationHistory + ", " + chunkLength + ", " + executedChunk);
        }
        if (observationHistory - 1 + executedChunk > chunkLength) {
            throw new IllegalArgumentException("chunk_length (Tp = " + chunkLength + ") must cover the executed actions: "
                    + "it needs Tp >= observation_history - 1 + executed_chunk = " + (observationHistory - 1)
                    + " + " + executedChunk);
        }
    }

    /** Index of the current step's action in a predicted chunk. */
    public int chunkStart() {
        return observationHistory - 1;
    }

    public boolean isSingleStep() {
        return observationHistory == 1 && chunkLength == 1 && executedChunk == 1;
    }
}
