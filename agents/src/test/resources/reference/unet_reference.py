"""Diffusion Policy's conditional 1-D temporal U-Net in PyTorch, the independent reference for UnetReferenceTest.

Written from the paper (Chi et al., RSS 2023, Sec. III-B) and the architecture of ConditionalUnet1D with
cond_predict_scale (real-stanford/diffusion_policy): FiLM residual blocks of two Conv1d -> GroupNorm -> Mish units,
stride-2 Conv1d down-sampling except at the last level, two middle blocks, up levels that concatenate the skip of
their length behind the features, two blocks and a ConvTranspose1d(4, 2, 1), then Conv1d -> GroupNorm -> Mish and a
1x1 Conv1d. The global condition is [sinusoidal step embedding -> Linear -> Mish -> Linear, observation history].

Input (argv[1], JSON): action_dim, horizon, cond_dim, step_dim, down_dims, kernel, groups, batch, seed.
Output (stdout, JSON), everything in float64: the parameters in registration order with their module kind and
PyTorch shape, the noisy actions [B, horizon, action_dim], the steps, the condition, the loss weights R, the output
and the gradients of sum(output * R) with respect to every parameter, the actions and the condition.
"""
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


class StepEncoder(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim
        self.lin1 = nn.Linear(dim, 4 * dim)
        self.lin2 = nn.Linear(4 * dim, dim)

    def forward(self, t):
        half = self.dim // 2
        k = torch.arange(half, dtype=torch.float64)
        angle = t.double()[:, None] * torch.exp(-math.log(10000.0) * k / (half - 1))[None, :]
        emb = torch.cat([torch.sin(angle), torch.cos(angle)], dim=1)
        return self.lin2(F.mish(self.lin1(emb)))


class ConvUnit(nn.Module):
    """Conv1d (same length) -> GroupNorm -> Mish."""

    def __init__(self, cin, cout, kernel, groups):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, kernel, padding=kernel // 2)
        self.norm = nn.GroupNorm(groups, cout)

    def forward(self, x):
        return F.mish(self.norm(self.conv(x)))


class FilmBlock(nn.Module):
    def __init__(self, cin, cout, cond, kernel, groups):
        super().__init__()
        self.first = ConvUnit(cin, cout, kernel, groups)
        self.second = ConvUnit(cout, cout, kernel, groups)
        self.film = nn.Linear(cond, 2 * cout)
        self.residual = nn.Conv1d(cin, cout, 1) if cin != cout else None
        self.cout = cout

    def forward(self, x, cond):
        gamma_beta = self.film(F.mish(cond))
        scale = gamma_beta[:, :self.cout, None]
        shift = gamma_beta[:, self.cout:, None]
        h = self.second(scale * self.first(x) + shift)
        return h + (self.residual(x) if self.residual is not None else x)


class Unet(nn.Module):
    def __init__(self, action_dim, cond_dim, step_dim, down_dims, kernel, groups):
        super().__init__()
        self.steps = StepEncoder(step_dim)
        g = step_dim + cond_dim
        widths = [action_dim] + list(down_dims)
        n = len(down_dims)
        self.down = nn.ModuleList()
        for i in range(n):
            level = nn.ModuleList([FilmBlock(widths[i], widths[i + 1], g, kernel, groups),
                                   FilmBlock(widths[i + 1], widths[i + 1], g, kernel, groups)])
            if i < n - 1:
                level.append(nn.Conv1d(widths[i + 1], widths[i + 1], 3, stride=2, padding=1))
            self.down.append(level)
        self.mid = nn.ModuleList([FilmBlock(down_dims[-1], down_dims[-1], g, kernel, groups) for _ in range(2)])
        self.up = nn.ModuleList()
        for level in range(n - 1, 0, -1):
            wide, narrow = down_dims[level], down_dims[level - 1]
            self.up.append(nn.ModuleList([FilmBlock(2 * wide, narrow, g, kernel, groups),
                                          FilmBlock(narrow, narrow, g, kernel, groups),
                                          nn.ConvTranspose1d(narrow, narrow, 4, stride=2, padding=1)]))
        self.head = ConvUnit(down_dims[0], down_dims[0], kernel, groups)
        self.out = nn.Conv1d(down_dims[0], action_dim, 1)

    def forward(self, actions, t, cond):
        c = torch.cat([self.steps(t), cond], dim=1)
        x = actions.transpose(1, 2)  # [B, horizon, A] -> [B, A, horizon]
        skips = []
        for level in self.down:
            x = level[1](level[0](x, c), c)
            skips.append(x)
            if len(level) == 3:
                x = level[2](x)
        for block in self.mid:
            x = block(x, c)
        for first, second, upsample in self.up:
            x = torch.cat([x, skips.pop()], dim=1)
            x = upsample(second(first(x, c), c))
        return self.out(self.head(x)).transpose(1, 2)


def kind(module):
    if isinstance(module, nn.ConvTranspose1d):
        return "conv_transpose1d"
    if isinstance(module, nn.Conv1d):
        return "conv1d"
    if isinstance(module, nn.Linear):
        return "linear"
    if isinstance(module, nn.GroupNorm):
        return "group_norm"
    raise ValueError(type(module))


def main():
    d = json.load(open(sys.argv[1]))
    torch.manual_seed(d["seed"])
    net = Unet(d["action_dim"], d["cond_dim"], d["step_dim"], d["down_dims"], d["kernel"], d["groups"])
    with torch.no_grad():  # move the norms off their identity initialisation, so a swapped scale and shift shows
        for m in net.modules():
            if isinstance(m, nn.GroupNorm):
                m.weight.add_(0.2 * torch.randn_like(m.weight))
                m.bias.add_(0.2 * torch.randn_like(m.bias))
    B, H, A = d["batch"], d["horizon"], d["action_dim"]
    actions = torch.randn(B, H, A, requires_grad=True)
    cond = torch.randn(B, d["cond_dim"], requires_grad=True)
    t = torch.randint(0, 100, (B,))
    r = torch.randn(B, H, A)
    out = net(actions, t, cond)
    (out * r).sum().backward()
    params = []
    for mname, module in net.named_modules():
        for pname, p in module.named_parameters(recurse=False):
            params.append({"name": mname + "." + pname, "kind": kind(module), "shape": list(p.shape),
                           "value": p.detach().reshape(-1).tolist(), "grad": p.grad.reshape(-1).tolist()})
    json.dump({"params": params, "actions": actions.detach().reshape(-1).tolist(), "steps": t.tolist(),
               "condition": cond.detach().reshape(-1).tolist(), "r": r.reshape(-1).tolist(),
               "output": out.detach().reshape(-1).tolist(), "actions_grad": actions.grad.reshape(-1).tolist(),
               "condition_grad": cond.grad.reshape(-1).tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
