#!/usr/bin/env bash
# lenet against PyTorch on this machine, side by side in one run: the same network, batch and
# data, alternating PyTorch and lenet (A B A B ...) so both see the same machine load, then the
# medians of each and their ratio. Installs Debian's python3-torch and OpenBLAS when they are missing.
# With LENET_ENGINE="nd4j fused", each round runs PyTorch and then lenet with each engine in turn.
#
# usage: scripts/bench-vs-pytorch.sh [PAIRS (default 3)] [SECONDS per measurement (default 5)]
# env:   BATCH (256), INFER_BATCH (1000), THREADS (2: both tools get the same number),
#        LENET_ENGINE (nd4j, fused, or both words: the engines `lenet bench` times; unset: its default)
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
    for engine in ${LENET_ENGINE:-default}; do
        echo "pair $i/$pairs: lenet ($engine) ..." >&2
        engine_flag=()
        [ "$engine" = default ] || engine_flag=(--engine "$engine")
        echo "lenet:$engine $(OMP_NUM_THREADS=$threads "$root/scripts/lenet" bench "${engine_flag[@]}" --json --batch-size "$batch" --infer-batch-size "$infer" --seconds "$seconds" --threads "$threads")" >> "$results"
    done
done

load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
"$py" - "$results" "$batch" "$infer" "$threads" "$load_before" "$load_after" <<'PY'
import json, statistics, sys
rows = [line.split(" ", 1) for line in open(sys.argv[1])]
runs = {}
for tool, js in rows:
    runs.setdefault(tool, []).append(json.loads(js))
lenets = [t for t in runs if t != "torch"]
def name(tool):
    return "lenet" if tool == "lenet:default" else tool.replace("lenet:", "lenet ")
def med(tool, key):
    return statistics.median(r[key] for r in runs[tool])
print(f"batch {sys.argv[2]}, inference batch {sys.argv[3]}, {sys.argv[4]} threads each, {len(runs['torch'])} alternating rounds; medians")
for tool in lenets:
    print(f"{name(tool)}'s kernels:", ", ".join(sorted({r.get("kernels", "unknown") for r in runs[tool]})))
print(f"{'':22}{'PyTorch':>12}" + "".join(f"{name(t):>14}{name(t) + '/PyTorch':>22}" for t in lenets))
for key, label in [("train_images_per_second", "training images/s"), ("infer_images_per_second", "inference images/s")]:
    t = med("torch", key)
    print(f"{label:22}{t:12,.0f}" + "".join(f"{med(l, key):14,.0f}{med(l, key) / t:21.2f}x" for l in lenets))
print(f"{'training step ms':22}{med('torch', 'step_ms'):12.2f}" + "".join(f"{med(l, 'step_ms'):14.2f}{'':22}" for l in lenets))
print("PyTorch's BLAS:", ", ".join(sorted({r.get("blas", "unknown") for r in runs["torch"]})))
print(f"machine load (1, 5, 15 min averages): {sys.argv[5]} before, {sys.argv[6]} after")
print("every run (training/inference images/s):", " ".join(f"{name(tool)}:{r['train_images_per_second']:.0f}/{r['infer_images_per_second']:.0f}" for tool in runs for r in runs[tool]))
PY
