package org.armature.envs.tasks.manipulation;

import java.util.Arrays;

import org.armature.envs.Step;
import org.armature.envs.experts.Expert;
import org.armature.envs.experts.Experts;
import org.armature.sim.Model;
import org.armature.sim.Quat;

public final class PegDebug {
    public static void main(String[] args) {
        PegInsertEnv env = new PegInsertEnv();
        float[] o = env.reset(0).observation();
        Model m = env.model();
        double[] p = new double[3];
        m.bodyPosition(m.body("hole"), p);
        System.out.println("hole body " + Arrays.toString(p) + " rot " + Arrays.toString(m.bodyOrientation(m.body("hole"))) + " pose " + Arrays.toString(env.holePose()));
        Expert ex = Experts.make("PegInsert-v1", 0, 0);
        for (int t = 0; t < 45; t++) {
            Step s = env.step(ex.act(o));
            o = s.observation();
            double[] q = m.bodyOrientation(m.body("peg"));
            double[] z = Quat.rotate(q, new double[]{0, 0, 1});
            double[] gp = new double[3];
            m.bodyPosition(m.body("gripper"), gp);
            double[] pp = new double[3];
            m.bodyPosition(m.body("peg"), pp);
            System.out.printf("%d tip %s pegz %s grip %s peg %s%n", t, Arrays.toString(env.pegTip()), Arrays.toString(z), Arrays.toString(gp), Arrays.toString(pp));
        }
    }
}
