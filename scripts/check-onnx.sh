#!/usr/bin/env bash
# Checks `lenet export` with tools that are not lenet's (installs Debian's python3-onnx and
# python3-opencv if missing): exports MODEL (default: the newest runs/*/last.npz), scores the MNIST
# test set with `lenet eval --predictions`, then scripts/check_onnx.py runs the onnx checker and
# onnx's shape inference on the file and OpenCV's dnn module on the 10,000 test images, which must
# give lenet's predicted digit for every one.
# Usage: scripts/check-onnx.sh [MODEL.npz]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3
if ! "$py" -c 'import onnx, cv2, numpy' 2>/dev/null; then
    echo "installing Debian's python3-onnx and python3-opencv ..." >&2
    if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get install -y -q --no-install-recommends python3-onnx python3-opencv python3-numpy >&2
fi
"$root/scripts/fetch-data.sh" mnist >&2
model="${1:-$(ls -t "$root"/runs/*/last.npz 2>/dev/null | head -1 || true)}"
[ -n "$model" ] || { echo "no model given and none under runs/; run scripts/lenet train first or pass MODEL.npz" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/scripts/lenet" export --model "$model" --out "$work/model.onnx"
"$root/scripts/lenet" eval --model "$model" --quiet --predictions "$work/predictions.csv" > /dev/null 2>&1
"$py" "$root/scripts/check_onnx.py" "$work/model.onnx" "$root/data/mnist" "$work/predictions.csv"
