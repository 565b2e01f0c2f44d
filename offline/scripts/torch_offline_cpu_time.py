#!/usr/bin/env python3
# Usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 offline/scripts/torch_offline_cpu_time.py ALGO ITERS [WARMUP]
# Process CPU time per gradient step of the PyTorch offline peer (imports ../shared/peers/torch_offline_update.py
# unchanged: same agents, same random 100k buffer, obs 17 / act 6 / batch 256, one thread). CPU time is the robust
# figure on the shared dev box, where wall clock carries the other sessions' load.
import sys, time, json, os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "peers"))
sys.path.insert(0, "/work/shared/peers")
import numpy as np, torch
import torch_offline_update as m
algo = sys.argv[1]
iters = int(sys.argv[2]) if len(sys.argv) > 2 else 300
warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 50
torch.set_num_threads(1); torch.manual_seed(0); rng = np.random.default_rng(0)
O, A, N = 17, 6, 100_000
buf = [torch.from_numpy(x) for x in (rng.normal(size=(N, O)).astype(np.float32),
       rng.uniform(-1, 1, size=(N, A)).astype(np.float32), rng.normal(size=(N, 1)).astype(np.float32),
       rng.normal(size=(N, O)).astype(np.float32), (rng.random((N, 1)) < 0.01).astype(np.float32))]
agent = {"iql": m.Iql, "cql": m.Cql, "td3bc": m.Td3Bc}[algo](O, A)
wall, cpu = [], []
for i in range(warmup + iters):
    idx = torch.from_numpy(rng.integers(0, N, 256))
    batch = [b[idx] for b in buf]
    c0 = time.process_time(); t0 = time.perf_counter()
    agent.update(*batch)
    t1 = time.perf_counter(); c1 = time.process_time()
    if i >= warmup:
        wall.append((t1 - t0) * 1e3); cpu.append((c1 - c0) * 1e3)
print(json.dumps({"algo": algo, "torch": torch.__version__, "iters": iters, "wall_ms_median": round(float(np.median(wall)), 2),
                  "process_cpu_ms_median": round(float(np.median(cpu)), 2), "blas": m.loaded_blas()}))
