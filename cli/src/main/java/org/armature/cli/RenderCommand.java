package org.armature.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.viz.EpisodeRenderer;
import org.armature.viz.RenderOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature render}: headless PNG frames and animated GIFs of policy episodes. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Render episodes of a policy headless (EGL, no display needed) to PNG frames and, with --gif, "
                + "an animated GIF per episode.",
                "Output: OUT/episode_000/frame_00000.png ..., OUT/episode_000.gif, ...; episode k uses seed S+k."})
public final class RenderCommand implements Callable<Integer> {

    @Option(names = "--env", required = true, paramLabel = "ID", description = "environment id (see 'armature envs')")
    String envId;

    @Option(names = "--policy", defaultValue = "random", paramLabel = "random|expert|BUNDLE_DIR",
            description = "policy to run (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--episodes", defaultValue = "1", paramLabel = "N", description = "episodes (default: ${DEFAULT-VALUE})")
    int episodes;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--gif", description = "also write an animated GIF per episode")
    boolean gif;

    @Option(names = "--no-frames", description = "do not write the PNG frames (use with --gif)")
    boolean noFrames;

    @Option(names = "--size", defaultValue = "640x480", paramLabel = "WxH", description = "image size (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "seed of episode 0 (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--fps", defaultValue = "30", paramLabel = "F",
            description = "frame rate of the recording; every k-th control step is kept (default: ${DEFAULT-VALUE})")
    double fps;

    @Option(names = "--camera", paramLabel = "NAME", description = "camera: a task camera name, 'orbit' or 'track' "
            + "(default: the task's first camera, else orbit)")
    String camera;

    @Option(names = "--hud", description = "draw step, reward, return, success and action on the frames")
    boolean hud;

    @Override
    public Integer call() throws Exception {
        if (episodes < 1) {
            throw new IllegalArgumentException("--episodes must be at least 1, got " + episodes);
        }
        if (noFrames && !gif) {
            throw new IllegalArgumentException("--no-frames without --gif would write nothing");
        }
        int[] wh = RenderOptions.parseSize(size);
        RenderOptions options = new RenderOptions(wh[0], wh[1], fps, camera, hud,
                org.armature.viz.OffscreenRenderer.DEFAULT_SAMPLES);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not a directory");
        }
        try (Env env = Envs.make(envId)) {
            PolicyResolver.Resolved p = PolicyResolver.resolve(policy, env.spec(), seed);
            try (EpisodeRenderer renderer = new EpisodeRenderer(options)) { // fails before anything is written
                Files.createDirectories(out);
                System.out.printf(Locale.ROOT, "rendering %d episode(s) of %s with %s at %dx%d on %s%n", episodes,
                        envId, p.name(), wh[0], wh[1], renderer.renderer().context().renderer());
                for (int e = 0; e < episodes; e++) {
                    String name = String.format("episode_%03d", e);
                    EpisodeRenderer.Recording r = renderer.record(env, p.policy(), p.name(), seed + e,
                            gif ? out.resolve(name + ".gif") : null, noFrames ? null : out.resolve(name));
                    System.out.printf(Locale.ROOT, "%s: seed %d, %d steps, return %.2f, success %s, %d frames "
                                    + "(%.2f ms render+readback per frame)%s%s%n", name, r.seed(), r.steps(),
                            r.episodeReturn(), !env.definesSuccess() ? "-" : r.success() ? "yes" : "no", r.frames(), r.renderMillisPerFrame(),
                            r.framesDir() != null ? " -> " + r.framesDir() + "/" : "",
                            r.gif() != null ? " -> " + r.gif() : "");
                }
            }
        }
        return 0;
    }
}
