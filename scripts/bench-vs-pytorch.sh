#!/usr/bin/env bash
# lenet against PyTorch on this machine, side by side in one run: the same network, batch and
# data, alternating PyTorch and lenet (A B A B ...) so both see the same machine load, then the
# medians of each and their ratio. Installs Debian's python3-torch and OpenBLAS when they are missing.
#
# usage: scripts/bench-vs-pytorch.sh [PAIRS (default 3)] [SECONDS per measurement (default 5)]
# env:   BATCH (256), INFER_BATCH (1000), THREADS (2: both tools get the same number),
#        LENET_ENGINE (nd4j, fused: which engine `lenet bench` times; unset: its default)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${1:-3}" seconds="${2:-5}"
batch="${BATCH:-256}" infer="${INFER_BATCH:-1000}" threads="${THREADS:-2}"
py=/usr/bin/python3
# Debian's python3-torch runs its dense layers on whatever BLAS provides libblas.so.3; without
# OpenBLAS that is the reference BLAS (plain loops, several times slower), and the comparison would
# flatter lenet. libopenblas0-pthread registers itself as libblas.so.3 with a higher priority.
missing=()
"$py" -c 'import torch, numpy' 2>/dev/null || missing+=(python3-torch python3-numpy)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || missing+=(libopenblas0-pthread)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing Debian's ${missing[*]} ..." >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y -q "${missing[@]}" >&2; else sudo apt-get install -y -q "${missing[@]}" >&2; fi
fi
"$root/scripts/fetch-data.sh" mnist >&2
"$root/scripts/lenet" --version >/dev/null   # build once, outside the timing

load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for i in $(seq "$pairs"); do
    echo "pair $i/$pairs: PyTorch ..." >&2
    echo "torch $(OMP_NUM_THREADS=$threads "$py" "$root/scripts/pytorch_bench.py" "$batch" "$infer" "$seconds" "$threads" "$root/data/mnist")" >> "$results"
    echo "pair $i/$pairs: lenet ..." >&2
    echo "lenet $(OMP_NUM_THREADS=$threads "$root/scripts/lenet" bench ${LENET_ENGINE:+--engine "$LENET_ENGINE"} --json --batch-size "$batch" --infer-batch-size "$infer" --seconds "$seconds" --threads "$threads")" >> "$results"
done

load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
"$py" - "$results" "$batch" "$infer" "$threads" "$load_before" "$load_after" <<'PY'
import json, statistics, sys
rows = [line.split(" ", 1) for line in open(sys.argv[1])]
runs = {"torch": [], "lenet": []}
for tool, js in rows:
    runs[tool].append(json.loads(js))
def med(tool, key):
    return statistics.median(r[key] for r in runs[tool])
print(f"batch {sys.argv[2]}, inference batch {sys.argv[3]}, {sys.argv[4]} threads each, {len(runs['lenet'])} alternating pairs; medians")
print("lenet's kernels:", ", ".join(sorted({r.get("kernels", "unknown") for r in runs["lenet"]})))
print(f"{'':22}{'PyTorch':>12}{'lenet':>12}{'lenet/PyTorch':>16}")
for key, label in [("train_images_per_second", "training images/s"), ("infer_images_per_second", "inference images/s")]:
    t, l = med("torch", key), med("lenet", key)
    print(f"{label:22}{t:12,.0f}{l:12,.0f}{l / t:15.2f}x")
print(f"{'training step ms':22}{med('torch', 'step_ms'):12.2f}{med('lenet', 'step_ms'):12.2f}")
print("PyTorch's BLAS:", ", ".join(sorted({r.get("blas", "unknown") for r in runs["torch"]})))
print(f"machine load (1, 5, 15 min averages): {sys.argv[5]} before, {sys.argv[6]} after")
print("every run:", " ".join(f"{tool}:{r['train_images_per_second']:.0f}/{r['infer_images_per_second']:.0f}" for tool in runs for r in runs[tool]))
PY
