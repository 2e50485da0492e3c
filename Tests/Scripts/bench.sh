#!/usr/bin/env bash
# `make bench`: the generator against Hugo and the bare cmark floor on synthetic guides of 1,000 and
# 10,000 question pages, the real guide's no-change rebuild, and search latency at 10,000 pages in
# headless Chromium. Method and results: docs/performance.md. Nothing here asserts a timing.
#
# Environment: BENCH_SIZES (default "1000:5,10000:3", pages:runs), BENCH_WORK (default
# /tmp/guide-bench), GUIDE_BIN (default .build/release/guide), BENCH_JOBS (guide --jobs; default
# its own default, the number of cores), BENCH_SEARCH=0 to skip the browser measurement.
set -euo pipefail
cd "$(dirname "$0")/../.."

GUIDE_BIN=${GUIDE_BIN:-.build/release/guide}
WORK=${BENCH_WORK:-/tmp/guide-bench}
SIZES=${BENCH_SIZES:-1000:5,10000:3}

if [ ! -x "$GUIDE_BIN" ]; then
  echo "bench: $GUIDE_BIN is missing; run 'make build' (make bench does) first" >&2
  exit 1
fi

# Tools: hugo (the comparison), cmark (the floor), GNU time (peak memory); chromium and its driver
# plus python3-selenium for the search latency. Install only what is missing.
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
need=()
command -v hugo >/dev/null || need+=(hugo)
command -v cmark >/dev/null || need+=(cmark)
[ -x /usr/bin/time ] || need+=(time)
if [ "${BENCH_SEARCH:-1}" != 0 ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v chromedriver >/dev/null || need+=(chromium-driver)
  python3 -c "import selenium" 2>/dev/null || need+=(python3-selenium)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}"
fi

mkdir -p "$WORK"
echo "bench: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(uptime)" >&2
args=(--guide-bin "$GUIDE_BIN" --work "$WORK" --sizes "$SIZES")
if [ -n "${BENCH_JOBS:-}" ]; then args+=(--jobs "$BENCH_JOBS"); fi
python3 Tests/Scripts/bench_run.py "${args[@]}"

if [ "${BENCH_SEARCH:-1}" != 0 ]; then
  largest=$(echo "$SIZES" | tr ',' '\n' | cut -d: -f1 | sort -n | tail -1)
  echo
  python3 Tests/Scripts/bench_search.py --site "$WORK/site-$largest" --json "$WORK/search.json"
fi
echo "bench: load after: $(uptime)" >&2
