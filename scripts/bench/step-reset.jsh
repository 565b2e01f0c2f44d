// Mean time of one env step and one reset under random actions, and the share of the time spent resetting.
// BENCHMARKS.md, "VectorEnv on a quiet machine".
//   OMP_NUM_THREADS=1 jshell --class-path cli/target/armature.jar -R-Denvs=Hopper-v1,Walker2d-v1 scripts/bench/step-reset.jsh
import org.armature.envs.*;
for (String id : System.getProperty("envs").split(",")) {
    Env e = Envs.make(id);
    var rng = new java.util.SplittableRandom(1);
    e.reset(1);
    long steps = 0, resets = 0, stepNs = 0, resetNs = 0;
    long end = System.nanoTime() + 4_000_000_000L;
    while (System.nanoTime() < end) {
        float[] a = e.spec().actionSpace().sample(rng);
        long t0 = System.nanoTime();
        Step s = e.step(a);
        long t1 = System.nanoTime();
        stepNs += t1 - t0; steps++;
        if (s.terminated() || s.truncated()) {
            long t2 = System.nanoTime();
            e.reset(rng.nextLong());
            resetNs += System.nanoTime() - t2; resets++;
        }
    }
    System.out.printf("%s: step %.1f us, reset %.1f us, episode %.1f steps, reset share of time %.1f%%%n", id, stepNs / 1e3 / steps, resetNs / 1e3 / Math.max(1, resets), steps / (double) Math.max(1, resets), 100.0 * resetNs / (stepNs + resetNs));
}
/exit
