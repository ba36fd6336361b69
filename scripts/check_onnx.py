"""Checks an ONNX file written by `lenet export` with tools that are not lenet's.

    check_onnx.py MODEL.onnx MNIST_DIR [PREDICTIONS.csv]

1. The onnx package's checker (full check, with strict shape inference) accepts the file, and the
   shapes onnx infers for every tensor are the ones the file's value_info declares.
2. OpenCV's dnn module reads the file and scores the MNIST test set (t10k-* in MNIST_DIR) in
   batches; its probabilities are the softmax of its logits.
3. With PREDICTIONS.csv (`lenet eval --predictions`), OpenCV's predicted digit equals lenet's for
   every image, and its probabilities are lenet's (which the CSV holds to 6 significant digits).

Prints one line per check and exits 1 if any fails. Debian: python3-onnx, python3-opencv, python3-numpy.
"""
import csv
import struct
import sys

import cv2
import numpy as np
import onnx


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def shape_of(value_info):
    return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]


def main(model_file, mnist_dir, predictions_csv=None):
    ok = True
    model = onnx.load(model_file)
    onnx.checker.check_model(model, full_check=True)
    declared = {v.name: shape_of(v) for v in list(model.graph.value_info) + list(model.graph.output)}
    stripped = onnx.ModelProto()
    stripped.CopyFrom(model)
    del stripped.graph.value_info[:]
    inferred = onnx.shape_inference.infer_shapes(stripped, check_type=True, strict_mode=True)
    found = {v.name: shape_of(v) for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
    differing = sorted(n for n in declared if found.get(n) != declared[n])
    print(f"onnx {onnx.__version__} checker: valid (IR {model.ir_version}, opset {model.opset_import[0].version}, "
          f"{len(model.graph.node)} nodes, {len(model.graph.initializer)} initializers); "
          f"inferred shapes equal the declared ones for {len(declared) - len(differing)} of {len(declared)} tensors"
          + (f"; DIFFERENT: {differing}" if differing else ""))
    ok &= not differing

    images = idx(f"{mnist_dir}/t10k-images-idx3-ubyte")
    labels = idx(f"{mnist_dir}/t10k-labels-idx1-ubyte")
    x = (images.astype(np.float32) / np.float32(255))[:, None, :, :]
    net = cv2.dnn.readNetFromONNX(model_file)
    logits, probabilities = [], []
    for start in range(0, len(x), 500):
        net.setInput(x[start:start + 500], "image")
        z, p = net.forward(["logits", "probabilities"])
        logits.append(z.copy())
        probabilities.append(p.copy())
    logits, probabilities = np.concatenate(logits), np.concatenate(probabilities)
    softmax = np.exp(logits - logits.max(1, keepdims=True))
    softmax /= softmax.sum(1, keepdims=True)
    predicted = logits.argmax(1)
    softmax_error = float(np.abs(probabilities - softmax).max())
    print(f"OpenCV {cv2.__version__} dnn: {len(x)} test images, accuracy {100 * (predicted == labels).mean():.2f}%, "
          f"largest |probabilities - softmax(logits)| {softmax_error:.2g}")
    ok &= softmax_error < 1e-5

    if predictions_csv:
        with open(predictions_csv) as f:
            rows = list(csv.DictReader(f))
        theirs = np.array([int(r["predicted"]) for r in rows])
        their_p = np.array([[float(r[f"p{k}"]) for k in range(10)] for r in rows], np.float64)
        same = int((theirs == predicted).sum())
        p_error = float(np.abs(their_p - probabilities).max())
        print(f"against lenet eval --predictions: the same predicted digit for {same} of {len(rows)} images; "
              f"largest |probability difference| {p_error:.2g} (the CSV holds 6 significant digits)")
        ok &= same == len(rows) == len(x) and p_error < 1e-5
    print("all checks passed" if ok else "CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
