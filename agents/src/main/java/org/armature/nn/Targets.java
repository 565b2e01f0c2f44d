package org.armature.nn;

/** Target-network updates. */
public final class Targets {

    private Targets() {
    }

    /** Polyak averaging {@code target <- tau * online + (1 - tau) * target} (DDPG, Lillicrap et al. 2016). */
    public static void soft(ParamGroup target, ParamGroup online, double tau) {
        target.requireSameLayout(online);
        Mat t = target.values().toHost();
        Mat o = online.values().toHost();
        int n = target.size();
        double keep = 1.0 - tau;
        if (!t.isDouble()) {
            long ta = t.address();
            long oa = o.address();
            float k = (float) keep;
            float tf = (float) tau;
            for (int i = 0; i < n; i++) {
                long off = 4L * i;
                Mat.U.putFloat(ta + off, k * Mat.U.getFloat(ta + off) + tf * Mat.U.getFloat(oa + off));
            }
            t.hostWritten();
            return;
        }
        for (int i = 0; i < n; i++) {
            t.set(i, keep * t.get(i) + tau * o.get(i));
        }
        t.hostWritten();
    }

    /** Hard copy {@code target <- online} (DQN-style). */
    public static void hard(ParamGroup target, ParamGroup online) {
        target.copyFrom(online);
    }
}
