#!/usr/bin/env bash
# Checks lenet against PyTorch on the same weights (installs Debian's python3-torch if missing):
#   1. 40 SGD steps (batch 256, momentum 0.9, file order, from the same --init weights) in both;
#      the largest absolute weight difference must be below 1e-4.
#   2. the same 40 steps for d2l's batch-normalised LeNet (--norm batch): parameters and running
#      statistics below 1e-4 too.
#   3. PyTorch's LeNet holding the arrays of a lenet checkpoint scores the test accuracy that
#      `lenet eval` reports (MODEL: default the newest runs/*/last.npz).
# Usage: scripts/check-against-pytorch.sh [MODEL.npz]
set -euo pipefail
# (40 steps leave a sigmoid LeNet near chance, so lenet train may end with its "failed:" verdict and
# exit status 1; the weights it saved are what is compared.)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3
if ! "$py" -c 'import torch, numpy' 2>/dev/null; then
    echo "installing Debian's python3-torch ..." >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y -q python3-torch python3-numpy >&2; else sudo apt-get install -y -q python3-torch python3-numpy >&2; fi
fi
"$root/scripts/fetch-data.sh" mnist >&2
data="$root/data/mnist"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lenet="$root/scripts/lenet"

"$py" "$root/scripts/pytorch_lenet.py" make-init "$work/init.npz" 0
"$py" "$root/scripts/pytorch_lenet.py" train "$work/init.npz" "$work/torch.npz" "$data" 10240 256 0.1 0.9 0
"$lenet" train --init "$work/init.npz" --no-shuffle --limit 10240 --batch-size 256 --epochs 1 \
    --lr 0.1 --schedule constant --momentum 0.9 --weight-decay 0 --shift 0 --threads 1 --out "$work/run" 2>/dev/null || [ $? -eq 1 ]
diff=$("$py" "$root/scripts/pytorch_lenet.py" compare "$work/run/last.npz" "$work/torch.npz")
echo "40 steps from the same weights, constant lr 0.1, momentum 0.9: largest |lenet - PyTorch| = $diff"
ok=$("$py" -c "print(float('$diff') < 1e-4)")
# The same 40 steps with the default recipe's optimizer: one-cycle to 0.5, momentum 0.9, weight decay 1e-4
# (its shifts start at epoch 2, so none in this one epoch; --init replaces its initialisation; --lr 0.5
# because the recipe scales its rate by the square root of a batch other than its 128).
"$py" "$root/scripts/pytorch_lenet.py" train "$work/init.npz" "$work/torch-default.npz" "$data" 10240 256 0.5 0.9 1e-4 one-cycle
"$lenet" train --init "$work/init.npz" --no-shuffle --limit 10240 --batch-size 256 --lr 0.5 --epochs 1 --threads 1 --out "$work/run-default" 2>/dev/null || [ $? -eq 1 ]
diff2=$("$py" "$root/scripts/pytorch_lenet.py" compare "$work/run-default/last.npz" "$work/torch-default.npz")
echo "40 steps from the same weights, the default recipe's optimizer and schedule: largest |lenet - PyTorch| = $diff2"
[ "$("$py" -c "print(float('$diff2') < 1e-4)")" = True ] || ok=False

# d2l's LeNet with batch norm (train mode in the steps: batch statistics, running statistics updated).
"$py" "$root/scripts/pytorch_lenet.py" make-init "$work/init-bn.npz" 0 bn
"$py" "$root/scripts/pytorch_lenet.py" train "$work/init-bn.npz" "$work/torch-bn.npz" "$data" 10240 256 0.1 0.9 0 constant bn
"$lenet" train --norm batch --init "$work/init-bn.npz" --no-shuffle --limit 10240 --batch-size 256 --epochs 1 \
    --lr 0.1 --schedule constant --momentum 0.9 --weight-decay 0 --shift 0 --threads 1 --out "$work/run-bn" 2>/dev/null || [ $? -eq 1 ]
diff3=$("$py" "$root/scripts/pytorch_lenet.py" compare "$work/run-bn/last.npz" "$work/torch-bn.npz")
echo "40 steps of the batch-normalised LeNet from the same weights, constant lr 0.1, momentum 0.9: largest |lenet - PyTorch| = $diff3"
[ "$("$py" -c "print(float('$diff3') < 1e-4)")" = True ] || ok=False
# ... and its checkpoint in PyTorch's BatchNorm2d/BatchNorm1d LeNet (eval mode: running statistics).
ours=$("$lenet" eval --model "$work/run-bn/last.npz" --json 2>/dev/null | "$py" -c 'import json, sys; print("%.4f" % json.load(sys.stdin)["accuracy"])')
theirs=$("$py" "$root/scripts/pytorch_lenet.py" score "$work/run-bn/last.npz" "$data" bn)
echo "the batch-normalised checkpoint after 40 steps: test accuracy lenet eval $ours, PyTorch $theirs"
[ "$ours" = "$theirs" ] || ok=False

model="${1:-$(ls -t "$root"/runs/*/last.npz 2>/dev/null | head -1 || true)}"
if [ -n "$model" ]; then
    ours=$("$lenet" eval --model "$model" --json | "$py" -c 'import json, sys; print("%.4f" % json.load(sys.stdin)["accuracy"])')
    theirs=$("$py" "$root/scripts/pytorch_lenet.py" score "$model" "$data")
    echo "$model: test accuracy lenet eval $ours, PyTorch $theirs"
    [ "$ours" = "$theirs" ] || ok=False
fi
[ "$ok" = True ] && echo "agrees with PyTorch" || { echo "DIFFERS from PyTorch"; exit 1; }
