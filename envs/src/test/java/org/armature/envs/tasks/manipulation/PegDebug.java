package org.armature.envs.tasks.manipulation;

import java.util.Arrays;

import org.armature.envs.Step;
import org.armature.envs.experts.Expert;
import org.armature.envs.experts.Experts;
import org.armature.sim.Model;
import org.armature.sim.Quat;

public final class PegDebug {
    public static void main(String[] args) {
        long seed = Long.parseLong(args[0]);
        int steps = Integer.parseInt(args[1]);
        PegInsertEnv env = new PegInsertEnv();
        float[] o = env.reset(seed).observation();
        Model m = env.model();
        Expert ex = Experts.make("PegInsert-v1", 0, seed);
        for (int t = 0; t < steps; t++) {
            Step s = env.step(ex.act(o));
            o = s.observation();
        }
        double[] q = m.bodyOrientation(m.body("peg"));
        System.out.println("peg z axis " + Arrays.toString(Quat.rotate(q, new double[]{0, 0, 1})) + " x axis " + Arrays.toString(Quat.rotate(q, new double[]{1, 0, 0})));
        double[] gq = m.bodyOrientation(m.body("gripper"));
        System.out.println("hole pose " + Arrays.toString(env.holePose()) + " tip " + Arrays.toString(env.pegTip()));
        var d = env.world().dynamicsWorld().getDispatcher();
        for (int i = 0; i < d.getNumManifolds(); i++) {
            var man = d.getManifoldByIndexInternal(i);
            Object a = ((com.bulletphysics.collision.dispatch.CollisionObject) man.getBody0()).getUserPointer();
            Object b = ((com.bulletphysics.collision.dispatch.CollisionObject) man.getBody1()).getUserPointer();
            for (int k = 0; k < man.getNumContacts(); k++) {
                var cp = man.getContactPoint(k);
                System.out.printf("%s-%s at %s n=%s dist=%.5f imp=%.4f%n", a, b, cp.positionWorldOnB, cp.normalWorldOnB, cp.getDistance(), cp.appliedImpulse);
            }
        }
    }
}
