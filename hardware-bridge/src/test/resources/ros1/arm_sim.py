#!/usr/bin/python3
"""A simulated arm as a ROS 1 node (rospy), for Ros1LinkIT and the deploy check.

The arm is loaded from a URDF with DART (python3-dartpy; root joint FIXED, joint limits, effort limits and inertias
from the URDF) and stepped in real time at 1 kHz. It publishes sensor_msgs/JointState (joints in a scrambled order
plus an extra finger joint, as real drivers do, so the bridge must map by name) and executes position commands:
trajectory_msgs/JointTrajectory (joints by name; dropped once header.stamp + time_from_start has passed) or
std_msgs/Float64MultiArray (data in the URDF's joint order), in one of two modes (~mode):
  effort (the default): a computed-torque position controller, M (Kp e - Kd qd) + Coriolis/gravity, clamped to the
    URDF's effort limits, applied as joint torques through DART's dynamics (inertias, gravity, damping from the URDF);
  position: an ideal position servo without dynamics: each 1 ms step every joint moves toward its commanded position
    by at most its URDF velocity limit times the step, within the URDF's joint limits (effort published as 0).
Commanded positions are clamped to the URDF's joint limits in both modes. Robot-side command timeout: no valid
command for ~command_timeout seconds -> hold the current position until the next command.

Statistics go to ~stats (a JSON file, rewritten atomically every 0.25 s and at shutdown): commands received,
expired, receive times, (stamp, receive time) pairs for latency, watchdog stops, positions.
Private parameters: ~urdf, ~stats, ~mode (effort or position), ~state_topic, ~command_topic, ~command_type (JointTrajectory,
Float64MultiArray, or JointState to subscribe with the wrong type), ~state_type (JointState, or Float64MultiArray
to publish the wrong type), ~publish_hz, ~command_timeout, ~q0 (comma-separated), ~kp_omega (rad/s).
"""
import json
import os
import threading
import time

import numpy as np
import rospy
import dartpy as dart
from sensor_msgs.msg import JointState
from std_msgs.msg import Float64MultiArray
from trajectory_msgs.msg import JointTrajectory

PHYSICS_DT = 0.001


def load_arm(urdf):
    loader = dart.utils.DartLoader()
    options = dart.utils.DartLoader.Options()
    options.mDefaultRootJointType = dart.utils.DartLoader.RootJointType.FIXED  # the default is a floating base
    loader.setOptions(options)
    skel = loader.parseSkeleton(os.path.abspath(urdf))
    if skel is None:
        raise SystemExit("cannot load URDF " + urdf)
    for i in range(skel.getNumJoints()):
        j = skel.getJoint(i)
        if j.getNumDofs() > 0:
            j.setLimitEnforcement(True)
    return skel


