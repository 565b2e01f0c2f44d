package org.armature.envs.tasks.manipulation;

import java.util.Arrays;

import org.armature.envs.experts.Expert;
import org.armature.envs.experts.Experts;

public final class PegDrop2 {
    public static void main(String[] args) {
        PegInsertEnv env = new PegInsertEnv();
        float[] o = env.reset(2).observation();
        Expert ex = Experts.make("PegInsert-v1", 0, 2);
        int n = Integer.parseInt(args[0]);
        for (int i = 0; i < n; i++) {
            o = env.step(ex.act(o)).observation();
        }
        if (args.length > 1) {
            double[] t = env.pegTip();
            o = env.placePegTip(t[0], t[1], t[2], o[3]);
            System.out.println("re-placed at rest");
        }
        for (int i = 0; i < 30; i++) {
            var s = env.step(new float[]{0, 0, -0.5f, 0});
            if (i % 5 == 0) System.out.println(Arrays.toString(env.pegTip()) + " " + s.info().get("insertion_depth"));
        }
    }
}
