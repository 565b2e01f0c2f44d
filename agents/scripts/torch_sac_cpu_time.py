#!/usr/bin/env python3
# Usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 agents/scripts/torch_sac_cpu_time.py THREADS ITERS
# CPU-time per SAC update of the PyTorch peer (imports /work/shared/peers/torch_sac_pendulum.py unchanged).
import sys, time, json
sys.path.insert(0, "/work/shared/peers")
import numpy as np, torch
import torch_sac_pendulum as m
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
iters = int(sys.argv[2]) if len(sys.argv) > 2 else 500
torch.set_num_threads(threads); torch.manual_seed(1)
rng = np.random.default_rng(1)
od, ad, n = 17, 6, 100_000
agent = m.SAC(od, ad, -np.ones(ad, np.float32), np.ones(ad, np.float32), hidden=256)
rb = m.Replay(n, od, ad, rng)
rb.obs[:] = rng.standard_normal((n, od), dtype=np.float32); rb.next_obs[:] = rng.standard_normal((n, od), dtype=np.float32)
rb.act[:] = rng.uniform(-1, 1, (n, ad)).astype(np.float32); rb.rew[:] = rng.standard_normal((n, 1), dtype=np.float32); rb.size = n
wall, cpu = [], []
for i in range(50 + iters):
    b = rb.sample(256)
    c0 = time.process_time(); t0 = time.perf_counter()
    agent.update(*b)
    t1 = time.perf_counter(); c1 = time.process_time()
    if i >= 50:
        wall.append((t1 - t0) * 1e3); cpu.append((c1 - c0) * 1e3)
print(json.dumps({"threads": threads, "wall_ms_median": float(np.median(wall)), "wall_ms_p10": float(np.percentile(wall, 10)),
                  "process_cpu_ms_median": float(np.median(cpu)), "blas": m.loaded_blas()}))
