package org.armature.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.agents.Policy;
import org.armature.envs.experts.Experts;
import org.armature.offline.Collector;
import org.armature.offline.DatasetSuite;
import org.armature.offline.D4rlHdf5;
import org.armature.offline.DatasetInfo;
import org.armature.offline.OfflineDataset;
import org.armature.offline.PendulumSwingUp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature collect}: roll a behaviour policy out and save the episodes as a D4RL-layout dataset. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {"Collect an offline dataset (D4RL HDF5 layout) by running a behaviour policy.",
                "  armature collect --env Pendulum-v1 --policy random --episodes 100 --out random.h5",
                "Episode i is reset with seed S + i; the seeds are stored so episodes can be replayed."})
public final class CollectCommand implements Callable<Integer> {

    @Option(names = "--env", required = true, description = "env id (see `armature envs`)")
    String env;

    @Option(names = "--policy", required = true, paramLabel = "random|expert|BUNDLE_DIR",
            description = "random (uniform actions), expert (the env's scripted expert) or a policy bundle directory")
    String policy;

    @Option(names = "--episodes", required = true, description = "number of episodes")
    int episodes;

    @Option(names = "--out", required = true, description = "output .h5 file")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "first episode seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--noise", defaultValue = "0", paramLabel = "SIGMA",
            description = "Gaussian action noise, std relative to the action half-range (default: ${DEFAULT-VALUE})")
    double noise;

    @Override
    public Integer call() {
        if (episodes < 1) {
            throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
        }
        EnvSpec spec;
        try (var e = Envs.make(env)) {
            spec = e.spec();
        }
        // random: Collector's seeded uniform policy; expert and bundles: the shared PolicyResolver
        // Pendulum-v1's expert is the offline module's scripted swing-up controller
        Policy behaviour = policy.equals("random") ? Collector.randomPolicy(spec, seed)
                : policy.equals("expert") && env.equals("Pendulum-v1") ? new PendulumSwingUp()
                : policy.equals("expert") && Experts.has(env) ? DatasetSuite.expertPolicy(env, spec, 0.0, seed)
                : PolicyResolver.resolve(policy, spec, seed).policy();
        String name = policy.equals("random") || policy.equals("expert") ? policy : "bundle:" + policy;
        OfflineDataset d;
        try (OfflineProgress progress = new OfflineProgress("collect " + env, episodes, "ep")) {
            d = Collector.collect(env, behaviour, name, episodes, seed, noise, progress::stepTo);
        }
        D4rlHdf5.write(d, out);
        DatasetInfo info = DatasetInfo.of(d);
        System.out.printf("wrote %s: %d episodes, %d transitions, return mean %.2f (min %.2f, max %.2f)%n", out,
                info.episodes(), info.transitions(), info.returnMean(), info.returnMin(), info.returnMax());
        return 0;
    }
}
