// Two plain threads in one JVM, each stepping its own env with random actions (no VectorEnv, no synchronisation):
// env steps/s of 1 thread, 2 threads, 1 thread again, and the ratio. BENCHMARKS.md, "VectorEnv on a quiet machine".
//   OMP_NUM_THREADS=1 jshell --class-path cli/target/armature.jar -R-Denvs=Hopper-v1,Ant-v1 -R-Dsecs=4 scripts/bench/two-threads.jsh
import org.armature.envs.*;
import java.util.concurrent.atomic.*;
double secs = Double.parseDouble(System.getProperty("secs", "4"));
long run(String id, int threads, double secs) throws Exception {
    AtomicLong total = new AtomicLong();
    var ready = new java.util.concurrent.CountDownLatch(threads);
    var go = new java.util.concurrent.CountDownLatch(1);
    AtomicLong deadline = new AtomicLong();
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
        int seed = t + 1;
        ts[t] = new Thread(() -> {
            Env e = Envs.make(id);
            var rng = new java.util.SplittableRandom(seed);
            e.reset(seed);
            long warm = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < warm) { Step s = e.step(e.spec().actionSpace().sample(rng)); if (s.terminated() || s.truncated()) e.reset(rng.nextLong()); }
            ready.countDown();
            try { go.await(); } catch (InterruptedException x) { return; }
            long n = 0;
            while (System.nanoTime() < deadline.get()) { Step s = e.step(e.spec().actionSpace().sample(rng)); n++; if (s.terminated() || s.truncated()) e.reset(rng.nextLong()); }
            total.addAndGet(n);
        });
        ts[t].start();
    }
    ready.await();
    deadline.set(System.nanoTime() + (long) (secs * 1e9));
    go.countDown();
    for (Thread t : ts) t.join();
    return total.get();
}
for (String id : System.getProperty("envs").split(",")) {
    double one = run(id, 1, secs) / secs;
    double two = run(id, 2, secs) / secs;
    double one2 = run(id, 1, secs) / secs;
    System.out.printf("%s: 1 thread %.0f, 2 threads %.0f steps/s, ratio %.2f (1 thread again %.0f)%n", id, one, two, two / Math.max(one, one2), one2);
}
/exit
