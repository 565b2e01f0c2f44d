package org.armature.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.armature.agents.Policy;
import org.armature.envs.Envs;
import org.armature.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature eval}: roll a policy bundle out deterministically and report returns and success rate. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a policy bundle: mean/std return and success rate over N episodes.",
                "  armature eval --bundle runs/<run>/bundle --env Pendulum-v1 --episodes 10 --seed 0",
                "Episode i is reset with seed S + i; actions are the policy's deterministic (mean) actions."})
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--bundle", required = true, paramLabel = "DIR", description = "policy bundle directory")
    Path bundle;

    @Option(names = "--env", required = true, description = "env id")
    String env;

    @Option(names = "--episodes", defaultValue = "10", description = "episodes (default: ${DEFAULT-VALUE})")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "first episode seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (episodes < 1) {
            throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
        }
        Policy policy = Policy.load(bundle);
        PolicyResolver.warnIfOtherTask("policy bundle " + bundle, "trained on", PolicyResolver.bundleEnvId(bundle),
                env);
        Evaluation.Result r = Evaluation.run(policy, env, episodes, seed);
        System.out.printf("%s on %s: return %.2f +- %.2f over %d episodes (min %.2f, max %.2f), success rate %s, "
                        + "mean length %.1f%s%n", bundle, env, r.mean(), r.std(), episodes, r.min(), r.max(),
                Envs.definesSuccess(env) ? String.format("%.2f", r.successRate()) : "-", r.meanLength(),
                Double.isNaN(r.meanMaxCoverage()) ? ""
                        : String.format(", mean best coverage %.3f", r.meanMaxCoverage()));
        return 0;
    }
}
