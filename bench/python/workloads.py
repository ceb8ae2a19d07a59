"""The three GradDescent experiments' math in PyTorch eager mode, step for step as
src/Workers/Experiments implements it (float32, same shapes, same update rules, same bookkeeping),
so the per-trial benchmark compares the same computation. Every function handles a batch of B
trials; B = 1 is one trial at a time."""
import math

import torch

# --- Example 1: linear regression (LinearRegressionProblem, LinearRegressionBatch, PlainGradientDescent)


def _splitmix_uniform(state):
    state = (state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    z ^= z >> 31
    return state, (z >> 11) * (1.0 / (1 << 53))


def synthetic_height_weight():
    """SyntheticHeightWeight: 150 men, the same SplitMix64 + Box-Muller stream."""
    state = 0x6772616464657363
    heights, weights = [], []

    def normal():
        nonlocal state
        state, u = _splitmix_uniform(state)
        state, v = _splitmix_uniform(state)
        return math.sqrt(-2.0 * math.log(1.0 - u)) * math.cos(2.0 * math.pi * v)

    for _ in range(150):
        height = round(69.0 + 2.9 * normal(), 2)
        heights.append(height)
        weights.append(round(6.0 * height - 220.0 + 10.0 * normal(), 2))
    return heights, weights


def least_squares(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((a - mx) ** 2 for a in x)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    slope = sxy / sxx
    intercept = my - slope * mx
    mse = sum((slope * a + intercept - b) ** 2 for a, b in zip(x, y)) / n
    return slope, intercept, mse


class LinearRegressionData:
    def __init__(self):
        heights, weights = synthetic_height_weight()
        self.exact = least_squares(heights, weights)
        h = torch.tensor(heights, dtype=torch.float32)
        n = h.shape[0]
        self.inputs = torch.stack([h, torch.ones(n)])
        self.weights = torch.tensor(weights, dtype=torch.float32)
        self.gradient_inputs = self.inputs.t().mul(2.0 / n).contiguous()


def linear_regression(data, learning_rates, iterations, init_intercept=-180.0, intercept_scale=1.0):
    """gd on mean squared error with the analytic gradient; returns one outcome dict per trial."""
    b = len(learning_rates)
    with torch.no_grad():
        theta = torch.tensor([[data.exact[0], init_intercept]] * b, dtype=torch.float32)
        scale = torch.tensor([[1.0, intercept_scale]] * b, dtype=torch.float32)
        lr = torch.tensor(learning_rates, dtype=torch.float32)
        chunk = torch.empty(iterations, b, 3)
        for s in range(iterations):
            residual = theta.mm(data.inputs).sub_(data.weights)
            loss = residual.square().mean(1)
            gradient = residual.mm(data.gradient_inputs)
            gradient.mul_(scale)
            theta.sub_(gradient * lr.view(-1, 1))
            row = chunk[s]
            row[:, 0].copy_(loss)
            row[:, 1:3].copy_(theta)
        final = (theta.mm(data.inputs) - data.weights).square().mean(1)
        history = chunk.permute(1, 2, 0).tolist()
        final_mse = final.tolist()
    outcomes = []
    for i in range(b):
        loss, slope, intercept = history[i]
        outcomes.append({
            "metrics": {"slope": slope[-1], "intercept": intercept[-1], "loss": loss[-1], "mse": final_mse[i],
                        "mse_gap": final_mse[i] - data.exact[2]},
            "history": {"loss": loss, "slope": slope, "intercept": intercept},
            "detail": [{"step": k, "loss": loss[k], "slope": slope[k], "intercept": intercept[k]} for k in range(iterations)],
        })
    return outcomes


# --- Example 2: vector spread (FusedSpreadRun, SpreadObjectives, PairKick, AscentRule / Adam)

RADIUS = 0.999
KICK = 1e-4
FLOOR = KICK * KICK / 4


def _splitmix_signed(key):
    z = (key + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    z ^= z >> 31
    x = (z >> 11) * (2.0 / (1 << 53)) - 1
    return x + 0.25 if x >= 0 else x - 0.25


def pair_kicks(n, d):
    """PairKick.Table times the kick radius: [N, N, D], tau_ji = -tau_ij, unit rows, zero diagonal."""
    table = torch.zeros(n, n, d)
    for i in range(n):
        for j in range(i + 1, n):
            x = [_splitmix_signed((i << 40) ^ (j << 16) ^ k) for k in range(d)]
            norm = math.sqrt(sum(v * v for v in x))
            row = torch.tensor([v / norm for v in x])
            table[i, j] = row
            table[j, i] = -row
    return table * KICK


def _pairs(points, kick):
    """Kicked differences [B, N, N, D] and floored squared lengths [B, N, N]."""
    differences = points.unsqueeze(2) - points.unsqueeze(1)
    with torch.no_grad():
        near = (differences.detach().square().sum(-1) < KICK * KICK).to(points.dtype).unsqueeze(-1)
    kicked = differences + kick * near
    return kicked, kicked.square().sum(-1).clamp_min(FLOOR)


def _tangential_force(normals, diagonal, kick, exponents):
    scaled = normals * RADIUS
    differences, squared = _pairs(scaled, kick)
    weights = squared.pow(-1.5).masked_fill(diagonal, 0.0)
    force = (differences * weights.unsqueeze(-1)).sum(2)
    unit = scaled / scaled.norm(dim=-1, keepdim=True)
    tangential = force - (force * unit).sum(-1, keepdim=True) * unit
    return -tangential.norm(dim=-1).sum(1)


def _energy(normals, diagonal, kick, exponents):
    _, squared = _pairs(normals, kick)
    s = exponents.view(-1, 1, 1)
    logits = (squared.log() * s * -0.5).masked_fill(diagonal, float("-inf"))
    log_energy = logits.flatten(1).logsumexp(1) - math.log(2)
    return log_energy / exponents * (-0.5 * normals.shape[1])


OBJECTIVES = {"tangential-force": _tangential_force, "energy": _energy}


def _min_angle_degrees(vectors, diagonal):
    with torch.no_grad():
        normals = vectors / vectors.norm(dim=-1, keepdim=True)
        largest = (normals @ normals.transpose(1, 2)).masked_fill(diagonal, -2.0).amax(2).amax(1)
        return largest.clamp(-1.0, 1.0).acos() * (180.0 / math.pi)


def _evaluate(objective_fn, vectors, diagonal, kick, exponents, need_gradient):
    angle = _min_angle_degrees(vectors, diagonal)
    if not need_gradient:
        with torch.no_grad():
            normals = vectors / vectors.norm(dim=-1, keepdim=True)
            return objective_fn(normals, diagonal, kick, exponents), angle, None
    leaf = vectors.detach().requires_grad_(True)
    normals = leaf / leaf.norm(dim=-1, keepdim=True)
    objective = objective_fn(normals, diagonal, kick, exponents)
    gradient = torch.autograd.grad([objective.sum()], [leaf])[0]
    return objective.detach(), angle, gradient


def vector_spread(seeds, learning_rates, method="tangential-force", vectors=20, dims=3, iterations=1000,
                  lr_decay=0.7, lr_decay_every=100, clip_norm=200.0, s0=1.0, s1=1000.0):
    """B trials as one [B, N, D] program: tangential-force with the article's ascent rule, or energy with
    Keras Adam and s annealed geometrically from s0 to s1; gradients clipped to clip_norm per trial."""
    b = len(seeds)
    objective_fn = OBJECTIVES[method]
    draws = []
    for seed in seeds:
        generator = torch.Generator().manual_seed(seed)
        draws.append(torch.randn(1, vectors, dims, generator=generator))
    stacked = torch.cat(draws)
    v = stacked / stacked.norm(dim=-1, keepdim=True)
    previous = v.clone()
    diagonal = torch.eye(vectors, dtype=torch.bool)
    kick = pair_kicks(vectors, dims)
    diverged = torch.zeros(b, dtype=torch.bool)
    angles = torch.zeros(iterations, b)
    objectives = torch.zeros(iterations, b)
    lr = torch.tensor(learning_rates, dtype=torch.float32)
    decay = torch.full((b,), lr_decay, dtype=torch.float32)
    clip = torch.full((b,), clip_norm, dtype=torch.float32)
    m = torch.zeros_like(v)
    second = torch.zeros_like(v)
    log_ratio = math.log(s1 / s0)

    def exponents_at(t):
        progress = min(1.0, t / max(1, iterations - 1))
        return torch.full((b,), s0 * math.exp(progress * log_ratio), dtype=torch.float32)

    for t in range(iterations + 1):
        exponents = exponents_at(t) if method == "energy" else None
        objective, angle, gradient = _evaluate(objective_fn, v, diagonal, kick, exponents, need_gradient=t < iterations)
        if t > 0:
            step = t - 1
            with torch.no_grad():
                finite = (objective + angle + v.sum((1, 2))).isfinite()
                diverged.logical_or_(finite.logical_not())
                v.copy_(torch.where(diverged.view(-1, 1, 1), previous, v))
                angles[step].copy_(angle.masked_fill(diverged, float("nan")))
                objectives[step].copy_(objective.masked_fill(diverged, float("nan")))
        if t == iterations:
            break
        with torch.no_grad():
            norms = gradient.flatten(1).norm(dim=1)
            gradient = gradient * (clip / norms).clamp_max(1.0).view(-1, 1, 1)
            previous.copy_(v)
            if method == "energy":
                k = t + 1
                alpha = lr * math.sqrt(1 - 0.999 ** k) / (1 - 0.9 ** k)
                descent = -gradient
                m.lerp_(descent, 0.1)
                second.lerp_(descent.square(), 0.001)
                v.sub_(m * alpha.view(-1, 1, 1) / (second.sqrt() + 1e-7))
            else:
                v.add_(gradient * lr.view(-1, 1, 1))
            v.div_(v.norm(dim=-1, keepdim=True))
        if (t + 1) % lr_decay_every == 0:
            lr.mul_(decay)
    objective, angle, _ = _evaluate(objective_fn, v, diagonal, kick, exponents_at(iterations) if method == "energy" else None,
                                    need_gradient=False)
    angle_rows, objective_rows = angles.t().tolist(), objectives.t().tolist()
    final_vectors, final_angle, final_objective = v.tolist(), angle.tolist(), objective.tolist()
    return [{
        "metrics": {"min_angle_deg": final_angle[i], "objective": final_objective[i]},
        "history": {"min_angle_deg": angle_rows[i], "objective": objective_rows[i]},
        "vectors": final_vectors[i],
    } for i in range(b)]


# --- Example 3: the article's CNN and the sign attack (VictimNetwork, BatchedAttack)


class VictimNetwork(torch.nn.Module):
    """3×(conv 3×3 valid → ReLU → BatchNorm → MaxPool 2 → Dropout .25), Dense 512 → ReLU → BN → Dropout .5 → Dense 2."""

    def __init__(self, size=128, width=32):
        super().__init__()
        layers, channels = [], 3
        for w in (width, 2 * width, 4 * width):
            layers += [torch.nn.Conv2d(channels, w, 3), torch.nn.ReLU(), torch.nn.BatchNorm2d(w, eps=1e-3),
                       torch.nn.MaxPool2d(2), torch.nn.Dropout(0.25)]
            channels = w
        feature = size
        for _ in range(3):
            feature = (feature - 2) // 2
        layers += [torch.nn.Flatten(), torch.nn.Linear(feature * feature * 4 * width, 16 * width), torch.nn.ReLU(),
                   torch.nn.BatchNorm1d(16 * width, eps=1e-3), torch.nn.Dropout(0.5), torch.nn.Linear(16 * width, 2)]
        self.layers = torch.nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


def sign_attack(network, levels, iterations=1, step=1.0, direction=1.0):
    """levels: [B, 3, H, W] channel levels 0..255; returns per-trial probability history and final probabilities."""
    network.eval()
    for p in network.parameters():
        p.requires_grad_(False)
    history = []
    current = levels
    for iteration in range(iterations + 1):
        inp = current.detach().requires_grad_(True)
        if iteration == iterations:
            with torch.no_grad():
                history.append(torch.softmax(network(inp / 255.0), 1))
            break
        probabilities = torch.softmax(network(inp / 255.0), 1)
        objective = (direction * (probabilities[:, 0] - probabilities[:, 1])).sum()
        gradient = torch.autograd.grad([objective], [inp])[0]
        history.append(probabilities.detach())
        with torch.no_grad():
            current = (current - gradient.sign() * step).clamp(0, 255)
    with torch.no_grad():
        quantized = current.clamp(0, 255).round()
        # A whole-level step ends on whole levels: the quantised image is the last one evaluated (as BatchedAttack).
        final = history[-1] if torch.equal(quantized, current) else torch.softmax(network(quantized / 255.0), 1)
        changed = (quantized - levels).abs().flatten(1)
        histogram = [torch.bincount(row.long(), minlength=256).tolist() for row in changed]
    return torch.stack(history).permute(1, 0, 2).tolist(), final.tolist(), histogram
