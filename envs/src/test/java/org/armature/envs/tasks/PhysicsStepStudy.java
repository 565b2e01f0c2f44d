package org.armature.envs.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import javax.vecmath.Matrix3f;
import javax.vecmath.Vector3f;

import com.bulletphysics.dynamics.RigidBody;
import com.bulletphysics.linearmath.Transform;

import org.armature.envs.Step;
import org.armature.sim.Model;
import org.armature.sim.ModelSpec;
import org.armature.sim.PhysicsWorld;

/**
 * Physics-step study for HalfCheetah and Ant (issue 24): for each physics step / frame skip / solver-iteration
 * setting, random-action episodes measure
 * <ul>
 *   <li>the episode return (mean, standard deviation, standard error) of the uniform random policy;</li>
 *   <li>the energy balance: per physics step {@code dE - P dt}, with E the mechanical energy (translational and
 *       rotational kinetic, gravitational, joint springs, rotor inertia of the armature) and P the actuator power
 *       {@code sum tau q_dot} (trapezoid over the step). Damping, friction and inelastic contacts only remove
 *       energy, so every positive residual is energy the integrator or constraint stabilisation injected; reported
 *       as injected watts (J per simulated second) and as the net balance;</li>
 *   <li>joint-limit violations of the limited hinges, measured after every physics step (max and mean in degrees,
 *       fraction of physics steps with any violation over 1 degree);</li>
 *   <li>non-finite states and, for Ant, early terminations.</li>
 * </ul>
 * Not a unit test: run by hand, see envs/README.md ("Physics step") for the command.
 *
 * <p>Arguments: {@code TASK (HalfCheetah|Ant) EPISODES [rateHz:frameSkip:iterations[:joint] ...]} (":joint":
 * armature and limit rows solved inside each hinge's call, as the v2 tasks), e.g.
 * {@code HalfCheetah 30 240:12:10 120:6:10 100:5:10:joint}.
 */
public final class PhysicsStepStudy {

    public static void main(String[] args) {
        String task = args[0];
        int episodes = Integer.parseInt(args[1]);
        System.out.printf("%-12s %-16s %9s %8s %7s %10s %10s %9s %9s %8s %6s %8s%n", "task", "physics", "return",
                "std", "se", "inject W", "net W", "lim max", "lim mean", ">1deg", "term", "steps/s");
        for (int a = 2; a < args.length; a++) {
            String[] p = args[a].split(":");
            double hz = Double.parseDouble(p[0]);
            int frameSkip = Integer.parseInt(p[1]);
            int iterations = Integer.parseInt(p[2]);
            boolean rowsInJoint = p.length > 3 && p[3].equals("joint");
            PhysicsWorld.Config config = LocomotionEnv.DEFAULT_PHYSICS.withPhysicsDt(1.0 / hz)
                    .withSolverIterations(iterations).withHingeRowsInJoint(rowsInJoint);
            LocomotionEnv env = task.equals("Ant") ? new AntEnv("Ant-study", config, frameSkip)
                    : new HalfCheetahEnv("HalfCheetah-study", config, frameSkip);
            run(task, args[a], env, episodes);
        }
    }

