#!/usr/bin/env bash
# The model the lenet serve tests read digits with (run/): four epochs of the default recipe on
# MNIST, seed 1, one thread (98.62% on the test set). Its run folder minus the epoch-NN.npz files.
# Run from the checkout: src/test/resources/serve/make_fixture.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$root/scripts/lenet" train --seed 1 --threads 1 --epochs 4 --out "$out/run"
mkdir -p "$root/src/test/resources/serve/run"
cp "$out/run/last.npz" "$out/run/metrics.csv" "$out/run/metrics.jsonl" "$out/run/config.json" "$root/src/test/resources/serve/run/"
