package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.armature.agents.Policy;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.envs.BoxSpace;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.PhysicsEnv;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.envs.StepReward;
import org.armature.envs.tasks.manipulation.PandaKinematics;
import org.armature.envs.tasks.manipulation.ReachEnv;
import org.armature.offline.data.D4rlHdf5;
import org.armature.sim.Model;
import org.armature.sim.ModelSpec;
import org.armature.sim.PhysicsWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated robot reports the task's reward with every state: the env's own {@link StepReward} at that
 * state, on the robot's thread and over UDP, and it reaches a deployment's recording; an env without rewards still
 * reports none.
 */
@Timeout(60)
class EmulatorRewardTest {

    static final double[] TARGET = {0.5, 0.1, 0.35};

    @TempDir
    Path tmp;

    @Test
    void everyPublishedStateCarriesTheEnvsRewardOfThatState() throws Exception {
        AtomicReference<Env> served = new AtomicReference<>();
        SimulatedRobot robot = new SimulatedRobot(() -> {
            Env env = Deployments.twinFor(ReachEnv.ID, TARGET).get();
            served.set(env);
            return env;
        }, 4, RobotModel.panda(), 1000);
        List<double[]> published = new ArrayList<>(); // {reward, the env's stepReward at the same state}
        CountDownLatch enough = new CountDownLatch(1);
        robot.setListener(s -> {
            // the robot's thread, holding its lock: the physics is in exactly the published state
            if (published.size() < 120) {
                double own = ((StepReward) served.get().unwrapped()).stepReward(new float[7]);
                published.add(new double[]{s.reward, own});
            } else {
                enough.countDown();
            }
        });
        try (robot) {
            robot.start();
            robot.newSession();
            RobotState start = new RobotState(7, 0);
            robot.state(start);
            // move the arm so that the reward changes: joint 1 towards its limit over the states
            JointCommand c = new JointCommand(7);
            c.mode = JointCommand.Mode.POSITION;
            System.arraycopy(start.positionsRad, 0, c.positionsRad, 0, 7);
            c.positionsRad[0] += 0.01;
            c.stateRobotTimeNanos = start.robotTimeNanos;
            c.expiryMicros = 1_000_000;
            c.periodMicros = 4000;
            robot.command(c, System.nanoTime());
            assertTrue(enough.await(20, TimeUnit.SECONDS), "120 states within 20 s");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] p : published) {
            assertTrue(Double.isFinite(p[0]) && p[0] < 0, "a dense Reach reward is minus a distance: " + p[0]);
            assertEquals(Double.doubleToRawLongBits(p[1]), Double.doubleToRawLongBits(p[0]),
                    "the published reward is the env's own, bit for bit");
            min = Math.min(min, p[0]);
            max = Math.max(max, p[0]);
        }
        assertTrue(max - min > 1e-5, "the arm moved and the reward with it: " + min + " .. " + max);
    }

    @Test
    void statesOverUdpCarryTheEnvsRewardForTheirJointState() throws Exception {
        Policy policy = Fixtures.bundle(tmp.resolve("b"));
        RobotServer server = new RobotServer(new SimulatedRobot(Deployments.twinFor(ReachEnv.KINEMATIC_ID, TARGET), 3,
                RobotModel.panda(), 1000), new InetSocketAddress("127.0.0.1", 0), null, NetworkFaults.NONE);
        List<RobotState> received = new ArrayList<>();
        try (server; UdpRobotLink link = new UdpRobotLink(server.start(), 7, 0, null, 2000)) {
            link.connect();
            ControlLoop loop = Fixtures.loop(link, new ReachTask(ReachEnv.KINEMATIC_ID, TARGET), policy, 250, 1.0,
                    Fixtures.tolerant(), null, 0);
            loop.start();
            while (loop.await(25) == null) {
                RobotState s = new RobotState(7, 0);
                if (link.readLatest(s)) {
                    received.add(s);
                }
            }
        }
        assertTrue(received.size() >= 10, received.size() + " states sampled");
        // the env's own method at each received joint state: a twin with the robot's seed and target
        ReachEnv twin = new ReachEnv(false, true);
        twin.fixTarget(TARGET);
        twin.reset(3);
        Model model = twin.model();
        double[] qpos = new double[model.nq()];
        double[] qvel = new double[model.nv()];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (RobotState s : received) {
            assertTrue(Double.isFinite(s.reward), "every state carries a reward");
            for (int i = 0; i < 7; i++) {
                Model.JointInfo j = model.joint("joint" + (i + 1));
                qpos[j.qposAddress()] = s.positionsRad[i];
                qvel[j.qvelAddress()] = s.velocitiesRadPerSec[i];
            }
            model.setState(qpos, qvel);
            // the physics stores poses in single precision: the joint angles come back within ~1e-7 rad
            assertEquals(twin.stepReward(new float[7]), s.reward, 2e-6, "reward at " + s);
            min = Math.min(min, s.reward);
            max = Math.max(max, s.reward);
        }
        assertTrue(max - min > 1e-3, "the policy moved the arm and the reward with it: " + min + " .. " + max);
    }

    @Test
    void aRecordedDeploymentCarriesTheRewardsTheRobotReported() throws Exception {
        OfflineDataset d = record(Deployments.twinFor(ReachEnv.KINEMATIC_ID, TARGET), "rewards.h5");
        boolean[] present = (boolean[]) d.infos().get("reward_present");
        int obs = ReachEnv.OBS_DIM;
        for (int i = 0; i < d.size(); i++) {
            assertTrue(present[i], "row " + i);
        }
        // row i's reward is that of the state the next decision observed: minus its TCP's distance to the target
        for (int i = 0; i + 1 < d.size(); i++) {
            double dx = d.observations()[(i + 1) * obs + 14] - TARGET[0];
            double dy = d.observations()[(i + 1) * obs + 15] - TARGET[1];
            double dz = d.observations()[(i + 1) * obs + 16] - TARGET[2];
            assertEquals(-Math.sqrt(dx * dx + dy * dy + dz * dz), d.rewards()[i], 1e-5, "row " + i);
        }
    }

    @Test
    void anEnvWithoutRewardsRecordsThemAbsent() throws Exception {
        OfflineDataset d = record(ArmWithoutReward::new, "none.h5");
        boolean[] present = (boolean[]) d.infos().get("reward_present");
        for (int i = 0; i < d.size(); i++) {
            assertFalse(present[i], "row " + i);
            assertEquals(0f, d.rewards()[i], "row " + i);
        }
    }

    /** A 0.75 s deployment of a constant small action on the in-process link, recorded. */
    private OfflineDataset record(java.util.function.Supplier<Env> env, String name) throws Exception {
        Path file = tmp.resolve(name);
        try (SimLink link = new SimLink(new SimulatedRobot(env, 5, RobotModel.panda(), 1000))) {
            link.connect();
            DeploymentRecorder rec = new DeploymentRecorder(file, ReachEnv.OBS_DIM, 7,
                    DatasetMetadata.of(ReachEnv.KINEMATIC_ID, "test", null, null));
            ControlLoop loop = Fixtures.loop(link, new ReachTask(ReachEnv.KINEMATIC_ID, TARGET),
                    TestPolicies.constant(ReachEnv.OBS_DIM, new float[]{0.5f, -0.5f, 0, 0.5f, 0, 0, 0}), 250, 0.75,
                    Fixtures.tolerant(), rec, 0);
            loop.start();
            ControlLoop.Result r = loop.await(10_000);
            rec.close();
            assertNotNull(r);
            assertEquals(StopReason.COMPLETED, r.reason());
        }
        OfflineDataset d = D4rlHdf5.read(file);
        assertTrue(d.size() >= 20, d.size() + " rows");
        return d;
    }

    /** The Panda arm served with no task: a physics env that reports no reward (not a {@link StepReward}). */
    static final class ArmWithoutReward extends PhysicsEnv {

        private final EnvSpec spec;

        ArmWithoutReward() {
            super(ModelSpec.loadResource("panda_arm"), PhysicsWorld.Config.DEFAULT.withGravity(0f, 0f, 0f), 6, 0.8f,
                    7);
            spec = new EnvSpec("ArmWithoutReward", BoxSpace.unbounded(ReachEnv.OBS_DIM), BoxSpace.uniform(7, -1f, 1f),
                    controlDtSeconds(), 150);
        }

        @Override
        public EnvSpec spec() {
            return spec;
        }

        @Override
        protected Reset resetTask(SplittableRandom rng) {
            restoreInitialState();
            double[] qpos = new double[model.nq()];
            float[] control = new float[7];
            for (int i = 0; i < 7; i++) {
                qpos[model.joint("joint" + (i + 1)).qposAddress()] = PandaKinematics.Q_HOME[i];
                control[i] = (float) PandaKinematics.Q_HOME[i];
            }
            model.setState(qpos, new double[model.nv()]);
            model.setControl(control);
            return new Reset(new float[ReachEnv.OBS_DIM]);
        }

        @Override
        protected Step stepTask(float[] action) {
            throw new UnsupportedOperationException("served by the simulated robot only");
        }
    }
}
