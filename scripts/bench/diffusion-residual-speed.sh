#!/usr/bin/env bash
# The speed claims of issues 18 (diffusion training step, DDIM-10 chunk) and 19 (residual update) for one or more
# jars, each with its PyTorch peer in the same invocation, one thread each; rounds alternate the jars.
#   scripts/bench/diffusion-residual-speed.sh ROUNDS JAR [JAR...]     e.g. 3 /tmp/before.jar cli/target/armature.jar
# BENCHMARKS.md, "Diffusion BC" and "Residual RL and DSRL", speed. Run on a quiet machine.
set -u
rounds=$1; shift
# as ./armature sets on this CPU family (AMD with the AVX-512 subset of Skylake-X); the peer's OpenBLAS reads it too
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-SKYLAKEX}
peer=../shared/peers/torch_diffusion_update.py
for round in $(seq 1 "$rounds"); do
  for jar in "$@"; do
    echo "== round $round $jar $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
    java -jar "$jar" bench diffusion --mode train --denoiser mlp --hidden 256 --iters 60 --vs-torch $peer 2>&1 | grep median | sed 's/^/train-mlp /'
    java -jar "$jar" bench diffusion --mode train --denoiser unet --down-dims 32,64,128 --iters 20 --warmup 3 --vs-torch $peer 2>&1 | grep median | sed 's/^/train-unet /'
    java -jar "$jar" bench diffusion --mode infer --denoiser mlp --hidden 256 --iters 1000 --warmup 300 --vs-torch $peer 2>&1 | grep median | sed 's/^/infer-mlp /'
    java -jar "$jar" bench diffusion --mode infer --denoiser unet --down-dims 32,64,128 --iters 1000 --warmup 300 --vs-torch $peer 2>&1 | grep median | sed 's/^/infer-unet /'
    java -jar "$jar" bench residual --iters 300 --warmup 50 --vs-torch scripts/peers/torch_residual_update.py 2>&1 | grep -E "^ratio|^residual step" | sed 's/^/residual /'
  done
done
