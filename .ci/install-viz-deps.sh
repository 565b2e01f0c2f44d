#!/usr/bin/env bash
# Debian packages the viz rendering tests need (headless OpenGL through EGL + Mesa's llvmpipe, fonts for Java2D
# plots). Idempotent: installs only what is missing.
set -euo pipefail
packages=(libegl1 libegl-mesa0 libgl1-mesa-dri fontconfig fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "viz deps: all present (${packages[*]})"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
