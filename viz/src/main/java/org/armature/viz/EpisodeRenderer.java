package org.armature.viz;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.armature.agents.Policy;
import org.armature.envs.Env;
import org.armature.sim.AtomicFiles;
import org.armature.sim.Scene;

/**
 * Plays episodes of a policy headless and writes them as PNG frames and/or an animated GIF. One renderer (and its
 * EGL context) serves many episodes; use it on one thread.
 *
 * <pre>{@code
 * try (EpisodeRenderer r = new EpisodeRenderer(RenderOptions.defaults())) {
 *     EpisodeRenderer.Recording rec = r.record(Envs.make("Pendulum-v1"), policy, "sac", 0L, Path.of("out/ep.gif"), null);
 * }
 * }</pre>
 */
public final class EpisodeRenderer implements AutoCloseable {

    /** What one recorded episode produced. */
    public record Recording(long seed, int steps, double episodeReturn, boolean success, int frames,
                            Path gif, Path framesDir, double renderMillisPerFrame) {
    }

    private final RenderOptions options;
    private final OffscreenRenderer renderer;
    private BufferedImage frame;

    public EpisodeRenderer(RenderOptions options) {
        this.options = options;
        this.renderer = OffscreenRenderer.open(options.width(), options.height(), options.samples());
    }

    /** One call for the quickstart: renders episode {@code seed} of {@code policy} in {@code env} into a GIF. */
    public static Recording recordGif(Env env, Policy policy, String policyName, long seed, Path gif,
                                      RenderOptions options) throws IOException {
        try (EpisodeRenderer r = new EpisodeRenderer(options)) {
            return r.record(env, policy, policyName, seed, gif, null);
        }
    }

    /**
     * Runs one episode from {@code seed} (env and policy reset with it) until terminated or truncated, keeping every
     * k-th step (plus the first and last state) as a frame.
     *
     * @param env       stepped on this thread; not closed here
     * @param gif       GIF to write, or null
     * @param framesDir directory for {@code frame_00000.png ...}, or null; replaced when it exists
     */
    public Recording record(Env env, Policy policy, String policyName, long seed, Path gif, Path framesDir)
            throws IOException {
        PolicyPlayback playback = new PolicyPlayback(env, policy, policyName, seed);
        int[] sd = GifWriter.strideAndDelay(playback.controlDtSeconds(), options.fps());
        int stride = sd[0];
        Scene first = playback.scene();
        CameraRig rig = new CameraRig(first).select(options.camera());
        Path tmpFrames = null;
        GifWriter gifWriter = null;
        int frames = 0;
        long renderNanos = 0;
        boolean ok = false;
        try {
            if (framesDir != null) {
                Path parent = framesDir.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                tmpFrames = Files.createDirectory(AtomicFiles.tempSibling(framesDir));
            }
            if (gif != null) {
                gifWriter = new GifWriter(gif, sd[1], true);
            }
            boolean needFrame = true;
            while (true) {
                if (needFrame) {
                    Scene scene = playback.scene();
                    long t0 = System.nanoTime();
                    frame = renderer.render(scene, rig.current().pose(scene),
                            options.hud() ? playback.hudLines() : null, frame);
                    renderNanos += System.nanoTime() - t0;
                    if (tmpFrames != null) {
                        Images.writePng(frame, tmpFrames.resolve(String.format("frame_%05d.png", frames)));
                    }
                    if (gifWriter != null) {
                        gifWriter.addFrame(frame);
                    }
                    frames++;
                }
                if (playback.episodeOver()) {
                    break;
                }
                playback.step();
                needFrame = playback.stepIndex() % stride == 0 || playback.episodeOver();
            }
            if (gifWriter != null) {
                gifWriter.close();
            }
            if (tmpFrames != null) {
                org.armature.nn.ParamIO.deleteRecursively(framesDir);
                Files.move(tmpFrames, framesDir, StandardCopyOption.ATOMIC_MOVE);
            }
            ok = true;
        } finally {
            if (!ok) {
                if (gifWriter != null) {
                    gifWriter.abort();
                }
                if (tmpFrames != null) {
                    org.armature.nn.ParamIO.deleteRecursively(tmpFrames);
                }
            }
        }
        return new Recording(seed, playback.stepIndex(), playback.episodeReturn(), playback.success(), frames, gif,
                framesDir, renderNanos / 1e6 / Math.max(1, frames));
    }

    public OffscreenRenderer renderer() {
        return renderer;
    }

    @Override
    public void close() {
        renderer.close();
    }
}
