package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ros1:// link URI and the joint-map file. */
class Ros1ConfigTest {

    @TempDir
    Path dir;

    @Test
    void readmeUriWithAJointMap() throws IOException {
        Files.writeString(dir.resolve("map.json"), "{\"joints\": [\"a1\", \"a2\", \"a3\"], "
                + "\"commandJoints\": [\"a3\", \"a1\", \"a2\"], \"commandType\": \"std_msgs/Float64MultiArray\"}");
        Ros1Config c = Ros1Config.parse("ros1://127.0.0.1:11311?state=/joint_states&command=/arm/command"
                + "&joints=map.json", dir, Map.of());
        assertEquals("http://127.0.0.1:11311/", c.masterUri());
        assertEquals("/joint_states", c.stateTopic());
        assertEquals("/arm/command", c.commandTopic());
        assertEquals(RosMessages.FLOAT64_MULTI_ARRAY, c.commandType());
        assertArrayEquals(new int[]{2, 0, 1}, c.commandOrder());
        assertEquals("/armature_bridge", c.nodeName());
        assertEquals("127.0.0.1", c.advertisedHost());
    }

    @Test
    void inlineJointsDefaultsAndOverrides() throws IOException {
        Ros1Config c = Ros1Config.parse("ros1://robot:11311?command=arm/cmd&joints=x,y&type=JointTrajectory"
                + "&node=/bridge2", dir, Map.of("ROS_IP", "10.0.0.5"));
        assertEquals("/joint_states", c.stateTopic());
        assertEquals("/arm/cmd", c.commandTopic());
        assertEquals(RosMessages.JOINT_TRAJECTORY, c.commandType());
        assertArrayEquals(new String[]{"x", "y"}, c.jointNames());
        assertEquals("10.0.0.5", c.advertisedHost());
        assertEquals("/bridge2", c.nodeName());
    }

    @Test
    void mistakesNameWhatIsWrong() throws IOException {
        Files.writeString(dir.resolve("bad.json"), "{\"joints\": [\"a\", 3]}");
        Files.writeString(dir.resolve("extra.json"), "{\"joints\": [\"a\"], \"jionts\": []}");
        Files.writeString(dir.resolve("cmd.json"), "{\"joints\": [\"a\", \"b\"], \"commandJoints\": [\"a\", \"c\"]}");
        Files.writeString(dir.resolve("broken.json"), "{\"joints\": [");
        String base = "ros1://127.0.0.1:11311?command=/c&joints=";
        String[][] cases = {
                {"ros1://h:1?joints=a", "command topic"},
                {"ros1://h:1?command=/c", "joints"},
                {"ros1://h:x?command=/c&joints=a", "port"},
                {"ros1://h:1?command=/c&joints=a&bogus=1", "unknown parameter 'bogus'"},
                {"ros1://h:1?command=/c d&joints=a", "not a ROS name"},
                {"ros1://h:1?command=/c&joints=a&type=Twist", "JointTrajectory or Float64MultiArray"},
                {"ros1://h:1?command=/c&joints=a,a", "repeat"},
                {base + "bad.json", "joint names"},
                {base + "extra.json", "unknown field 'jionts'"},
                {base + "cmd.json", "same joints"},
                {base + "broken.json", "malformed joint map"},
                {base + "missing.json", "cannot read joint map"},
                {"udp://h:1", "must start with ros1://"}};
        for (String[] c : cases) {
            Exception e = assertThrows(Exception.class, () -> Ros1Config.parse(c[0], dir, Map.of()), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
