#!/usr/bin/env python3
"""Would a feature-space distance tell letters from digits? A probe for issue 13, not part of lenet.

Fits one Gaussian per class (shared covariance) to the 84 features LeNet's fc2 gives MNIST's 60,000
training images, and measures each 28x28 image's Mahalanobis distance to the nearest class mean
(Lee et al., 2018). Prints, for each folder of 28x28 PNGs (as `lenet predict --save-preprocessed`
writes them), how many lie beyond the distance that 99% / 99.9% of MNIST's test images stay under,
in all and among the answers lenet would give at >= 90% confidence.

  scripts/lenet predict --model runs/X/last.npz src/test/resources/realworld/lookalikes --save-preprocessed /tmp/pp/lookalikes
  /usr/bin/python3 scripts/feature_distance_probe.py runs/X/last.npz data/mnist /tmp/pp/*/

Needs Debian's python3-torch and python3-numpy (scripts/check-against-pytorch.sh installs them).
"""
import glob
import os
import struct
import sys
import zlib

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pytorch_lenet as P  # noqa: E402


def png(path):
    """An 8-bit greyscale PNG as a uint8 array (the PNGs lenet writes; no other kinds)."""
    d = open(path, "rb").read()
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(d):
        n = struct.unpack(">I", d[pos:pos + 4])[0]
        kind, body = d[pos + 4:pos + 8], d[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour == 0, path + ": not 8-bit grey"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    out, prev = np.zeros((h, w), np.uint8), np.zeros(w, np.int32)
    for y in range(h):
        f = raw[y * (w + 1)]
        row = np.frombuffer(raw, np.uint8, w, y * (w + 1) + 1).astype(np.int32)
        cur = np.zeros(w, np.int32)
        for x in range(w):
            a, b, c = (cur[x - 1] if x else 0), prev[x], (prev[x - 1] if x else 0)
            if f == 0:
                v = row[x]
            elif f == 1:
                v = row[x] + a
            elif f == 2:
                v = row[x] + b
            elif f == 3:
                v = row[x] + (a + b) // 2
            else:
                p = a + b - c
                v = row[x] + (a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c)
            cur[x] = v & 255
        out[y], prev = cur, cur
    return out


def main(model, data, *folders):
    net = P.load(model)

    def features(x):
        x = F.avg_pool2d(torch.sigmoid(net.conv1(x)), 2, 2)
        x = F.avg_pool2d(torch.sigmoid(net.conv2(x)), 2, 2)
        x = torch.sigmoid(net.fc1(torch.flatten(x, 1)))
        f = torch.sigmoid(net.fc2(x))
        return f.double().numpy(), F.softmax(net.fc3(f), 1).max(1).values.numpy()

    with torch.no_grad():
        f, _ = features(P.images(os.path.join(data, "train-images-idx3-ubyte")))
        y = P.idx(os.path.join(data, "train-labels-idx1-ubyte")).astype(np.int64)
        means = np.stack([f[y == c].mean(0) for c in range(10)])
        centred = f - means[y]
        precision = np.linalg.pinv(centred.T @ centred / len(f) + 1e-6 * np.eye(f.shape[1]))

        def distance(g):
            return np.stack([np.einsum("ij,jk,ik->i", g - m, precision, g - m) for m in means], 1).min(1)

        test, _ = features(P.images(os.path.join(data, "t10k-images-idx3-ubyte")))
        limits = {q: np.quantile(distance(test), q) for q in (0.99, 0.999)}
        print("MNIST test: 99%% under %.1f, 99.9%% under %.1f" % (limits[0.99], limits[0.999]))
        for folder in folders:
            files = sorted(glob.glob(os.path.join(folder, "*.png")))
            if not files:
                continue
            g, p = features(torch.tensor(np.stack([png(x) for x in files])).float().div(255).unsqueeze(1))
            d, sure = distance(g), p >= 0.9
            print("%s: %d images; beyond 99%%: %d (%d of the %d sure); beyond 99.9%%: %d (%d sure)" % (
                folder, len(files), (d > limits[0.99]).sum(), (sure & (d > limits[0.99])).sum(), sure.sum(),
                (d > limits[0.999]).sum(), (sure & (d > limits[0.999])).sum()))


if __name__ == "__main__":
    main(*sys.argv[1:])
