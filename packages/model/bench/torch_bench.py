"""PyTorch side of `pnpm bench`: the same VGG16 measures as bench.ts, printed as one JSON line.

Setup (not CI): apt-get install -y python3-torch  (Debian's torch; no torchvision needed).
Usage: /usr/bin/python3 bench/torch_bench.py THREADS BATCH SECONDS
Then, one name per line on stdin (forward, train, cache, cached_train, conv), it answers each with
one JSON line: bench.ts interleaves these with its own measures, so both sides see the same load.
Rates come with "cpu": images per CPU-second of this process (all its threads).
"""
import json
import sys
import time

import torch
from torch import nn

threads, batch, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(0)

BLOCKS = [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]


def vgg_blocks():
    layers, channels = [], 3
    for filters, convs in BLOCKS:
        block = []
        for _ in range(convs):
            block += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(inplace=True)]
            channels = filters
        block.append(nn.MaxPool2d(2, 2))
        layers.append(nn.Sequential(*block))
    return layers


blocks = vgg_blocks()
prefix = nn.Sequential(*blocks[:4])  # block1..block4: frozen
head = nn.Sequential(nn.Flatten(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
suffix = nn.Sequential(blocks[4], head)
for p in prefix.parameters():
    p.requires_grad_(False)
base = nn.Sequential(prefix, blocks[4])
model = nn.Sequential(prefix, suffix)
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.RMSprop(suffix.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)

x = torch.randn(batch, 3, 32, 32)
y = torch.randint(0, 10, (batch,))
features = prefix(x).detach()


last_cpu_rate = None


def rate(step):
    global last_cpu_rate
    step()  # warm-up
    n, start, cpu_start = 0, time.perf_counter(), time.process_time()
    while True:
        step()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and n >= 2:
            last_cpu_rate = n * batch / (time.process_time() - cpu_start)
            return n * batch / elapsed


def forward():
    with torch.no_grad():
        base(x)


def train(net, inputs):
    def step():
        opt.zero_grad()
        loss_fn(net(inputs), y).backward()
        opt.step()
    return step


def cache():
    with torch.no_grad():
        prefix(x)


GEMM = "GEMM 1024x1024x1024 (the ceiling)"


def gflops(fn, flops):
    fn()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds / 2 or n < 2:
        fn()
        n += 1
    return flops * n / (time.perf_counter() - start) / 1e9


def conv_figures():
    conv = {}
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    conv[GEMM] = gflops(lambda: a @ b, 2 * 1024**3)
    for size, cin, cout in [(16, 128, 128), (8, 256, 256), (4, 512, 512), (2, 512, 512)]:
        xi = torch.randn(batch, cin, size, size, requires_grad=True)
        w = torch.randn(cout, cin, 3, 3, requires_grad=True)
        flops = 2 * batch * size * size * 9 * cin * cout
        out = torch.nn.functional.conv2d(xi, w, padding=1)
        dy = torch.randn_like(out)
        key = f"{size}x{size}x{cin}->{cout}"
        with torch.no_grad():
            conv[f"forward {key}"] = gflops(lambda: torch.nn.functional.conv2d(xi, w, padding=1), flops)
        conv[f"backprop filter {key}"] = gflops(
            lambda: torch.nn.grad.conv2d_weight(xi, w.shape, dy, padding=1), flops)
        conv[f"backprop input {key}"] = gflops(
            lambda: torch.nn.grad.conv2d_input(xi.shape, w, dy, padding=1), flops)
    return conv


MEASURES = {
    "forward": lambda: rate(forward),
    "train": lambda: rate(train(model, x)),
    "cache": lambda: rate(cache),
    "cached_train": lambda: rate(train(suffix, features)),
    "conv": conv_figures,
}

print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    name = line.strip()
    if name:
        last_cpu_rate = None
        value = MEASURES[name]()
        print(json.dumps({"name": name, "value": value, "cpu": last_cpu_rate}), flush=True)
