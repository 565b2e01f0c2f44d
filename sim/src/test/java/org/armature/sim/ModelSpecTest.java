package org.armature.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelSpecTest {

    static final String BOX = "{\"name\":\"t\",\"bodies\":[{\"name\":\"b\",\"shape\":{\"type\":\"box\",\"halfExtents\":[0.1,0.1,0.1],\"position\":[0,0,1]}}]";

    @ParameterizedTest
    @ValueSource(strings = {"hopper", "walker2d", "half_cheetah", "ant"})
    void shippedModelsLoad(String name) {
        ModelSpec s = ModelSpec.loadResource(name);
        assertEquals(name, s.name());
        assertTrue(s.actuators().size() >= 3);
    }

    private static String error(String json) {
        return assertThrows(ModelSpec.ModelSpecException.class, () -> ModelSpec.parse(json, "robot.json")).getMessage();
    }

    @Test
    void badFieldsAreNamed() {
        String neg = error("{\"name\":\"t\",\"bodies\":[{\"name\":\"b\",\"shape\":{\"type\":\"sphere\",\"radius\":-1}}]}");
        assertTrue(neg.startsWith("robot.json: field 'bodies[0].shape.radius'"), neg);
        String unknown = error("{\"name\":\"t\",\"bodies\":[{\"name\":\"b\",\"mas\":1,\"shape\":{\"type\":\"sphere\",\"radius\":1}}]}");
        assertTrue(unknown.contains("robot.json") && unknown.contains("mas"), unknown);
        String joint = error(BOX + ",\"joints\":[{\"name\":\"j\",\"type\":\"hinge\",\"parent\":\"b\",\"child\":\"nope\",\"anchor\":[0,0,0],\"axis\":[0,0,1]}]}");
        assertTrue(joint.contains("joints[0].child"), joint);
        String axis = error(BOX + ",\"bodies2\":1}");
        assertTrue(axis.contains("bodies2"), axis);
        String type = error("{\"name\":\"t\",\"bodies\":[{\"name\":\"b\",\"shape\":{\"type\":\"cone\",\"radius\":1}}]}");
        assertTrue(type.contains("bodies[0].shape.type"), type);
        String malformed = error("{\"name\":\"t\",");
        assertTrue(malformed.contains("robot.json"), malformed);
        String act = error(BOX + ",\"actuators\":[{\"name\":\"a\",\"joint\":\"x\",\"type\":\"torque\",\"gear\":1,\"ctrlRange\":[-1,1]}]}");
        assertTrue(act.contains("actuators[0].joint"), act);
    }

    @Test
    void exactCapsuleInertia() {
        // a capsule with zero-length cylinder part is a sphere
        double[] i = Inertia.capsule(2.0, 0.5, 1e-9);
        assertEquals(0.4 * 2.0 * 0.25, i[2], 1e-6);
        assertEquals(0.4 * 2.0 * 0.25, i[0], 1e-6);
    }
}