    static void run(String task, String label, LocomotionEnv env, int episodes) {
        Probe probe = new Probe(env.model(), env.world());
        SplittableRandom rng = new SplittableRandom(12345);
        double[] returns = new double[episodes];
        int terminated = 0;
        long steps = 0;
        long t0 = System.nanoTime();
        for (int e = 0; e < episodes; e++) {
            env.reset(e);
            probe.armed = true;
            double ret = 0;
            for (int t = 0; t < env.spec().maxEpisodeSteps(); t++) {
                float[] action = env.spec().actionSpace().sample(rng);
                Step s = env.step(action);
                steps++;
                ret += s.reward();
                if (s.terminated()) {
                    terminated++;
                    break;
                }
            }
            probe.armed = false;
            returns[e] = ret;
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double mean = 0;
        for (double r : returns) {
            mean += r / episodes;
        }
        double var = 0;
        for (double r : returns) {
            var += (r - mean) * (r - mean) / Math.max(1, episodes - 1);
        }
        double sd = Math.sqrt(var);
        double simSeconds = probe.physicsSteps * env.world().physicsDtSeconds();
        System.out.printf("%-12s %-16s %9.1f %8.1f %7.1f %10.3f %10.2f %9.2f %9.3f %7.2f%% %6d %8.0f%n", task, label,
                mean, sd, sd / Math.sqrt(episodes), probe.injected / simSeconds, probe.net / simSeconds,
                Math.toDegrees(probe.limitMax), Math.toDegrees(probe.limitSum / probe.physicsSteps),
                100.0 * probe.limitSteps / probe.physicsSteps, terminated, steps / elapsed);
    }

    /** Per-physics-step energy balance and joint-limit violations, as world hooks. */
    static final class Probe {
        final Model model;
        final double g;
        final double dt;
        final List<RigidBody> bodies = new ArrayList<>();
        final List<Model.JointInfo> limited = new ArrayList<>();
        final List<Model.JointInfo> springs = new ArrayList<>();
        final List<Double> stiffness = new ArrayList<>();
        final List<Double> springRef = new ArrayList<>();
        final List<Model.JointInfo> rotors = new ArrayList<>();
        final List<Double> armature = new ArrayList<>();
        final List<Model.JointInfo> actuated = new ArrayList<>();
        final List<Double> gear = new ArrayList<>();
        final Transform tr = new Transform();
        final Vector3f v = new Vector3f();
        final Vector3f w = new Vector3f();
        final Matrix3f rt = new Matrix3f();
        boolean armed;
        double e0;
        double p0;
        double injected;
        double net;
        double limitMax;
        double limitSum;
        long limitSteps;
        long physicsSteps;

        Probe(Model model, PhysicsWorld world) {
            this.model = model;
            this.g = -world.config().gravity()[2];
            this.dt = world.physicsDtSeconds();
            for (Model.BodyInfo b : model.bodies()) {
                if (b.rigidBody().getInvMass() > 0) {
                    bodies.add(b.rigidBody());
                }
            }
            for (ModelSpec.Joint j : model.spec().joints()) {
                if (!"hinge".equals(j.type())) {
                    continue;
                }
                Model.JointInfo info = model.joint(j.name());
                if (info.limited()) {
                    limited.add(info);
                }
                if (j.stiffness() != null && j.stiffness() > 0) {
                    springs.add(info);
                    stiffness.add((double) j.stiffness());
                    springRef.add(j.springRefDegrees() == null ? 0.0 : Math.toRadians(j.springRefDegrees()));
                }
                if (j.armature() != null && j.armature() > 0) {
                    rotors.add(info);
                    armature.add((double) j.armature());
                }
            }
            for (ModelSpec.Actuator a : model.spec().actuators()) {
                actuated.add(model.joint(a.joint()));
                gear.add(a.gear() == null ? 1.0 : a.gear());
            }
            world.addPreStepHook(x -> before());
            world.addPostStepHook(x -> after());
        }

        double energy() {
            double e = 0;
            for (RigidBody rb : bodies) {
                double m = 1.0 / rb.getInvMass();
                rb.getCenterOfMassTransform(tr);
                rb.getLinearVelocity(v);
                rb.getAngularVelocity(w);
                e += 0.5 * m * v.lengthSquared() + m * g * tr.origin.z;
                rt.transpose(tr.basis);
                rt.transform(w);
                Vector3f inv = rb.getInvInertiaDiagLocal(new Vector3f());
                e += 0.5 * (sq(w.x) / inv.x + sq(w.y) / inv.y + sq(w.z) / inv.z);
            }
            for (int i = 0; i < springs.size(); i++) {
                e += 0.5 * stiffness.get(i) * sq(model.jointPosition(springs.get(i)) - springRef.get(i));
            }
            for (int i = 0; i < rotors.size(); i++) {
                e += 0.5 * armature.get(i) * sq(model.jointVelocity(rotors.get(i)));
            }
            return e;
        }

        double power() {
            float[] u = model.control();
            float[][] range = model.controlRanges();
            double p = 0;
            for (int i = 0; i < actuated.size(); i++) {
                double c = Math.max(range[i][0], Math.min(range[i][1], u[i]));
                p += gear.get(i) * c * model.jointVelocity(actuated.get(i));
            }
            return p;
        }

        void before() {
            if (armed) {
                e0 = energy();
                p0 = power();
            }
        }

        void after() {
            if (!armed) {
                return;
            }
            double r = energy() - e0 - 0.5 * (p0 + power()) * dt;
            if (Double.isFinite(r)) {
                net += r;
                injected += Math.max(0, r);
            }
            physicsSteps++;
            double worst = 0;
            for (Model.JointInfo j : limited) {
                double q = model.jointPosition(j);
                double over = Math.max(j.lower() - q, q - j.upper());
                if (over > 0) {
                    limitSum += over;
                    worst = Math.max(worst, over);
                }
            }
            limitMax = Math.max(limitMax, worst);
            if (worst > Math.toRadians(1)) {
                limitSteps++;
            }
        }

        static double sq(double x) {
            return x * x;
        }
    }
}
