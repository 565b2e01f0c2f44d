"""One gradient evaluation of CQL, IQL or TD3+BC in PyTorch, written from the equations of CORL's
algorithms/offline/{cql,iql,td3_bc}.py and the papers, as the independent reference for CorlReferenceTest:
- CQL(H) (Kumar et al. 2020, Eq. 4 with importance sampling, App. F) on SAC with automatic entropy;
- IQL (Kostrikov et al. 2022, Eq. 5-7): expectile value, critic to r + gamma V(s'), advantage-weighted actor
  (Gaussian or CORL's deterministic one), weights exp(beta A) clipped at 100;
- TD3+BC (Fujimoto & Gu 2021, Eq. 3 and 5): clipped double-Q target with target policy smoothing, actor
  -lambda Q(s, pi(s)) + MSE(pi(s), a) with lambda = alpha / mean|Q| (no gradient).

Input (argv[1], JSON written by the test): the algorithm, dimensions, hyperparameters, one batch, the parameters and
the noise Armature's random stream produced for the step. Output (stdout, JSON): the gradients of each loss with
respect to every parameter it trains, and the logged scalars. Computed in float64 with autograd.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F
from torch.distributions import Normal
from torch.distributions.transforms import TanhTransform

torch.set_default_dtype(torch.float64)


def tensor(m):
    return torch.tensor(m["data"]).reshape(m["rows"], m["cols"])


def net(params):
    return [tensor(p).requires_grad_(True) for p in params]


def mlp(params, x):
    """Armature's layout: weight is in x out, y = x W + b, ReLU between layers."""
    for i in range(0, len(params), 2):
        x = x @ params[i] + params[i + 1]
        if i + 2 < len(params):
            x = torch.relu(x)
    return x


def q(params, o, a):
    return mlp(params, torch.cat([o, a], -1)).squeeze(-1)


def flat(grads):
    return [g.reshape(-1).tolist() for g in grads]


def cql(d, obs, actions, rewards, not_done, next_obs):
    A, N, B = d["action_dim"], d["cql_n_actions"], d["batch_size"]
    actor = net(d["actor"])
    q1, q2 = net(d["q1"]), net(d["q2"])
    q1_target, q2_target = net(d["q1_target"]), net(d["q2_target"])
    log_alpha = torch.tensor(d["log_alpha"], requires_grad=True)
    corl_log_std = d["corl_log_std"]
    log_std_mult = torch.tensor(d.get("log_std_multiplier", 1.0), requires_grad=True)
    log_std_offset = torch.tensor(d.get("log_std_offset", -1.0), requires_grad=True)

    def policy(o, eps):
        """tanh-squashed Gaussian, reparameterised with the given standard-normal noise; action and log-prob."""
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
    critic_loss, td_loss, cql_loss, q_data = 0.0, 0.0, 0.0, 0.0
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

    actor_leaves = actor + ([log_std_mult, log_std_offset] if corl_log_std else [])
    return {
        "actor": flat(torch.autograd.grad(policy_loss, actor_leaves, retain_graph=True)),
        "critics": flat(torch.autograd.grad(critic_loss, q1 + q2)),
        "log_alpha": torch.autograd.grad(alpha_loss, log_alpha)[0].item(),
        "metrics": {"critic_td_loss": td_loss, "cql_loss": cql_loss, "q_data": q_data,
                    "actor_loss": (alpha * log_pi.detach() - q_new.detach()).mean().item(),
                    "log_pi": log_pi.mean().item()},
    }


