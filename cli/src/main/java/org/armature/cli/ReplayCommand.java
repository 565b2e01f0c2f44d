package org.armature.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.armature.agents.data.OfflineDataset;
import org.armature.envs.Envs;
import org.armature.offline.data.D4rlHdf5;
import org.armature.viz.GlContext;
import org.armature.viz.ReplayPlayback;
import org.armature.viz.Viewer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code armature replay}: re-simulate a recorded dataset episode in the viewer and check it matches. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay an episode of a D4RL-layout dataset in the viewer by re-simulating its recorded "
                + "actions from its recorded reset seed, and report the largest deviation from the recorded "
                + "observations (0 when the replay is exact).",
                "--check re-simulates without a window; without a display, --max-frames N runs the viewer headless."})
public final class ReplayCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.h5", description = "dataset file")
    Path file;

    @Option(names = "--episode", defaultValue = "0", paramLabel = "K", description = "episode index (default: ${DEFAULT-VALUE})")
    int episode;

    @Option(names = "--env", paramLabel = "ID", description = "env id when the dataset has no env_id attribute")
    String envId;

    @Option(names = "--check", description = "only re-simulate and report the deviation (no window)")
    boolean check;

    @Option(names = "--tolerance", defaultValue = "1e-4", paramLabel = "X",
            description = "with --check, exit 1 when the max observation deviation exceeds X (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Mixin
    WindowOptions window = new WindowOptions();

    @Override
    public Integer call() {
        OfflineDataset d = D4rlHdf5.read(file);
        String id = envId != null ? envId : d.metadata().envId();
        if (id == null) {
            throw new IllegalArgumentException(file + " has no env_id attribute; pass --env ID");
        }
        Errors.requireEnv(id);
        if (envId != null) {
            PolicyResolver.warnIfOtherTask("dataset " + file, "collected in", d.metadata().envId(), envId);
        }
        GlContext.Mode mode = window.mode();
        if (!check && mode == GlContext.Mode.HEADLESS && window.maxFrames <= 0) {
            throw new IllegalArgumentException("no display (DISPLAY is not set): use --check to verify the replay "
                    + "without a window, or --max-frames N to run the viewer loop headless");
        }
        try (ReplayPlayback replay = new ReplayPlayback(d, episode, () -> Envs.make(id))) {
            if (check) {
                replay.runToEnd();
            } else {
                int[] wh = window.sizePixels();
                try (Viewer viewer = new Viewer(replay, mode, wh[0], wh[1], window.camera)) {
                    viewer.run(window.maxFrames);
                }
            }
            System.out.printf(Locale.ROOT, "replay %s episode %d (seed %d): %d/%d steps re-simulated, return %.4f "
                            + "(recorded %.4f), max |obs - recorded| %.3e, max |reward - recorded| %.3e%n",
                    id, episode, replay.seed(), replay.stepIndex(), replay.length(), replay.episodeReturn(),
                    replay.recordedReturn(), replay.maxObservationDeviation(), replay.maxRewardDeviation());
            if (check && replay.maxObservationDeviation() > tolerance) {
                throw new Errors.UserException(String.format(Locale.ROOT, "replay does not match the recording: max "
                        + "observation deviation %.3e > tolerance %.1e", replay.maxObservationDeviation(), tolerance));
            }
        }
        return 0;
    }
}
