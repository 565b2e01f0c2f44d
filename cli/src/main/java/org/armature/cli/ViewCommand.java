package org.armature.cli;

import java.util.Locale;
import java.util.concurrent.Callable;

import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.viz.GlContext;
import org.armature.viz.PolicyPlayback;
import org.armature.viz.RenderOptions;
import org.armature.viz.Viewer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature view}: watch a policy act in an env, live. */
@Command(name = "view", mixinStandardHelpOptions = true,
        description = {"Watch a policy in a window. Keys: space pause/resume, right arrow single step, R reset, "
                + "+/- playback speed, C switch camera, Esc quit; drag to orbit, wheel to zoom.",
                "Without a display, --max-frames N runs the same loop headless (EGL) and exits."})
public final class ViewCommand implements Callable<Integer> {

    @Option(names = "--env", required = true, paramLabel = "ID", description = "environment id (see 'armature envs')")
    String envId;

    @Option(names = "--policy", defaultValue = "random", paramLabel = "random|expert|BUNDLE_DIR",
            description = "policy to run (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "seed of the first episode; episode k uses S+k (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--size", defaultValue = "1024x768", paramLabel = "WxH", description = "window size (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--camera", paramLabel = "NAME", description = "initial camera: a task camera name, 'orbit' or 'track'")
    String camera;

    @Option(names = "--max-frames", defaultValue = "0", paramLabel = "N",
            description = "stop after N frames (0: run until closed); required without a display")
    int maxFrames;

    @Option(names = "--headless", description = "use the headless EGL context even when a display exists")
    boolean headless;

    @Override
    public Integer call() {
        try {
            return execute();
        } catch (org.armature.viz.GlContext.UnavailableException e) {
            throw new Errors.UserException(e.getMessage());
        }
    }

    private int execute() {
        GlContext.Mode mode = headless ? GlContext.Mode.HEADLESS : GlContext.Mode.auto();
        if (mode == GlContext.Mode.HEADLESS && maxFrames <= 0) {
            throw new IllegalArgumentException("no display (DISPLAY is not set): 'armature view' needs a window; use "
                    + "'armature render' for images and GIFs, or --max-frames N to run the viewer loop headless");
        }
        if (maxFrames < 0) {
            throw new IllegalArgumentException("--max-frames must be >= 0, got " + maxFrames);
        }
        int[] wh = RenderOptions.parseSize(size);
        Env env = Envs.make(envId);
        PolicyResolver.Resolved p;
        try {
            p = PolicyResolver.resolve(policy, env.spec(), seed);
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
        try (PolicyPlayback playback = new PolicyPlayback(env, p.policy(), p.name(), seed);
             Viewer viewer = new Viewer(playback, mode, wh[0], wh[1], camera)) {
            int frames = viewer.run(maxFrames);
            System.out.printf(Locale.ROOT, "viewer: %d frames, %d episode(s) started, last episode at step %d, "
                            + "return %.2f (%s, %s)%n", frames, playback.episode() + 1, playback.stepIndex(),
                    playback.episodeReturn(), viewer.context().mode(), viewer.context().renderer());
        }
        return 0;
    }
}
