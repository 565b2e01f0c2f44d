package org.armature.cli;

import java.util.Locale;
import java.util.concurrent.Callable;

import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.viz.GlContext;
import org.armature.viz.PolicyPlayback;
import org.armature.viz.Viewer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    WindowOptions window = new WindowOptions();

    @Override
    public Integer call() {
        GlContext.Mode mode = window.mode();
        if (mode == GlContext.Mode.HEADLESS && window.maxFrames <= 0) {
            throw new IllegalArgumentException("no display (DISPLAY is not set): 'armature view' needs a window; use "
                    + "'armature render' for images and GIFs, or --max-frames N to run the viewer loop headless");
        }
        if (window.maxFrames < 0) {
            throw new IllegalArgumentException("--max-frames must be >= 0, got " + window.maxFrames);
        }
        int[] wh = window.sizePixels();
        Env env = Envs.make(envId);
        PolicyResolver.Resolved p;
        try {
            p = PolicyResolver.resolve(policy, env.spec(), seed);
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
        try (PolicyPlayback playback = new PolicyPlayback(env, p.policy(), p.name(), seed);
             Viewer viewer = new Viewer(playback, mode, wh[0], wh[1], window.camera)) {
            int frames = viewer.run(window.maxFrames);
            System.out.printf(Locale.ROOT, "viewer: %d frames, %d episode(s) started, last episode at step %d, "
                            + "return %.2f (%s, %s)%n", frames, playback.episode() + 1, playback.stepIndex(),
                    playback.episodeReturn(), viewer.context().mode(), viewer.context().renderer());
        }
        return 0;
    }
}
