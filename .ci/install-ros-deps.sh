#!/usr/bin/env bash
# Debian's real ROS 1 for the hardware bridge's ROS integration tests (Ros1LinkRosTest, Ros1DeployRosTest):
# rosmaster, rospy with the message packages the link speaks, DART (python3-dartpy) for the simulated arm, and
# robot_state_publisher (roscpp) with tf2_msgs for the /tf probe.
# All for /usr/bin/python3. For the ROS 2 test (Ros2LinkDdsTest): Eclipse Cyclone DDS (the library and headers, and
# idlc, its IDL compiler), gcc and iproute2 (`ip`, to bring up loopback in the test's private network namespace). Idempotent: installs only what is missing (a no-op check takes well under a second).
set -euo pipefail
packages=(python3-rosmaster python3-rospy python3-sensor-msgs python3-std-msgs python3-trajectory-msgs
          python3-dartpy python3-numpy ros-robot-state-publisher python3-tf2-msgs
          cyclonedds-dev cyclonedds-tools gcc libc6-dev iproute2)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "ros deps: all present (${packages[*]})"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
