#!/usr/bin/env bash
# The benchmark in one command: installs the peers (when missing), builds
# sgmm and the benchmark in Release (build/bench), runs it, and writes
# bench/results/latest.{md,json,svg} (--quick: bench/results/quick.*).
#
#   bench/run.sh                 the full benchmark (every mode; a few minutes)
#   bench/run.sh --quick         a few shapes, short measurements (< 1 minute)
#   bench/run.sh --modes=forward,backward --shapes=square,large
#
# Every argument is passed on to sgmm_bench (see bench/README.md).
set -euo pipefail

bench_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench_dir")"
build_dir="$root/build/bench"
jobs="$(nproc 2> /dev/null || echo 2)"

name=latest
for arg in "$@"; do
  if [ "$arg" = "--quick" ]; then name=quick; fi
done

"$bench_dir/install-peers.sh"

cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release \
  -DSGMM_BUILD_BENCH=ON -DSGMM_BUILD_TESTS=OFF -DSGMM_BUILD_EXAMPLES=OFF -DSGMM_BUILD_TOOLS=OFF > /dev/null
cmake --build "$build_dir" --target sgmm_bench -j "$jobs"

mkdir -p "$bench_dir/results"
# A chart left from an earlier run must not pass for this run's.
rm -f "$bench_dir/results/$name.svg"
"$build_dir/bench/sgmm_bench" "$@" \
  --markdown="$bench_dir/results/$name.md" \
  --json="$bench_dir/results/$name.json" \
  --svg="$bench_dir/results/$name.svg"
echo
echo "written: bench/results/$name.md, $name.json$( [ -f "$bench_dir/results/$name.svg" ] && echo ", $name.svg")"
