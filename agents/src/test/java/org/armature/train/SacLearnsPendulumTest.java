package org.armature.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SAC must clearly improve Pendulum-v1 within a small budget (guards against broken gradients in `mvn verify`).
 * Random/initial policies score about -1200 to -1600; after 4000 steps (3500 updates, 64x64 networks) SAC is far
 * better on most seeds (seeds 0-4 measured: -210, -1076, -360, -130, -215; seed 1 is a slow one), so the check uses
 * the default seed 0.
 */
class SacLearnsPendulumTest {

    @Test
    void sacImprovesPendulumQuickly(@TempDir Path dir) throws Exception {
        TrainConfig cfg = Configs.resolve(TrainConfig.defaults("sac", "Pendulum-v1", 4000, 0), null, List.of(
                "learning_starts=500", "batch_size=64", "eval_interval=500", "eval_episodes=5",
                "checkpoint_interval=0", "sac.actor_hidden=[64,64]", "sac.critic_hidden=[64,64]"));
        Trainer t = Trainer.create(cfg, dir, Progress.SILENT);
        Trainer.Result r = t.run();
        List<String> lines = java.nio.file.Files.readAllLines(r.runDir().resolve(Trainer.METRICS));
        double first = Double.NaN;
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            if (!f[4].isEmpty()) {
                first = Double.parseDouble(f[4]);
                break;
            }
        }
        assertTrue(first < -900, "the untrained policy should be poor, got " + first);
        assertTrue(r.finalEvalMean() > -600, "SAC did not learn: eval return " + r.finalEvalMean()
                + " (first eval " + first + ")");
    }
}
