#!/usr/bin/env python3
"""PyTorch peer of `armature bench residual`: the time of one residual-TD3 update (ResFiT, Ankile et al. 2025).

Written for Armature from the update's equations (agents/.../residual/ResidualTd3.java states them), at the same
sizes and with the same hyperparameters, so that `armature bench residual --vs-torch` compares equal work:

  agent observation s = [obs, a_base], obs normalised, a_base in [-1, 1]     (random data here)
  actor      f: Linear(obs+act, w1) ReLU ... Linear(., act), last layer zero at the start
  residual   d = scale * tanh(f(s)), scale 0.1;  action a = clip(a_base + d, -1, 1)
  critics    H heads Q_h(obs, a): Linear LayerNorm ReLU per hidden layer, Linear(., 1); Polyak targets of all
  target     a' = clip(a'_base + scale * tanh(f_target(s')) + clip(N(0, 0.05^2), -0.3, 0.3), -1, 1)
             y  = clip(r + discount * min(Q'_i(o', a'), Q'_j(o', a')), 0, 1), i != j two random target heads
  critic     L_Q = 1/H sum_h mean_b (Q_h(o, a) - y)^2
  actor      L_f = -mean_b 1/H sum_h Q_h(o, a(s)) + l2 * mean_b |d|^2   (l2 = 0; critic weights get no gradient)
  optimisers AdamW(weight_decay=0.01), betas 0.9/0.999, eps 1e-8; actor lr 1e-6, critic lr 1e-4;
             clip_grad_norm_(1.0) over the actor's and over all critic heads' parameters
  Polyak     tau 0.005 on the actor target and every critic target, after the actor step

One update = critic step + actor step + both Polyak updates (policy frequency 1, past the critic warm-up). Batches
come from a pool of random tensors, picked outside the timed region.

HOW TO RUN (Debian 12: apt-get install -y python3-torch; use /usr/bin/python3, which sees python3-torch):

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/peers/torch_residual_update.py
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/peers/torch_residual_update.py --iters 200 --heads 10

  Defaults: obs 11, act 4 (PegInsert), hidden 256,256 for the actor and each critic head, 2 heads, batch 256, one
  thread (--threads). Prints one JSON line: wall-clock median/p10/p90/mean ms per update, updates/s, thread-CPU median
  ms, and the BLAS torch loaded ("blas": libraries mapped into the process, "blas_info": torch's build setting).
"""
import argparse
import json
import os
import random
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

RESIDUAL_SCALE = 0.1      # ResFiT action_scale
GAMMA = 0.99
TAU = 0.005               # critic_target_tau
ACTOR_LR = 1e-6
CRITIC_LR = 1e-4
WEIGHT_DECAY = 0.01       # torch AdamW default, as ResFiT
MAX_GRAD_NORM = 1.0
TARGET_NOISE = 0.05
TARGET_NOISE_CLIP = 0.3
ACTION_L2 = 0.0
REWARD_PROBABILITY = 0.1  # sparse {0, 1} rewards


def mlp(inputs, widths, outputs, layer_norm):
    layers, prev = [], inputs
    for w in widths:
        layers.append(nn.Linear(prev, w))
        if layer_norm:
            layers.append(nn.LayerNorm(w))
        layers.append(nn.ReLU())
        prev = w
    layers.append(nn.Linear(prev, outputs))
    return nn.Sequential(*layers)


def frozen_copy(module, factory):
    copy = factory()
    copy.load_state_dict(module.state_dict())
    for p in copy.parameters():
        p.requires_grad_(False)
    return copy


def adamw(params, lr):
    try:
        return torch.optim.AdamW(params, lr=lr, weight_decay=WEIGHT_DECAY, foreach=True)
    except TypeError:  # torch without the multi-tensor option
        return torch.optim.AdamW(params, lr=lr, weight_decay=WEIGHT_DECAY)


