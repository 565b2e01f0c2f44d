package org.armature.envs;

import org.armature.sim.Scene;

/**
 * A reinforcement-learning environment with Gymnasium's semantics.
 *
 * <ul>
 *   <li>{@link #reset(long)} seeds every random source of the env and returns the first observation;
 *       {@link #reset()} starts a new episode continuing the random stream of the last seeded reset.</li>
 *   <li>{@link #step(float[])} advances one control step ({@code controlDt} simulated seconds).
 *       {@code terminated} and {@code truncated} are kept apart everywhere.</li>
 *   <li>Actions outside the action space are clipped (and counted); a NaN/inf action or one of the wrong length is
 *       an {@link IllegalArgumentException} with a message naming the problem.</li>
 *   <li>An env is owned by one thread: build it, reset it and step it on the same thread.</li>
 * </ul>
 */
public interface Env extends AutoCloseable {

    EnvSpec spec();

    Reset reset(long seed);

    /** New episode, continuing the env's random stream (seeded with 0 if it was never seeded). */
    Reset reset();

    Step step(float[] action);

    /** What the env looks like now, as an immutable snapshot for viewers. */
    default Scene scene() {
        return Scene.EMPTY;
    }

    /**
     * True when the task has a notion of success, reported as {@code info.success} (the manipulation tasks: peg
     * inserted, T pushed onto its goal, target reached); locomotion and Pendulum have none, so a "success rate" of
     * theirs means nothing and is shown as "-". Wrappers answer for the env they wrap.
     */
    default boolean definesSuccess() {
        return unwrapped() != this && unwrapped().definesSuccess();
    }

    /** The innermost env below any wrappers. */
    default Env unwrapped() {
        return this;
    }

    @Override
    default void close() {
    }
}
