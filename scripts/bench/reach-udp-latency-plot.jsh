// Draws docs/reach_udp_latency.png from the success rates measured by ReachOverUdpBenchmark (BENCHMARKS.md, "Hardware
// bridge", quiet-machine rerun): the values below are those runs' results, copied from their output.
//   jshell --class-path cli/target/armature.jar -R-Dout=docs/reach_udp_latency.png scripts/bench/reach-udp-latency-plot.jsh
import org.armature.viz.Plots;
double[] lat = {0, 5, 10, 20};
double[] udp = {5, 3.3, 6.7, 13.3};
double[] sim = {0, 0, 0, 0};
double[] nan = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
double[] bound = {5, 5, 5, 5};
var curves = java.util.List.of(
    new Plots.Curve("over UDP (0 ms: 100 episodes; 5-20 ms: 30 each)", lat, udp, nan, nan, 1, "added latency (ms)"),
    new Plots.Curve("in simulation (armature rollout, 100 episodes)", lat, sim, nan, nan, 1, "added latency (ms)"),
    new Plots.Curve("simulation + 5 points (the bound at 0 ms)", lat, bound, nan, nan, 1, "added latency (ms)"));
Plots.lines(curves, "added one-way latency (ms)", "failed episodes (%)", "Reach-v2 BC policy over UDP: failures vs added latency", java.nio.file.Path.of(System.getProperty("out")));
/exit
