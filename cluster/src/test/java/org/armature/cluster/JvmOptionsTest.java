package org.armature.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class JvmOptionsTest {

    @Test
    void theLauncherPassesEveryOptionIgniteNeeds() throws Exception {
        List<String> options = Members.jvmOptions();
        assertFalse(options.isEmpty(), "jvm-options.txt was filtered from the pom's ignite.jvm.options");
        assertTrue(options.stream().allMatch(o -> o.startsWith("--add-opens=")), options.toString());
        String launcher = Files.readString(Path.of("..", "armature"));
        for (String o : options) {
            assertTrue(launcher.contains(o), "./armature lacks " + o);
        }
        assertTrue(launcher.contains("IGNITE_UPDATE_NOTIFIER=false"));
    }
}
