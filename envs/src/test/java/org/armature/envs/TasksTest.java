package org.armature.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.armature.sim.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TasksTest {

    @ParameterizedTest
    @ValueSource(strings = {"Pendulum-v1", "Hopper-v1", "Walker2d-v1", "HalfCheetah-v1", "Ant-v1", "HalfCheetah-v2",
            "Ant-v2"})
    void passesTheChecker(String id) {
        EnvChecker.Report r = new EnvChecker(150).check(id);
        assertTrue(r.passed(), id + " failed: " + r.failures());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HalfCheetah", "Ant"})
    void version2KeepsTheTaskAndChangesOnlyThePhysicsStep(String name) {
        try (Env v1 = Envs.makeRaw(name + "-v1"); Env v2 = Envs.makeRaw(name + "-v2")) {
            assertEquals(v1.spec().observationDim(), v2.spec().observationDim());
            assertEquals(v1.spec().actionDim(), v2.spec().actionDim());
            assertEquals(v1.spec().maxEpisodeSteps(), v2.spec().maxEpisodeSteps());
            assertEquals(0.05, v1.spec().controlDtSeconds(), 1e-12);
            assertEquals(0.05, v2.spec().controlDtSeconds(), 1e-12);
            PhysicsEnv p1 = (PhysicsEnv) v1;
            PhysicsEnv p2 = (PhysicsEnv) v2;
            assertEquals(1.0 / 240.0, p1.world().physicsDtSeconds(), 0);
            assertEquals(name.equals("Ant") ? 1.0 / 120.0 : 1.0 / 100.0, p2.world().physicsDtSeconds(), 0);
            assertEquals(p1.world().config().solverIterations(), p2.world().config().solverIterations());
            assertFalse(p1.world().config().hingeRowsInJoint());
            assertTrue(p2.world().config().hingeRowsInJoint());
        }
    }

    @Test
    void unknownIdListsClosestFirst() {
        Envs.UnknownEnvException e = org.junit.jupiter.api.Assertions.assertThrows(Envs.UnknownEnvException.class,
                () -> Envs.make("Hoper-v1"));
        assertTrue(e.getMessage().contains("known ids (closest first): Hopper-v1,"), e.getMessage());
    }

    private static int stepsUntilDone(Env env, float[] action) {
        env.reset(0);
        int t = 0;
        Step s;
        do {
            s = env.step(action);
            t++;
        } while (!s.done());
        return s.terminated() ? t : -t;
    }

    @Test
    void hopperFallsAndTerminates() {
        int t = stepsUntilDone(Envs.make("Hopper-v1"), new float[3]);
        assertTrue(t > 0 && t < 300, "an unactuated hopper topples and terminates, got " + t);
    }

    @Test
    void walkerFallsAndTerminates() {
        int t = stepsUntilDone(Envs.make("Walker2d-v1"), new float[6]);
        assertTrue(t > 0 && t < 500, "an unactuated walker falls and terminates, got " + t);
    }

    @Test
    void halfCheetahNeverTerminates() {
        int t = stepsUntilDone(Envs.make("HalfCheetah-v1"), new float[6]);
        assertEquals(-1000, t, "HalfCheetah only ends at the time limit");
    }

    @Test
    void antStandsUnderZeroAction() {
        Env env = Envs.make("Ant-v1");
        env.reset(0);
        Step s = null;
        for (int i = 0; i < 100; i++) {
            s = env.step(new float[8]);
            assertFalse(s.terminated());
        }
        float z = s.observation()[0];
        assertTrue(z > 0.25 && z < 0.6, "ant rests on its legs, torso z = " + z);
    }

    @Test
    void hopperForwardRewardFollowsVelocity() {
        Env env = Envs.make("Hopper-v1");
        env.reset(0);
        Step s = env.step(new float[]{0.5f, -0.2f, 0.1f});
        double v = (Double) s.info().get("x_velocity");
        assertEquals(v + 1.0 - 1e-3 * (0.25 + 0.04 + 0.01), s.reward(), 1e-5);
    }

    @Test
    void scenesDescribeTheBodies() {
        Env env = Envs.make("Walker2d-v1");
        env.reset(0);
        Scene scene = env.scene();
        assertEquals(7, scene.shapes().size());
        assertTrue(scene.groundPlane());
        List<String> names = scene.shapes().stream().map(Scene.Shape::name).toList();
        assertTrue(names.contains("torso") && names.contains("foot_left"));
    }
}
