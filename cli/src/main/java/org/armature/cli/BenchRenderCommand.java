package org.armature.cli;

import java.util.concurrent.Callable;

import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.viz.RenderBench;
import org.armature.viz.RenderOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armature bench render}: headless rendering time per frame (draw, draw + readback, draw + BufferedImage) for
 * an env's reset scene and for a synthetic scene of many primitives. A subcommand of {@code bench}.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Time headless rendering per frame (EGL offscreen): draw+glFinish, draw+glReadPixels, "
                + "draw+BufferedImage.")
public final class BenchRenderCommand implements Callable<Integer> {

    @Option(names = "--env", defaultValue = "Pendulum-v1", paramLabel = "ID", description = "env whose reset scene is drawn (default: ${DEFAULT-VALUE})")
    String envId;

    @Option(names = "--shapes", defaultValue = "32", paramLabel = "N", description = "primitives in the synthetic scene (default: ${DEFAULT-VALUE})")
    int shapes;

    @Option(names = "--size", defaultValue = "640x480", paramLabel = "WxH", description = "frame size (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--frames", defaultValue = "500", paramLabel = "N", description = "timed frames per stage (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--warmup", defaultValue = "50", paramLabel = "N", description = "untimed frames first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--samples", defaultValue = "0,4", split = ",", paramLabel = "S", description = "MSAA sample counts (default: ${DEFAULT-VALUE})")
    int[] samples;

    @Override
    public Integer call() {
        if (frames < 10 || warmup < 0 || shapes < 1) {
            throw new IllegalArgumentException("need --frames >= 10, --warmup >= 0, --shapes >= 1");
        }
        int[] wh = RenderOptions.parseSize(size);
        org.armature.sim.Scene envScene;
        try (Env env = Envs.make(envId)) {
            env.reset(0);
            envScene = env.scene();
        }
        for (int s : samples) {
            RenderBench.run(envId, envScene, wh[0], wh[1], s, warmup, frames).forEach(System.out::println);
            RenderBench.run("synthetic-" + shapes + "-shapes", RenderBench.syntheticScene(shapes), wh[0], wh[1], s,
                    warmup, frames).forEach(System.out::println);
        }
        return 0;
    }
}
