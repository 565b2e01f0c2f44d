#!/usr/bin/env bash
# Installs what the offline module's interop and reference tests use: Debian's h5py (HDF5 interop) and PyTorch (the
# CQL/IQL/TD3+BC gradient reference, CorlReferenceTest) for /usr/bin/python3, and OpenBLAS so that torch's speed
# comparisons (bench diffusion --vs-torch, shared/peers) do not run on the reference BLAS.
# Idempotent: does nothing when both are already importable. Tests skip (with a message) where one is missing.
set -euo pipefail
if /usr/bin/python3 -c 'import h5py, numpy, torch' >/dev/null 2>&1 && [ -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-offline-deps: not root or no apt-get; h5py interop and PyTorch reference tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3-h5py python3-torch libopenblas0-pthread
