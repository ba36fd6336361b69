"""PyTorch side of scripts/check-against-pytorch.sh: the same LeNet, trained and scored in PyTorch.

  make-init  OUT.npz SEED [bn]     random PyTorch LeNet weights, saved with numpy.savez
  train      INIT.npz OUT.npz DATA N BATCH LR MOMENTUM WD [one-cycle|constant] [bn]   N images in file
             order, one epoch, constant lr, or PyTorch's OneCycleLR over that epoch (cycle_momentum=False),
             as lenet's default
  compare    A.npz B.npz           largest absolute difference over the arrays both hold (parameters,
                                   and batch norm's running statistics)
  score      MODEL.npz DATA [bn]   test accuracy of a PyTorch LeNet holding MODEL's arrays (with batch
                                   norm when MODEL holds bn1.weight)

With "bn": d2l's batch-normalised LeNet (conv 5x5 without padding, BatchNorm after each conv and
hidden dense layer, fc1 256 -> 120), its BatchNorm layers named bn1..bn4.
"""
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NAMES = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
         "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"]


class LeNet(nn.Module):
    """d2l.ai's LeNet with named layers, so state_dict() keys are conv1.weight ... fc3.bias."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.avg_pool2d(torch.sigmoid(self.conv1(x)), 2, 2)
        x = F.avg_pool2d(torch.sigmoid(self.conv2(x)), 2, 2)
        x = torch.flatten(x, 1)
        x = torch.sigmoid(self.fc1(x))
        x = torch.sigmoid(self.fc2(x))
        return self.fc3(x)


class LeNetBN(nn.Module):
    """d2l.ai's LeNet with batch normalisation (chapter 8.5), named as lenet names its arrays."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.bn1 = nn.BatchNorm2d(6)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.bn2 = nn.BatchNorm2d(16)
        self.fc1 = nn.Linear(256, 120)
        self.bn3 = nn.BatchNorm1d(120)
        self.fc2 = nn.Linear(120, 84)
        self.bn4 = nn.BatchNorm1d(84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.avg_pool2d(torch.sigmoid(self.bn1(self.conv1(x))), 2, 2)
        x = F.avg_pool2d(torch.sigmoid(self.bn2(self.conv2(x))), 2, 2)
        x = torch.flatten(x, 1)
        x = torch.sigmoid(self.bn3(self.fc1(x)))
        x = torch.sigmoid(self.bn4(self.fc2(x)))
        return self.fc3(x)


def arrays_of(net):
    """A state_dict as numpy arrays (num_batches_tracked stays int64, as lenet reads it)."""
    return {k: v.detach().numpy() for k, v in net.state_dict().items()}


def idx(path):
    data = open(path, "rb").read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def images(path):
    return torch.tensor(idx(path).copy()).float().div(255).unsqueeze(1)


def load(path, bn=False):
    net = LeNetBN() if bn else LeNet()
    arrays = np.load(path)
    # strict: every array of PyTorch's state_dict must be in the file (lenet's momentum.* are not asked for)
    net.load_state_dict({k: torch.tensor(arrays[k]) for k in arrays_of(net)}, strict=True)
    return net


def main(cmd, *a):
    torch.set_num_threads(1)
    if cmd == "make-init":
        torch.manual_seed(int(a[1]))
        net = LeNetBN() if "bn" in a[2:] else LeNet()
        np.savez(a[0], **arrays_of(net))
    elif cmd == "train":
        init, out, data, n, batch, lr, momentum, wd = a[:8]
        n, batch = int(n), int(batch)
        one_cycle = "one-cycle" in a[8:]
        net = load(init, "bn" in a[8:])
        net.train()
        x = images(f"{data}/train-images-idx3-ubyte")[:n]
        y = torch.tensor(idx(f"{data}/train-labels-idx1-ubyte")[:n].astype(np.int64))
        opt = torch.optim.SGD(net.parameters(), lr=float(lr), momentum=float(momentum), weight_decay=float(wd))
        steps = (n + batch - 1) // batch
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=float(lr), total_steps=steps, cycle_momentum=False) if one_cycle else None
        for i in range(0, n, batch):
            loss = F.cross_entropy(net(x[i:i + batch]), y[i:i + batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if sched:
                sched.step()
        np.savez(out, **arrays_of(net))
    elif cmd == "compare":
        a_, b_ = np.load(a[0]), np.load(a[1])
        keys = [k for k in b_.files if k in a_.files and not k.startswith("momentum.")]
        assert all(k in keys for k in NAMES), "missing arrays"
        print(max(float(np.abs(a_[k] - b_[k]).max()) for k in keys))
    elif cmd == "score":
        net = load(a[0], "bn" in a[2:] or "bn1.weight" in np.load(a[0]).files)
        net.eval()
        x = images(f"{a[1]}/t10k-images-idx3-ubyte")
        y = torch.tensor(idx(f"{a[1]}/t10k-labels-idx1-ubyte").astype(np.int64))
        with torch.no_grad():
            print(f"{(net(x).argmax(1) == y).float().mean().item():.4f}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(*sys.argv[1:])
