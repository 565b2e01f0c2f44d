package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ros2:// link URI: domain, ROS 2's DDS topic and type names, the joint map shared with ROS 1, QoS. */
class Ros2ConfigTest {

    @TempDir
    Path dir;

    @Test
    void readmeUriWithAJointMap() throws IOException {
        Files.writeString(dir.resolve("map.json"), "{\"joints\": [\"a1\", \"a2\", \"a3\"], "
                + "\"commandJoints\": [\"a3\", \"a1\", \"a2\"], \"commandType\": \"std_msgs/msg/Float64MultiArray\"}");
        Ros2Config c = Ros2Config.parse("ros2://7?state=/joint_states&command=/arm/command&joints=map.json", dir,
                Map.of("ROS_DOMAIN_ID", "3"));
        assertEquals(7, c.domainId());
        assertEquals("rt/joint_states", c.stateDdsTopic());
        assertEquals("rt/arm/command", c.commandDdsTopic());
        assertEquals(RosMessages.FLOAT64_MULTI_ARRAY, c.commandType());
        assertEquals("std_msgs::msg::dds_::Float64MultiArray_", c.commandDdsType());
        assertEquals("sensor_msgs::msg::dds_::JointState_", Ros2Config.ddsType(RosMessages.JOINT_STATE));
        assertArrayEquals(new int[]{2, 0, 1}, c.commandOrder());
        assertFalse(c.stateReliable(), "state is read BEST_EFFORT by default");
        assertEquals("armature_bridge", c.nodeName());
    }

    @Test
    void defaultsAndOverrides() throws IOException {
        Ros2Config c = Ros2Config.parse("ros2://?command=arm/cmd&joints=x,y&type=JointTrajectory&state_qos=reliable"
                + "&node=bridge2", dir, Map.of("ROS_DOMAIN_ID", "42"));
        assertEquals(42, c.domainId(), "an empty domain takes ROS_DOMAIN_ID");
        assertEquals("rt/joint_states", c.stateDdsTopic());
        assertEquals("rt/arm/cmd", c.commandDdsTopic(), "relative names resolve to the root namespace");
        assertEquals("trajectory_msgs::msg::dds_::JointTrajectory_", c.commandDdsType());
        assertArrayEquals(new String[]{"x", "y"}, c.jointNames());
        assertTrue(c.stateReliable());
        assertEquals("bridge2", c.nodeName());
        assertEquals(0, Ros2Config.parse("ros2://?command=/c&joints=a", dir, Map.of()).domainId());
    }

    @Test
    void mistakesNameWhatIsWrong() throws IOException {
        Files.writeString(dir.resolve("cmd.json"), "{\"joints\": [\"a\", \"b\"], \"commandJoints\": [\"a\", \"c\"]}");
        String[][] cases = {
                {"ros2://0?joints=a", "command topic"},
                {"ros2://0?command=/c", "joints"},
                {"ros2://x?command=/c&joints=a", "DOMAIN_ID a number"},
                {"ros2://233?command=/c&joints=a", "0-232"},
                {"ros2://0?command=/c&joints=a&bogus=1", "unknown parameter 'bogus'"},
                {"ros2://0?command=/c d&joints=a", "not a ROS name"},
                {"ros2://0?command=/c&joints=a&type=Twist", "JointTrajectory or Float64MultiArray"},
                {"ros2://0?command=/c&joints=a&state_qos=keep_all", "best_effort or reliable"},
                {"ros2://0?command=/c&joints=a&node=/x", "node name"},
                {"ros2://0?command=/c&joints=a,a", "repeat"},
                {"ros2://0?command=/c&joints=cmd.json", "same joints"},
                {"ros1://h:1?command=/c&joints=a", "must start with ros2://"}};
        for (String[] c : cases) {
            Exception e = assertThrows(Exception.class, () -> Ros2Config.parse(c[0], dir, Map.of()), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
