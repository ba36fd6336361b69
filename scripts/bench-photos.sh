#!/usr/bin/env bash
# Speed and memory of `lenet predict` on many large photos: makes COUNT 12-megapixel (4000x3000)
# JPEGs of a digit on paper in a temporary folder (DISTINCT different ones, the rest hard links),
# runs one `lenet predict` over the folder, and prints photos/s and the peak resident memory.
# Usage: scripts/bench-photos.sh [MODEL.npz] [COUNT] [DISTINCT]     (defaults: newest run, 2000, 20)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:-}"
count="${2:-2000}"
distinct="${3:-20}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
(cd "$root" && mvn -B -q -DskipTests test-compile package >/dev/null)
java -Djava.awt.headless=true -cp "$root/target/classes:$root/target/test-classes:$root/target/lib/*" \
    lenet.image.BigPhotos "$dir" "$count" "$distinct"
args=(predict --quiet)
[ -n "$model" ] && args+=(--model "$model")
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$dir/rss" "$root/scripts/lenet" "${args[@]}" "$dir" > "$dir/out" 2> "$dir/err" || true
end=$(date +%s.%N)
answered=$(grep -c "digit" "$dir/out" || true)
right=$(awk '{ n = split($1, p, "-"); d = substr(p[n], 1, 1); if ($2 == "digit" && $3 == d) r++ } END { print r + 0 }' "$dir/out")
secs=$(echo "$end - $start" | bc -l)
printf '%d photos (4000x3000 JPEG) in %.1f s: %.1f photos/s; %d answered, %d right; peak RSS %d MB\n' \
    "$count" "$secs" "$(echo "$count / $secs" | bc -l)" "$answered" "$right" "$(( $(cat "$dir/rss") / 1024 ))"
[ -s "$dir/err" ] && { echo "stderr (first lines):"; head -3 "$dir/err"; }
exit 0
