package org.armature.envs.tasks.manipulation;

import java.util.Arrays;

public final class PegDrop {
    public static void main(String[] args) {
        PegInsertEnv env = new PegInsertEnv();
        env.reset(Long.parseLong(args[0]));
        double[] h = env.holePose();
        double off = Double.parseDouble(args[1]);
        float az = Float.parseFloat(args[2]);
        env.placePegTip(h[0] + off, h[1] + Double.parseDouble(args[4]), 0.065, h[3] + Double.parseDouble(args[3]));
        for (int i = 0; i < 30; i++) {
            var s = env.step(new float[]{0, 0, az, 0});
            if (i % 3 == 0) System.out.println(Arrays.toString(env.pegTip()) + " " + s.info().get("insertion_depth"));
        }
    }
}
