package org.armature.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.function.Function;

import org.armature.agents.Agent;
import org.armature.agents.ChunkLayout;
import org.armature.agents.Policy;
import org.armature.agents.PolicyBundles;
import org.armature.agents.ReplayBuffer;
import org.armature.agents.Sac;
import org.armature.agents.Seeds;
import org.armature.agents.Td3;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.dsrl.NoiseSpaceEnv;
import org.armature.agents.residual.BaseActionObservation;
import org.armature.agents.residual.Demonstrations;
import org.armature.agents.residual.ResidualTd3;
import org.armature.agents.sequence.Srl;
import org.armature.envs.BoxSpace;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.envs.Wrapper;
import org.armature.envs.wrappers.ActionRepeat;
import org.armature.envs.wrappers.DecisionInterval;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The online algorithms of the training loop, and the only place that names them: how each agent is built, the env
 * it acts in, the discount of one stored transition, its demonstrations, and how its bundle is composed. SAC and TD3
 * act in the task; SRL, SAC with action repeat and SAC over J-action chunks act through a wrapper that decides every
 * J control steps; residual RL and DSRL act on top of a frozen base policy, which is checked before anything is
 * written and copied into {@code <run>/base/} (a base of {@code expert} or {@code expert:NOISE} becomes the scripted
 * expert's bundle).
 */
final class OnlineAlgorithms {

    private OnlineAlgorithms() {
    }

    /**
     * The agent for {@code cfg}, acting in {@code agentSpec} (residual RL: the task's observation with the base action
     * appended) on the task {@code envSpec}.
     */
    static Agent create(TrainConfig cfg, EnvSpec agentSpec, EnvSpec envSpec, Path runDir) throws IOException {
        BoxSpace as = agentSpec.actionSpace();
        int obsDim = agentSpec.observationDim();
        return switch (cfg.algo()) {
            // SAC on the task, or on the wrapped task: one action held (repeat), a flattened J-action chunk, or
            // DSRL's initial noise of the base's sampler
            case "sac", TrainConfig.SAC_REPEAT, TrainConfig.SAC_CHUNK, TrainConfig.DSRL -> new Sac(obsDim, as.low(),
                    as.high(), cfg.sac(), cfg.seed(), DataType.FLOAT);
            case "td3" -> new Td3(obsDim, as.low(), as.high(), cfg.td3(), cfg.seed(), DataType.FLOAT);
            case TrainConfig.RESIDUAL -> new ResidualTd3(envSpec.observationDim(), as, baseNormalization(runDir),
                    cfg.residual(), cfg.seed());
            case TrainConfig.SRL -> new Srl(envSpec.observationDim(), envSpec.actionSpace(), cfg.sac(),
                    cfg.sequence(), cfg.seed());
            default -> throw new IllegalArgumentException("unknown algo " + cfg.algo());
        };
    }

    /** The observation normalisation of a residual run's base (the residual actor sees the base's normalised input). */
    private static PolicyBundles.Normalization baseNormalization(Path runDir) throws IOException {
        return PolicyBundles.readSpec(runDir.resolve(Trainer.BASE)).observationNormalization();
    }

    /**
     * The discount of one stored transition: γ, or for DSRL, whose transitions each span a chunk of Ta primitive
     * steps, γ^Ta.
     */
    static double transitionDiscount(TrainConfig cfg, Env env) {
        return env instanceof NoiseSpaceEnv n ? Math.pow(cfg.gamma(), n.decisionInterval()) : cfg.gamma();
    }

    /**
     * A residual run's demonstrations ({@code demos}, read with {@code reader}) as a never-evicted buffer, labelled
     * with the base actions of the training env's base (every training episode resets it again).
     */
    static ReplayBuffer demonstrations(TrainConfig cfg, Env env, EnvSpec envSpec,
                                       Function<Path, OfflineDataset> reader) {
        if (!(env instanceof BaseActionObservation b)) {
            throw new IllegalArgumentException(cfg.algo() + " takes no demonstrations");
        }
        if (reader == null) {
            throw new IllegalArgumentException("this caller cannot read demonstration datasets");
        }
        return Demonstrations.relabel(reader.apply(Path.of(cfg.demos())), envSpec, b.base(),
                Seeds.of(cfg.seed(), "demonstrations"));
    }

    /**
     * Writes the agent's policy bundle into {@code dir}: the agent alone, or for residual RL and DSRL the run's base
     * and the agent composed into one policy.
     */
    static void writeBundle(Path dir, TrainConfig cfg, Agent agent, EnvSpec agentSpec, EnvSpec envSpec, Path runDir,
                            PolicyBundles.Provenance p) throws IOException {
        if (TrainConfig.DSRL.equals(cfg.algo())) {
            // base + noise actor as one policy: the SAC actor's tanh mean, scaled to the noise bound, is the noise
            PolicyBundles.write(dir, agent, envSpec, null, p, runDir.resolve(Trainer.BASE),
                    new PolicyBundles.Composition(PolicyBundles.NOISE_SPACE, cfg.dsrl().noiseMagnitude()));
        } else if (agent instanceof ResidualTd3 r) {
            // base + residual as one policy: the residual network on the env's own spaces, the base in base/
            PolicyBundles.write(dir, agent, envSpec, baseNormalization(runDir), p, runDir.resolve(Trainer.BASE),
                    new PolicyBundles.Composition(PolicyBundles.RESIDUAL, r.config().residualScale()));
        } else if (cfg.decidesInSequences()) {
            // on the task's spaces, deciding every J steps: a chunk of J actions (srl, sac-chunk) or one held
            int j = cfg.sequence().decisionInterval();
            ChunkLayout layout = TrainConfig.SAC_REPEAT.equals(cfg.algo()) ? ChunkLayout.SINGLE
                    : new ChunkLayout(1, j, j);
            PolicyBundles.write(dir, agent, envSpec, null, null, p, null, null, layout, j);
        } else {
            PolicyBundles.write(dir, agent, agentSpec, null, p);
        }
    }

    /**
     * The env the agent acts in: the task itself, or for residual RL and DSRL the task wrapped around its own
     * instance of the run's frozen base (policies keep per-episode state, so each env gets one).
     */
    static Env makeEnv(TrainConfig cfg, Path runDir) throws IOException {
        Env task = Envs.make(cfg.envId());
        return switch (cfg.algo()) {
            case TrainConfig.RESIDUAL -> new BaseActionObservation(task, Policy.load(runDir.resolve(Trainer.BASE)));
            case TrainConfig.DSRL -> new NoiseSpaceEnv(task, Policy.load(runDir.resolve(Trainer.BASE)),
                    cfg.dsrl().noiseMagnitude(), cfg.sac().gamma());
            case TrainConfig.SAC_REPEAT -> new ActionRepeat(task, cfg.sequence().decisionInterval());
            case TrainConfig.SAC_CHUNK, TrainConfig.SRL -> new DecisionInterval(task,
                    cfg.sequence().decisionInterval());
            default -> task;
        };
    }

    /** The task's own spec under what {@link #makeEnv} wrapped around it (what a bundle is deployed on). */
    static EnvSpec taskSpec(TrainConfig cfg, Env env) {
        return cfg.onBase() || cfg.decidesInSequences() ? ((Wrapper) env).inner().spec() : env.spec();
    }

    /**
     * Checks a run on a base before anything is written: its base (a readable bundle for this env, or the expert),
     * its demonstrations, and a TD-target clip only where rewards are sparse.
     */
    static void check(TrainConfig cfg, EnvSpec env) throws IOException {
        if (TrainConfig.RESIDUAL.equals(cfg.algo()) && cfg.residual().qTargetClip() && !Envs.isSparse(cfg.envId())) {
            throw new IllegalArgumentException("residual.q_target_clip clips TD targets to [0, 1], which only suits "
                    + "sparse {0, 1} rewards; " + cfg.envId() + " is not a sparse task: use its sparse variant or "
                    + "--set residual.q_target_clip=false");
        }
        checkBase(cfg.base(), env, TrainConfig.DSRL.equals(cfg.algo()));
        if (cfg.demos() != null && !Files.isRegularFile(Path.of(cfg.demos()))) {
            throw new IOException("demonstration dataset " + cfg.demos() + " does not exist");
        }
    }

    private static void checkBase(String base, EnvSpec env, boolean noiseSampler) throws IOException {
        if (noiseSampler && isExpert(base)) {
            throw new IllegalArgumentException("DSRL steers a diffusion policy's sampling noise; a scripted expert "
                    + "has none (--base must be a diffusion bundle)");
        }
        if (isExpert(base)) {
            expertNoise(base);
            try {
                org.armature.envs.experts.Experts.make(env.id(), 0.0, 0);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--base expert: " + e.getMessage());
            }
            return;
        }
        Policy p = Policy.load(Path.of(base));
        PolicyBundles.Spec s = PolicyBundles.readSpec(Path.of(base));
        if (p.observationDim() != env.observationDim() || p.actionDim() != env.actionDim()) {
            throw new IllegalArgumentException("the base bundle " + base + " maps " + p.observationDim() + " -> "
                    + p.actionDim() + " values, " + env.id() + " has observations of " + env.observationDim()
                    + " and actions of " + env.actionDim());
        }
        if (noiseSampler && p.noiseDim() <= 0) {
            throw new IllegalArgumentException("DSRL needs a base that samples its action chunks from noise (a "
                    + "diffusion bundle); " + base + " is a " + s.policy().type() + " policy");
        }
        String from = s.provenance() == null ? null : s.provenance().envId();
        if (from != null && !Envs.sameFamily(from, env.id())) {
            throw new IllegalArgumentException("the base bundle " + base + " was trained on " + from + ", not on the task "
                    + "of " + env.id());
        }
    }

    private static boolean isExpert(String base) {
        return base.equals("expert") || base.startsWith("expert:");
    }

    private static double expertNoise(String base) {
        if (base.equals("expert")) {
            return 0.0;
        }
        try {
            double v = Double.parseDouble(base.substring("expert:".length()));
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--base expert:NOISE needs a noise std >= 0 (action units), got '"
                    + base + "'");
        }
    }

    static void copy(String base, EnvSpec env, Path to) throws IOException {
        if (isExpert(base)) {
            PolicyBundles.writeExpert(to, env, expertNoise(base));
        } else {
            PolicyBundles.copy(Path.of(base), to);
        }
    }
}
