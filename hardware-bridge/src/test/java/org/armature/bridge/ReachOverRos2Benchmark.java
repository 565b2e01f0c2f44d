package org.armature.bridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.armature.agents.Policy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a CI test: Reach-v2 episodes over ROS 2 (DDS) against the Cyclone DDS arm, one arm process and
 * one DDS domain per episode ({@link Ros2LinkDdsTest#episode}); prints success, the command rate at the arm and the
 * end-to-end latency (bridge state receive -> arm command receive) pooled over episodes. Tagged {@code dds}: run it in
 * a private network namespace, e.g.
 * {@code unshare -n .ci/ros2-netns.sh mvn -o -pl hardware-bridge -am test -Dtest=ReachOverRos2Benchmark
 * -Dgroups=dds -Darmature.excludedTestGroups=none -Dsurefire.failIfNoSpecifiedTests=false -Dbundle=DIR|expert
 * -Depisodes=N -Drate=HZ -Dtype=JointTrajectory|Float64MultiArray}.
 */
@Tag("dds")
class ReachOverRos2Benchmark {

    @Test
    void successAndLatencyOverRos2() throws Exception {
        Ros2Harness.assumeDds();
        String spec = System.getProperty("bundle", "expert");
        int episodes = Integer.getInteger("episodes", 10);
        double rate = Double.parseDouble(System.getProperty("rate", "200"));
        String type = System.getProperty("type", "JointTrajectory");
        Policy policy = spec.equals("expert") ? ReachOverUdpBenchmark.expertPolicy() : Policy.load(Path.of(spec));
        Path dir = Files.createTempDirectory("ros2-bench");
        try (Ros2Harness dds = new Ros2Harness(dir)) {
            int successes = 0;
            double[] all = new double[0];
            double minRate = Double.POSITIVE_INFINITY;
            for (int ep = 0; ep < episodes; ep++) {
                Ros1DeployRosTest.Episode e = Ros2LinkDdsTest.episode(dds, policy, ep, 100 + ep % 100, rate, type,
                        150, null);
                successes += e.success() ? 1 : 0;
                minRate = Math.min(minRate, e.peerRateHz());
                int n = all.length;
                all = Arrays.copyOf(all, n + e.latencyMicros().length);
                System.arraycopy(e.latencyMicros(), 0, all, n, e.latencyMicros().length);
                System.out.printf(Locale.ROOT, "BENCH ros2 episode %d: %s success %s final %.3f m, rate %.0f Hz, "
                                + "expired %d, e2e p50 %.0f us, loop e2e p50 %.0f p99 %.0f us%n", ep, e.reason(),
                        e.success(), e.finalDistance(), e.peerRateHz(), e.expired(), e.latencyPercentile(0.5),
                        e.loopEndToEndMicros()[0], e.loopEndToEndMicros()[1]);
            }
            Arrays.sort(all);
            System.out.printf(Locale.ROOT, "BENCH reach-ros2 %s %s at %.0f Hz: success %d/%d, min command rate at the "
                            + "arm %.0f Hz, e2e latency p50 %.0f p90 %.0f p99 %.0f max %.0f us (n=%d)%n", spec, type,
                    rate, successes, episodes, minRate, pct(all, 0.5), pct(all, 0.9), pct(all, 0.99),
                    all.length == 0 ? Double.NaN : all[all.length - 1], all.length);
        }
    }

    private static double pct(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
}
