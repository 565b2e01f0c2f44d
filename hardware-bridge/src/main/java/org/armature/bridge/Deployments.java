package org.armature.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.envs.tasks.manipulation.ReachEnv;

/** Which robot and task an env id deploys to, and what a bundle says about its env and control period. */
public final class Deployments {

    private Deployments() {
    }

    /** Env ids that can be deployed (their observation can be built from robot state). */
    public static final java.util.List<String> SUPPORTED = java.util.List.of(ReachEnv.KINEMATIC_ID,
            ReachEnv.KINEMATIC_SPARSE_ID, ReachEnv.ID, ReachEnv.SPARSE_ID);

    public static RobotModel robotFor(String envId) {
        check(envId);
        return RobotModel.panda();
    }

    public static DeploymentTask taskFor(String envId, double[] target) {
        check(envId);
        return new ReachTask(envId, target == null ? ReachTask.DEFAULT_TARGET : target);
    }

    /**
     * The env a simulated robot ({@code armature emulator}, {@code sim://}) serves for a deployment of {@code envId}
     * whose task observes {@code target} (null: {@link ReachTask#DEFAULT_TARGET}, as {@link #taskFor}): the Reach
     * target is fixed there, so the reward the robot reports measures the distance to the target the policy sees.
     */
    public static Supplier<Env> twinFor(String envId, double[] target) {
        double[] t = ((ReachTask) taskFor(envId, target)).target(); // checked as the deployment's task checks it
        return () -> {
            Env env = Envs.make(envId);
            if (env.unwrapped() instanceof ReachEnv reach) {
                reach.fixTarget(t);
            }
            return env;
        };
    }

    private static void check(String envId) {
        if (!Envs.contains(envId)) {
            throw new IllegalArgumentException("unknown env id '" + envId + "'; deployable: " + SUPPORTED);
        }
        if (!SUPPORTED.contains(envId)) {
            throw new IllegalArgumentException("env " + envId + " cannot be deployed yet (no observation from robot "
                    + "state); deployable: " + SUPPORTED);
        }
    }

    /** The bundle's env id and control period, read from bundle.json without loading weights. */
    public record BundleInfo(String envId, double controlDtSeconds, int chunkLength) {
    }

    public static BundleInfo bundleInfo(Path dir) throws IOException {
        Path f = dir.resolve("bundle.json");
        if (!Files.isRegularFile(f)) {
            throw new IOException(Files.isDirectory(dir) ? dir + " is not a policy bundle: bundle.json is missing"
                    : "policy bundle directory " + dir + " does not exist");
        }
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(f.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(f + ": malformed bundle.json (" + e.getOriginalMessage() + ")");
        }
        double dt = n.path("controlDtSeconds").asDouble(0);
        if (!(dt > 0)) {
            throw new IOException(f + ": 'controlDtSeconds' must be > 0 (the policy's decision period)");
        }
        String env = n.path("provenance").path("envId").asText(null);
        return new BundleInfo(env, dt, Math.max(1, n.path("chunkLength").asInt(1)));
    }
}