def iql(d, obs, actions, rewards, not_done, next_obs):
    actor, v = net(d["actor"]), net(d["v"])
    q1, q2 = net(d["q1"]), net(d["q2"])
    q1_target, q2_target = net(d["q1_target"]), net(d["q2_target"])
    deterministic = d["deterministic_actor"]
    log_std = torch.tensor(d["log_std"], requires_grad=True)

    with torch.no_grad():
        next_v = mlp(v, next_obs).squeeze(-1)
        target_q = torch.min(q(q1_target, obs, actions), q(q2_target, obs, actions))
    # value: expectile regression towards the target critics, Eq. 5
    adv = target_q - mlp(v, obs).squeeze(-1)
    value_loss = (torch.abs(d["expectile"] - (adv < 0).double()) * adv ** 2).mean()
    # critics: regress to r + gamma (1 - d) V(s'), Eq. 6; CORL averages the two MSEs
    y = rewards + not_done * d["discount"] * next_v
    critic_loss = (F.mse_loss(q(q1, obs, actions), y) + F.mse_loss(q(q2, obs, actions), y)) / 2
    # actor: advantage-weighted regression, Eq. 7
    exp_adv = torch.exp(d["beta"] * adv.detach()).clamp(max=d["max_weight"])
    mean = torch.tanh(mlp(actor, obs))
    if deterministic:  # CORL DeterministicPolicy
        bc_losses = ((mean - actions) ** 2).sum(1)
    else:  # CORL GaussianPolicy: state-independent log-std clamped to [-20, 2]
        std = log_std.clamp(-20.0, 2.0).exp()
        bc_losses = -Normal(mean, std).log_prob(actions).sum(1)
    actor_loss = (exp_adv * bc_losses).mean()
    actor_leaves = actor + ([] if deterministic else [log_std])
    return {
        "actor": flat(torch.autograd.grad(actor_loss, actor_leaves)),
        "critics": flat(torch.autograd.grad(critic_loss, q1 + q2)),
        "value": flat(torch.autograd.grad(value_loss, v)),
        "clipped_fraction": (torch.exp(d["beta"] * adv.detach()) > d["max_weight"]).double().mean().item(),
        "metrics": {"value_loss": value_loss.item(), "critic_loss": critic_loss.item(),
                    "actor_loss": actor_loss.item(), "adv_weight_mean": exp_adv.mean().item()},
    }


def td3bc(d, obs, actions, rewards, not_done, next_obs):
    actor, actor_target = net(d["actor"]), net(d["actor_target"])
    q1, q2 = net(d["q1"]), net(d["q2"])
    q1_target, q2_target = net(d["q1_target"]), net(d["q2_target"])
    with torch.no_grad():  # target policy smoothing and the clipped double-Q target (TD3)
        raw_noise = tensor(d["eps_policy"]) * d["policy_noise"]
        noise = raw_noise.clamp(-d["noise_clip"], d["noise_clip"])
        smoothed = torch.tanh(mlp(actor_target, next_obs)) + noise
        next_actions = smoothed.clamp(-1.0, 1.0)
        target_q = torch.min(q(q1_target, next_obs, next_actions), q(q2_target, next_obs, next_actions))
        y = rewards + not_done * d["discount"] * target_q
    critic_loss = F.mse_loss(q(q1, obs, actions), y) + F.mse_loss(q(q2, obs, actions), y)
    pi = torch.tanh(mlp(actor, obs))
    q_pi = q(q1, obs, pi)
    lmbda = d["alpha"] / q_pi.abs().mean().detach()
    bc_loss = F.mse_loss(pi, actions)
    actor_loss = -lmbda * q_pi.mean() + bc_loss
    return {
        "actor": flat(torch.autograd.grad(actor_loss, actor, retain_graph=True)),
        "critics": flat(torch.autograd.grad(critic_loss, q1 + q2)),
        "noise_clipped_fraction": (raw_noise.abs() > d["noise_clip"]).double().mean().item(),
        "action_clipped_fraction": (smoothed.abs() > 1.0).double().mean().item(),
        "metrics": {"critic_loss": critic_loss.item(), "actor_loss": actor_loss.item(),
                    "bc_loss": bc_loss.item(), "q_pi": q_pi.mean().item()},
    }


d = json.load(open(sys.argv[1]))
batch = (tensor(d["observations"]), tensor(d["actions"]), tensor(d["rewards"]).squeeze(-1),
         tensor(d["not_done"]).squeeze(-1), tensor(d["next_observations"]))
print(json.dumps({"cql": cql, "iql": iql, "td3bc": td3bc}[d["algo"]](d, *batch)))
