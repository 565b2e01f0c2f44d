package org.armature.bridge;

import org.armature.agents.Policy;

/** Small policies for tests. */
final class TestPolicies {

    private TestPolicies() {
    }

    /** Always the same action. */
    static Policy constant(int obsDim, float[] action) {
        return new Policy() {
            @Override
            public float[] act(float[] observation) {
                return action.clone();
            }

            @Override
            public void act(float[] observation, float[] out) {
                System.arraycopy(action, 0, out, 0, action.length);
            }

            @Override
            public int observationDim() {
                return obsDim;
            }

            @Override
            public int actionDim() {
                return action.length;
            }
        };
    }

    /** Constant actions until {@code badAfter} decisions, then NaN. */
    static Policy nanAfter(int obsDim, int actDim, int badAfter) {
        return new Policy() {
            int calls;

            @Override
            public float[] act(float[] observation) {
                float[] a = new float[actDim];
                act(observation, a);
                return a;
            }

            @Override
            public void act(float[] observation, float[] out) {
                calls++;
                java.util.Arrays.fill(out, calls > badAfter ? Float.NaN : 0.1f);
            }

            @Override
            public void reset(long seed) {
                calls = 0;
            }

            @Override
            public int observationDim() {
                return obsDim;
            }

            @Override
            public int actionDim() {
                return actDim;
            }
        };
    }
}