class ResidualTd3:
    def __init__(self, obs_dim, act_dim, widths, heads, seed):
        self.obs_dim = obs_dim
        inp = obs_dim + act_dim
        self.actor = mlp(inp, widths, act_dim, False)
        with torch.no_grad():  # the policy starts exactly at the base
            self.actor[-1].weight.zero_()
            self.actor[-1].bias.zero_()
        self.actor_target = frozen_copy(self.actor, lambda: mlp(inp, widths, act_dim, False))
        self.critics = nn.ModuleList(mlp(inp, widths, 1, True) for _ in range(heads))
        self.critic_targets = frozen_copy(self.critics,
                                          lambda: nn.ModuleList(mlp(inp, widths, 1, True) for _ in range(heads)))
        self.actor_opt = adamw(self.actor.parameters(), ACTOR_LR)
        self.critic_opt = adamw(self.critics.parameters(), CRITIC_LR)
        self.heads = random.Random(seed)

    def update(self, s, a, r, s_next, discount):
        od = self.obs_dim
        o, base = s[:, :od], s[:, od:]
        with torch.no_grad():
            u_next = self.actor_target(s_next)
            noise = (torch.randn_like(u_next) * TARGET_NOISE).clamp(-TARGET_NOISE_CLIP, TARGET_NOISE_CLIP)
            a_next = (s_next[:, od:] + RESIDUAL_SCALE * torch.tanh(u_next) + noise).clamp(-1.0, 1.0)
            x_next = torch.cat([s_next[:, :od], a_next], dim=1)
            i, j = self.heads.sample(range(len(self.critic_targets)), 2)
            q_next = torch.min(self.critic_targets[i](x_next), self.critic_targets[j](x_next))
            y = (r + discount * q_next).clamp(0.0, 1.0)
        x = torch.cat([o, a], dim=1)
        critic_loss = torch.stack([F.mse_loss(q(x), y) for q in self.critics]).mean()
        self.critic_opt.zero_grad(set_to_none=True)
        critic_loss.backward()
        nn.utils.clip_grad_norm_(self.critics.parameters(), MAX_GRAD_NORM)
        self.critic_opt.step()

        self.critics.requires_grad_(False)  # the actor's loss differentiates through Q into the action only
        d = RESIDUAL_SCALE * torch.tanh(self.actor(s))
        x_policy = torch.cat([o, (base + d).clamp(-1.0, 1.0)], dim=1)
        q_mean = torch.stack([q(x_policy) for q in self.critics]).mean(dim=0)
        actor_loss = -q_mean.mean() + ACTION_L2 * d.pow(2).sum(dim=1).mean()
        self.actor_opt.zero_grad(set_to_none=True)
        actor_loss.backward()
        nn.utils.clip_grad_norm_(self.actor.parameters(), MAX_GRAD_NORM)
        self.actor_opt.step()
        self.critics.requires_grad_(True)

        with torch.no_grad():
            polyak(self.actor_target, self.actor)
            polyak(self.critic_targets, self.critics)


def polyak(target, source):
    t, s = list(target.parameters()), list(source.parameters())
    torch._foreach_mul_(t, 1.0 - TAU)
    torch._foreach_add_(t, s, alpha=TAU)


def random_batches(count, obs_dim, act_dim, batch):
    """Agent observations [N(0,1) obs, U(-1,1) base action], actions U(-1,1), rewards in {0,1}, discount gamma."""
    def agent_obs():
        return torch.cat([torch.randn(batch, obs_dim), torch.rand(batch, act_dim) * 2 - 1], dim=1)
    out = []
    for _ in range(count):
        out.append((agent_obs(), torch.rand(batch, act_dim) * 2 - 1,
                    (torch.rand(batch, 1) < REWARD_PROBABILITY).float(), agent_obs(), torch.full((batch, 1), GAMMA)))
    return out


def loaded_blas():
    try:
        with open("/proc/self/maps") as f:
            return sorted({line.split()[-1] for line in f if "blas" in line or "mkl" in line or "dnnl" in line})
    except OSError:
        return []


def blas_info():
    for part in torch.__config__.show().replace(",", "\n").splitlines():
        if "BLAS_INFO=" in part:
            return part[part.index("BLAS_INFO=") + len("BLAS_INFO="):].strip()
    return None


def percentile(sorted_ms, p):
    return sorted_ms[min(len(sorted_ms) - 1, int(p * (len(sorted_ms) - 1) + 0.5))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--obs", type=int, default=11, help="env observation dims")
    ap.add_argument("--act", type=int, default=4, help="action dims")
    ap.add_argument("--hidden", default="256,256", help="hidden widths of the actor and of each critic head")
    ap.add_argument("--heads", type=int, default=2, help="critic ensemble heads (>= 2)")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--iters", type=int, default=500, help="timed updates")
    ap.add_argument("--warmup", type=int, default=50, help="untimed updates first")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    widths = [int(w) for w in args.hidden.split(",")]
    if args.heads < 2 or args.batch < 1 or args.iters < 1 or args.warmup < 0 or min(widths) < 1:
        ap.error("needs --heads >= 2, --batch >= 1, --iters >= 1, --warmup >= 0 and widths >= 1")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    agent = ResidualTd3(args.obs, args.act, widths, args.heads, args.seed)
    pool = random_batches(16, args.obs, args.act, args.batch)
    wall_ms, cpu_ms = [], []
    for it in range(args.warmup + args.iters):
        batch = pool[it % len(pool)]
        c0, t0 = time.thread_time_ns(), time.perf_counter_ns()
        agent.update(*batch)
        t1, c1 = time.perf_counter_ns(), time.thread_time_ns()
        if it >= args.warmup:
            wall_ms.append((t1 - t0) / 1e6)
            cpu_ms.append((c1 - c0) / 1e6)
    wall_ms.sort()
    median = statistics.median(wall_ms)
    print(json.dumps({
        "mode": "residual-update", "obs": args.obs, "act": args.act, "hidden": widths, "heads": args.heads,
        "batch": args.batch, "iters": args.iters, "warmup": args.warmup,
        "median_ms": round(median, 4), "p10_ms": round(percentile(wall_ms, 0.1), 4),
        "p90_ms": round(percentile(wall_ms, 0.9), 4), "mean_ms": round(statistics.fmean(wall_ms), 4),
        "updates_per_s": round(1e3 / median, 1), "cpu_median_ms": round(statistics.median(cpu_ms), 4),
        "actor_params": sum(p.numel() for p in agent.actor.parameters()),
        "critic_params": sum(p.numel() for p in agent.critics.parameters()),
        "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": loaded_blas(),
        "blas_info": blas_info(), "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY")}))


if __name__ == "__main__":
    main()