class Arm:
    def __init__(self):
        self.urdf = rospy.get_param("~urdf")
        self.stats_path = rospy.get_param("~stats")
        self.command_timeout = float(rospy.get_param("~command_timeout", 0.1))
        self.publish_period = 1.0 / float(rospy.get_param("~publish_hz", 500))
        omega = float(rospy.get_param("~kp_omega", 30.0))
        self.kp, self.kd = omega * omega, 2.0 * omega
        self.mode = rospy.get_param("~mode", "effort")
        if self.mode not in ("effort", "position"):
            raise SystemExit("~mode must be effort or position, not " + str(self.mode))
        self.skel = load_arm(self.urdf)
        self.world = dart.simulation.World()
        self.world.setTimeStep(PHYSICS_DT)
        self.world.addSkeleton(self.skel)
        self.names = [self.skel.getDof(i).getName() for i in range(self.skel.getNumDofs())]
        self.index = {n: i for i, n in enumerate(self.names)}
        q0 = rospy.get_param("~q0", "")
        if q0:
            self.skel.setPositions(np.array([float(x) for x in q0.split(",")]))
        self.effort_limit = np.array(self.skel.getForceUpperLimits())
        self.velocity_limit = np.array(self.skel.getVelocityUpperLimits())
        self.lower = np.array(self.skel.getPositionLowerLimits())
        self.upper = np.array(self.skel.getPositionUpperLimits())
        self.lock = threading.Lock()
        self.target = np.array(self.skel.getPositions())
        self.last_command = None  # monotonic time of the last accepted command
        self.holding = False
        self.stats = {"commands": 0, "accepted": 0, "expired": 0, "wrong_joints": 0, "watchdog_stops": 0,
                      "first_command_wall": None, "last_command_wall": None, "latency_pairs": [],
                      "states_published": 0}
        # publish order: reversed, plus a finger joint the bridge must ignore
        self.pub_names = list(reversed(self.names)) + ["panda_finger_joint1"]
        self.pub_index = [self.index[n] for n in reversed(self.names)]
        state_topic = rospy.get_param("~state_topic", "/joint_states")
        command_topic = rospy.get_param("~command_topic", "/arm/command")
        state_type = rospy.get_param("~state_type", "JointState")
        self.wrong_state = state_type != "JointState"
        self.state_pub = rospy.Publisher(state_topic, Float64MultiArray if self.wrong_state else JointState,
                                         queue_size=1, tcp_nodelay=True)
        command_type = rospy.get_param("~command_type", "JointTrajectory")
        cls = {"JointTrajectory": JointTrajectory, "Float64MultiArray": Float64MultiArray,
               "JointState": JointState}[command_type]
        self.sub = rospy.Subscriber(command_topic, cls, self.on_command, queue_size=1, tcp_nodelay=True)

    def on_command(self, msg):
        now_wall = time.time()
        now = time.monotonic()
        with self.lock:
            s = self.stats
            s["commands"] += 1
            if s["first_command_wall"] is None:
                s["first_command_wall"] = now_wall
            s["last_command_wall"] = now_wall
            if isinstance(msg, JointTrajectory):
                if not msg.points:
                    return
                p = msg.points[-1]
                stamp = msg.header.stamp.to_sec()
                if len(s["latency_pairs"]) < 20000:
                    s["latency_pairs"].append([msg.header.stamp.to_nsec(), int(now_wall * 1e9)])
                if now_wall > stamp + p.time_from_start.to_sec():
                    s["expired"] += 1
                    return
                try:
                    idx = [self.index[n] for n in msg.joint_names]
                except KeyError:
                    s["wrong_joints"] += 1
                    return
                if len(p.positions) != len(idx):
                    s["wrong_joints"] += 1
                    return
                target = self.target.copy()
                target[idx] = p.positions
            elif isinstance(msg, Float64MultiArray):
                if len(msg.data) != len(self.names):
                    s["wrong_joints"] += 1
                    return
                target = np.array(msg.data)
            else:
                return
            self.target = np.clip(target, self.lower, self.upper)
            self.last_command = now
            self.holding = False
            s["accepted"] += 1

    def step(self):
        with self.lock:
            if self.last_command is not None and not self.holding \
                    and time.monotonic() - self.last_command > self.command_timeout:
                self.holding = True  # robot-side command timeout: hold where the arm is
                self.target = np.array(self.skel.getPositions())
                self.stats["watchdog_stops"] += 1
            target = self.target
        q = self.skel.getPositions()
        if self.mode == "position":  # ideal servo: rate-limited by the URDF velocity limits, no dynamics
            dq = np.clip(target - q, -self.velocity_limit * PHYSICS_DT, self.velocity_limit * PHYSICS_DT)
            q_next = np.clip(q + dq, self.lower, self.upper)
            self.skel.setPositions(q_next)
            self.skel.setVelocities((q_next - q) / PHYSICS_DT)
            self.skel.setForces(np.zeros(len(q)))
            return
        qd = self.skel.getVelocities()
        tau = self.skel.getMassMatrix() @ (self.kp * (target - q) - self.kd * qd) \
            + self.skel.getCoriolisAndGravityForces()
        self.skel.setForces(np.clip(tau, -self.effort_limit, self.effort_limit))
        self.world.step()

    def publish(self):
        q = self.skel.getPositions()
        qd = self.skel.getVelocities()
        tau = self.skel.getForces()
        if self.wrong_state:
            self.state_pub.publish(Float64MultiArray(data=list(q)))
        else:
            m = JointState()
            m.header.stamp = rospy.Time.from_sec(time.time())
            m.name = self.pub_names
            m.position = [q[i] for i in self.pub_index] + [0.04]
            m.velocity = [qd[i] for i in self.pub_index] + [0.0]
            m.effort = [tau[i] for i in self.pub_index] + [0.0]
            self.state_pub.publish(m)
        self.stats["states_published"] += 1

    def write_stats(self):
        with self.lock:
            s = dict(self.stats)
            s["latency_pairs"] = list(self.stats["latency_pairs"])
            s["positions"] = list(self.skel.getPositions())
            s["target"] = list(self.target)
            s["names"] = self.names
            s["mode"] = self.mode
            s["holding"] = self.holding
        tmp = self.stats_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(s, f)
        os.replace(tmp, self.stats_path)

    def run(self):
        t0 = time.monotonic()
        steps = 0
        next_publish = t0
        next_stats = t0
        while not rospy.is_shutdown():
            now = time.monotonic()
            due = int((now - t0) / PHYSICS_DT) - steps
            for _ in range(min(due, 50)):  # real time; never spiral after a stall
                self.step()
            steps += due
            if now >= next_publish:
                self.publish()
                next_publish += self.publish_period
                if next_publish < now:
                    next_publish = now + self.publish_period
            if now >= next_stats:
                self.write_stats()
                next_stats = now + 0.25
            time.sleep(max(0.0, min(next_publish, t0 + (steps + 1) * PHYSICS_DT) - time.monotonic()))
        self.write_stats()


if __name__ == "__main__":
    rospy.init_node("arm_sim", disable_signals=False)
    Arm().run()
