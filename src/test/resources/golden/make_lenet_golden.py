#!/usr/bin/python3
"""Golden values for lenet.nn.PyTorchGoldenTest and lenet.engine.reference.PyTorchGoldenTest, made by PyTorch.

For each LeNet variant (sigmoid + average pooling, relu + max pooling) this builds the d2l.ai LeNet
in float32 with a fixed seed, runs one forward and backward pass on a batch of 8 random images, then
3 steps of SGD (lr 0.1, momentum 0.9, weight decay 1e-4) on that same batch, and saves into
lenet_<activation>_<pooling>.npz (numpy.savez, every array float32):

    conv1.weight ... fc3.bias              the ten initial parameters, PyTorch names and layouts
    input                                  [8, 1, 28, 28], uniform in [0, 1)
    labels                                 [8], class indices stored as float32
    logits                                 [8, 10]
    loss                                   [1], mean cross-entropy
    grad.conv1.weight ... grad.fc3.bias    gradients of the loss at the initial parameters
    step3.conv1.weight ... step3.fc3.bias  the parameters after 3 SGD steps

With batch norm (d2l's BNLeNet: conv1 without padding, BatchNorm2d after each conv and BatchNorm1d
after fc1 and fc2, before the activation; fc1 256->120), for sigmoid + average pooling (d2l's) and
relu + max pooling, lenet_bn_<activation>_<pooling>.npz holds, besides input and labels:

    conv1.weight ... fc3.bias              the initial parameters, bn1..bn4 included
    bnK.running_mean, bnK.running_var      the initial running statistics (float32)
    bnK.num_batches_tracked                the initial batch count, int64 as in a state_dict
    logits, loss, grad.*                   forward in TRAIN mode (batch statistics), its loss and gradients
    logits_eval                            forward in EVAL mode (running statistics) at the initial state
    step3.<every parameter and buffer>     after 3 SGD steps in train mode from the initial state: the
                                           running statistics moved 3 times, num_batches_tracked + 3
    step3.logits_eval                      forward in EVAL mode after those steps

The batch-norm weights, biases and running statistics start away from PyTorch's 1, 0, 0, 1 (and the
count at 7), so a mix-up between them cannot pass.

Run from anywhere with Debian's python3-torch:  /usr/bin/python3 make_lenet_golden.py
The Java tests read the .npz files only; they never need Python.
"""
import os

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

SEED = 20240611
BATCH = 8
LR, MOMENTUM, WEIGHT_DECAY, STEPS = 0.1, 0.9, 1e-4, 3
HERE = os.path.dirname(os.path.abspath(__file__))


def lenet(activation, pooling):
    """d2l.ai's LeNet; named children so state_dict() keys are conv1.weight ... fc3.bias."""
    net = nn.Sequential()
    net.add_module("conv1", nn.Conv2d(1, 6, kernel_size=5, padding=2))
    net.add_module("act1", activation())
    net.add_module("pool1", pooling(kernel_size=2, stride=2))
    net.add_module("conv2", nn.Conv2d(6, 16, kernel_size=5))
    net.add_module("act2", activation())
    net.add_module("pool2", pooling(kernel_size=2, stride=2))
    net.add_module("flatten", nn.Flatten())
    net.add_module("fc1", nn.Linear(16 * 5 * 5, 120))
    net.add_module("act3", activation())
    net.add_module("fc2", nn.Linear(120, 84))
    net.add_module("act4", activation())
    net.add_module("fc3", nn.Linear(84, 10))
    return net


