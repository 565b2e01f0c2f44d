"""One CQL(H) gradient evaluation in PyTorch, written from the equations of CORL's algorithms/offline/cql.py
(Kumar et al. 2020, Eq. 4 with importance sampling, App. F; SAC actor and automatic entropy), as the independent
reference for CqlReferenceTest.

Input (argv[1], JSON written by the test): dimensions, hyperparameters, one batch, the parameters before the step and
the noise Armature's random stream produced for it. Output (stdout, JSON): the gradients of the three losses with
respect to every parameter, and the logged scalars. Computed in float64 with autograd.
"""
import json
import math
import sys

import torch
from torch.distributions import Normal
from torch.distributions.transforms import TanhTransform

torch.set_default_dtype(torch.float64)
d = json.load(open(sys.argv[1]))
A = d["action_dim"]
N = d["cql_n_actions"]
B = d["batch_size"]


def tensor(m):
    return torch.tensor(m["data"]).reshape(m["rows"], m["cols"])


def leaf(m):
    return tensor(m).requires_grad_(True)


def net(params):
    return [leaf(p) for p in params]


def mlp(params, x):
    """Armature's layout: weight is in x out, y = x W + b, ReLU between layers."""
    for i in range(0, len(params), 2):
        x = x @ params[i] + params[i + 1]
        if i + 2 < len(params):
            x = torch.relu(x)
    return x


actor = net(d["actor"])
q1, q2 = net(d["q1"]), net(d["q2"])
q1_target, q2_target = net(d["q1_target"]), net(d["q2_target"])
log_alpha = torch.tensor(d["log_alpha"], requires_grad=True)
corl_log_std = d["corl_log_std"]
log_std_mult = torch.tensor(d.get("log_std_multiplier", 1.0), requires_grad=True)
log_std_offset = torch.tensor(d.get("log_std_offset", -1.0), requires_grad=True)

obs, actions = tensor(d["observations"]), tensor(d["actions"])
rewards, not_done = tensor(d["rewards"]).squeeze(-1), tensor(d["not_done"]).squeeze(-1)
next_obs = tensor(d["next_observations"])


def policy(o, eps):
    """tanh-squashed Gaussian, reparameterised with the given standard-normal noise; returns action, log-prob."""
    out = mlp(actor, o)
    mean, raw = out[:, :A], out[:, A:]
    if corl_log_std:  # CORL TanhGaussianPolicy: clamp(multiplier * raw + offset, -20, 2)
        log_std = torch.clamp(log_std_mult * raw + log_std_offset, -20.0, 2.0)
    else:  # CleanRL's bounded map: log_std in [-5, 2]
        log_std = -5.0 + 0.5 * (2.0 - -5.0) * (torch.tanh(raw) + 1.0)
    std = log_std.exp()
    u = mean + std * eps
    a = torch.tanh(u)
    log_prob = Normal(mean, std).log_prob(u).sum(-1) - TanhTransform().log_abs_det_jacobian(u, a).sum(-1)
    return a, log_prob


def q(params, o, a):
    return mlp(params, torch.cat([o, a], -1)).squeeze(-1)


# ---- SAC temperature and actor, with the critics before the update ----
new_actions, log_pi = policy(obs, tensor(d["eps_actor"]))
alpha_loss = -(log_alpha * (log_pi + d["target_entropy"]).detach()).mean()
alpha = log_alpha.exp().detach()
q_new = torch.min(q(q1, obs, new_actions), q(q2, obs, new_actions))
policy_loss = (alpha * log_pi - q_new).mean()

# ---- critics: TD error to the clipped double-Q target, plus the conservative penalty ----
with torch.no_grad():
    next_actions, _ = policy(next_obs, tensor(d["eps_next"]))
    target_q = torch.min(q(q1_target, next_obs, next_actions), q(q2_target, next_obs, next_actions))
    td_target = rewards + not_done * d["discount"] * target_q
    obs_rep = obs.repeat_interleave(N, 0)  # row b * N + k is observation b
    next_rep = next_obs.repeat_interleave(N, 0)
    random_actions = tensor(d["random_actions"])
    current_actions, current_log_pis = policy(obs_rep, tensor(d["eps_current"]))
    next_rep_actions, next_log_pis = policy(next_rep, tensor(d["eps_next_repeat"]))

temp = d["cql_temperature"]
critic_loss = 0.0
td_loss = 0.0
cql_loss = 0.0
q_data = 0.0
for params in (q1, q2):
    q_pred = q(params, obs, actions)
    td = ((q_pred - td_target) ** 2).mean()
    q_rand = q(params, obs_rep, random_actions).reshape(B, N)
    q_next = q(params, obs_rep, next_rep_actions).reshape(B, N)  # next-state actions, scored at s
    q_cur = q(params, obs_rep, current_actions).reshape(B, N)
    if d["importance_sample"]:
        cat = torch.cat([q_rand - math.log(0.5 ** A), q_next - next_log_pis.reshape(B, N),
                         q_cur - current_log_pis.reshape(B, N)], 1)
    else:
        cat = torch.cat([q_rand, q_pred.unsqueeze(1), q_next, q_cur], 1)
    ood = torch.logsumexp(cat / temp, 1) * temp
    penalty = d["cql_alpha"] * (ood - q_pred).mean()
    critic_loss = critic_loss + td + penalty
    td_loss += td.item()
    cql_loss += penalty.item()
    q_data += q_pred.mean().item() / 2


def flat(grads):
    return [g.reshape(-1).tolist() for g in grads]


actor_leaves = actor + ([log_std_mult, log_std_offset] if corl_log_std else [])
out = {
    "actor": flat(torch.autograd.grad(policy_loss, actor_leaves, retain_graph=True)),
    "critics": flat(torch.autograd.grad(critic_loss, q1 + q2)),
    "log_alpha": torch.autograd.grad(alpha_loss, log_alpha)[0].item(),
    "metrics": {"critic_td_loss": td_loss, "cql_loss": cql_loss, "q_data": q_data,
                "actor_loss": (alpha * log_pi.detach() - q_new.detach()).mean().item(),
                "log_pi": log_pi.mean().item()},
}
print(json.dumps(out))
