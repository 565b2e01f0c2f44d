#!/usr/bin/env bash
# Runs a command in the private network namespace it is started in (`unshare -n .ci/ros2-netns.sh CMD...`, as
# .ci/run does for the ROS 2 / DDS tests): brings up loopback with multicast and routes 224.0.0.0/4 to it, so DDS
# discovery works on loopback and nothing can leave the machine (loopback is the only interface). Refuses to touch
# a namespace that has any other interface up.
set -euo pipefail
others=$(ip -o link show up | awk -F': ' '$2 != "lo" {print $2}')
if [ -n "$others" ]; then
  echo "ros2-netns: not a private network namespace (interfaces up: $others); run it under unshare -n" >&2
  exit 2
fi
ip link set lo up
ip link set lo multicast on
ip route replace 224.0.0.0/4 dev lo
exec "$@"
