#!/usr/bin/python3
"""A rospy /tf listener for Ros1LinkRosTest's robot_state_publisher check.

Subscribes tf2_msgs/TFMessage on ~topic (default /tf) and, for each child frame, keeps the first and the latest
transform (translation, rotation quaternion xyzw) and a message count. Writes them to ~out (JSON, atomically) every
0.2 s and at shutdown (SIGTERM), as {"messages": n, "frames": {child: {"parent", "count", "first", "last"}}}.
"""
import json
import os
import threading

import rospy
from tf2_msgs.msg import TFMessage


def main():
    rospy.init_node("tf_probe")
    out = rospy.get_param("~out")
    lock = threading.Lock()
    state = {"messages": 0, "frames": {}}

    def pose(t):
        tr, r = t.transform.translation, t.transform.rotation
        return [tr.x, tr.y, tr.z, r.x, r.y, r.z, r.w]

    def on_tf(msg):
        with lock:
            state["messages"] += 1
            for t in msg.transforms:
                f = state["frames"].setdefault(t.child_frame_id, {"parent": t.header.frame_id, "count": 0,
                                                                   "first": pose(t)})
                f["count"] += 1
                f["last"] = pose(t)

    def write(_=None):
        with lock:
            text = json.dumps(state)
        with open(out + ".tmp", "w") as f:
            f.write(text)
        os.replace(out + ".tmp", out)

    rospy.Subscriber(rospy.get_param("~topic", "/tf"), TFMessage, on_tf, queue_size=100)
    rospy.Timer(rospy.Duration(0.2), write)
    rospy.spin()
    write()


if __name__ == "__main__":
    main()
