"""PyTorch side of scripts/bench-vs-pytorch.sh: the same timing as `lenet bench`, in PyTorch.

Same network (sigmoid, average pooling), same SGD (momentum 0.9, weight decay 1e-4), MNIST-shaped
batches already in memory, a warm-up, then training steps and inference batches for SECONDS each.
Prints one JSON object with train_images_per_second, infer_images_per_second, step_ms.

usage: pytorch_bench.py BATCH INFER_BATCH SECONDS THREADS [MNIST_DIR]
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_lenet import LeNet, idx  # noqa: E402


def main(batch, infer_batch, seconds, threads, data=None):
    batch, infer_batch, seconds, threads = int(batch), int(infer_batch), float(seconds), int(threads)
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    path = f"{data}/train-images-idx3-ubyte" if data else None
    if path and os.path.exists(path):
        x = torch.tensor(idx(path)[:10000].copy()).float().div(255).unsqueeze(1)
        y = torch.tensor(idx(f"{data}/train-labels-idx1-ubyte")[:10000].astype(np.int64))
    else:
        x = torch.randint(0, 256, (10000, 1, 28, 28)).float().div(255)
        y = torch.randint(0, 10, (10000,))
    net = LeNet()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)

    def step(i):
        t = time.perf_counter()
        j = (i * batch) % (10000 - batch)
        loss = F.cross_entropy(net(x[j:j + batch]), y[j:j + batch])
        opt.zero_grad()
        loss.backward()
        opt.step()
        return (time.perf_counter() - t) * 1000

    def infer(i):
        t = time.perf_counter()
        j = (i * infer_batch) % (10000 - infer_batch + 1)
        with torch.no_grad():
            net(x[j:j + infer_batch]).sum().item()
        return (time.perf_counter() - t) * 1000

    for i in range(10):
        step(i)
    for i in range(3):
        infer(i)
    steps, infers = [], []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(steps) < 5:
        steps.append(step(len(steps)))
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(infers) < 5:
        infers.append(infer(len(infers)))
    step_ms, infer_ms = statistics.median(steps), statistics.median(infers)
    print(json.dumps({
        "train_images_per_second": batch / step_ms * 1000,
        "infer_images_per_second": infer_batch / infer_ms * 1000,
        "step_ms": step_ms,
        "infer_batch_ms": infer_ms,
        "threads": threads,
        "torch": torch.__version__,
        "blas": blas_library(),
    }))


def blas_library():
    """The BLAS library this process loaded (the dense layers run on it), from /proc/self/maps."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]}
    except OSError:
        return "unknown"
    return " ".join(sorted(os.path.realpath(p) for p in paths)) or "none loaded"


if __name__ == "__main__":
    main(*sys.argv[1:])
