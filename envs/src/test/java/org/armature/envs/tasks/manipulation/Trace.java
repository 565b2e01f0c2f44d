package org.armature.envs.tasks.manipulation;

import java.util.Arrays;

import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.envs.Step;
import org.armature.envs.experts.Expert;
import org.armature.envs.experts.Experts;

/** Dev tool: prints one expert episode step by step. Args: id seed [noise] [every]. */
public final class Trace {
    public static void main(String[] args) throws Exception {
        String id = args[0];
        long seed = Long.parseLong(args[1]);
        double noise = args.length > 2 ? Double.parseDouble(args[2]) : 0;
        int every = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Expert ex = Experts.make(id, noise, seed);
        try (Env env = Envs.make(id)) {
            ex.reset(1000 + seed);
            float[] o = env.reset(seed).observation();
            for (int t = 0; ; t++) {
                float[] a = ex.act(o);
                Step s = env.step(a);
                if (t % every == 0 || s.done()) {
                    System.out.printf("%3d o=%s a=%s r=%.3f %s%n", t, fmt(o), fmt(a), s.reward(), s.info());
                }
                o = s.observation();
                if (s.done()) {
                    break;
                }
            }
        }
    }

    static String fmt(float[] x) {
        StringBuilder b = new StringBuilder("[");
        for (float v : x) {
            b.append(String.format("%.3f ", v));
        }
        return b.append("]").toString();
    }
}
