package org.armature.agents.data;

/** A dataset file that does not follow the D4RL/Minari layout; the message names the file, the key and the problem. */
public final class MalformedDatasetException extends IllegalArgumentException {
    public MalformedDatasetException(String message) {
        super(message);
    }
}
