package org.armature.viz;

import static org.junit.jupiter.api.Assertions.*;

import org.armature.envs.tasks.PendulumEnv;
import org.armature.envs.wrappers.TimeLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The window path, only where a display exists (developers, or {@code Xvfb :1 & DISPLAY=:1 mvn test}); CI runs
 * headless and covers the same loop through {@link ViewerAndReplayTest}.
 */
@EnabledIfEnvironmentVariable(named = "DISPLAY", matches = ".+")
class WindowModeTest {

    @Test
    void viewerDrawsIntoAWindow() {
        PolicyPlayback playback = new PolicyPlayback(new TimeLimit(new PendulumEnv(), 200),
                GifAndEpisodeTest.constantTorque(1f), "const", 1L);
        try (Viewer viewer = new Viewer(playback, GlContext.Mode.WINDOW, 400, 300, null)) {
            assertEquals(GlContext.Mode.WINDOW, viewer.context().mode());
            assertEquals(20, viewer.run(20));
            long distinct = java.util.Arrays.stream(TestScenes.pixels(viewer.lastFrame())).distinct().count();
            assertTrue(distinct > 50, "window frame looks blank");
        }
    }
}