def bn_lenet(activation, pooling):
    """d2l.ai's BNLeNet, the batch-norm layers named bn1..bn4 as in lenet's spec."""
    net = nn.Sequential()
    net.add_module("conv1", nn.Conv2d(1, 6, kernel_size=5))
    net.add_module("bn1", nn.BatchNorm2d(6))
    net.add_module("act1", activation())
    net.add_module("pool1", pooling(kernel_size=2, stride=2))
    net.add_module("conv2", nn.Conv2d(6, 16, kernel_size=5))
    net.add_module("bn2", nn.BatchNorm2d(16))
    net.add_module("act2", activation())
    net.add_module("pool2", pooling(kernel_size=2, stride=2))
    net.add_module("flatten", nn.Flatten())
    net.add_module("fc1", nn.Linear(16 * 4 * 4, 120))
    net.add_module("bn3", nn.BatchNorm1d(120))
    net.add_module("act3", activation())
    net.add_module("fc2", nn.Linear(120, 84))
    net.add_module("bn4", nn.BatchNorm1d(84))
    net.add_module("act4", activation())
    net.add_module("fc3", nn.Linear(84, 10))
    return net


def make_bn(activation, pooling, file_name):
    torch.manual_seed(SEED)
    net = bn_lenet(activation, pooling).float()
    x = torch.rand(BATCH, 1, 28, 28, dtype=torch.float32)
    y = torch.randint(0, 10, (BATCH,))
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.5, 0.5)
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                module.num_batches_tracked.fill_(7)
    initial = {name: t.detach().clone() for name, t in net.state_dict().items()}

    out = {name: t.numpy().copy() for name, t in initial.items()}
    out["input"] = x.numpy().copy()
    out["labels"] = y.numpy().astype(np.float32)

    net.eval()
    with torch.no_grad():
        out["logits_eval"] = net(x).numpy().copy()

    net.train()
    logits = net(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    out["logits"] = logits.detach().numpy().copy()
    out["loss"] = np.array([loss.item()], dtype=np.float32)
    for name, p in net.named_parameters():
        out["grad." + name] = p.grad.numpy().copy()

    net.load_state_dict(initial)  # that forward moved the running statistics: start the steps afresh
    net.zero_grad()
    opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    for _ in range(STEPS):
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()
    for name, t in net.state_dict().items():
        out["step3." + name] = t.detach().numpy().copy()
    net.eval()
    with torch.no_grad():
        out["step3.logits_eval"] = net(x).numpy().copy()

    for name, a in out.items():
        expected = np.int64 if name.endswith("num_batches_tracked") else np.float32
        assert a.dtype == expected, (name, a.dtype)
    path = os.path.join(HERE, file_name)
    np.savez(path, **out)
    print(f"{file_name}: loss {loss.item():.6f}, {len(out)} arrays")


def make(activation, pooling, file_name):
    torch.manual_seed(SEED)
    net = lenet(activation, pooling).float()
    x = torch.rand(BATCH, 1, 28, 28, dtype=torch.float32)
    y = torch.randint(0, 10, (BATCH,))

    out = {name: p.detach().numpy().copy() for name, p in net.named_parameters()}
    out["input"] = x.numpy().copy()
    out["labels"] = y.numpy().astype(np.float32)

    logits = net(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    out["logits"] = logits.detach().numpy().copy()
    out["loss"] = np.array([loss.item()], dtype=np.float32)
    for name, p in net.named_parameters():
        out["grad." + name] = p.grad.numpy().copy()

    opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    for _ in range(STEPS):
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()
    for name, p in net.named_parameters():
        out["step3." + name] = p.detach().numpy().copy()

    assert all(a.dtype == np.float32 for a in out.values())
    path = os.path.join(HERE, file_name)
    np.savez(path, **out)
    print(f"{file_name}: loss {loss.item():.6f}, {len(out)} arrays")


if __name__ == "__main__":
    torch.set_num_threads(1)
    make(nn.Sigmoid, nn.AvgPool2d, "lenet_sigmoid_avg.npz")
    make(nn.ReLU, nn.MaxPool2d, "lenet_relu_max.npz")
    make_bn(nn.Sigmoid, nn.AvgPool2d, "lenet_bn_sigmoid_avg.npz")
    make_bn(nn.ReLU, nn.MaxPool2d, "lenet_bn_relu_max.npz")
