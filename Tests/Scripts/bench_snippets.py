#!/usr/bin/env python3
"""`make bench-snippets`: what the snippets cost a build of the real guide. A benchmark, not a test:
nothing here asserts a timing. Method and results: docs/performance.md (section "Snippets").

Each run works on a private copy of Guide/ and Templates/ and measures, with the release binary:
  cold           `guide build` into an absent output folder with an empty cache (every snippet
                 compiled and run, the shared module compiled once)
  snippet stage  the "snippets" stage of that cold build (`--verbose`)
  one snippet    the same build again after a comment was appended to one snippet (SNIPPET)
  one shared     the same build again after a comment was appended to one shared file (SHARED):
                 the module is compiled again, and the snippets that use the file run again
  no change      the same build again with nothing changed

Environment: BENCH_RUNS (default 3), GUIDE_BIN (default .build/release/guide), BENCH_WORK
(default /tmp/guide-bench-snippets), BENCH_SNIPPET (default iou), BENCH_SHARED (default IoU.swift),
BENCH_JOBS (guide --jobs; default: the number of cores).
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GUIDE = os.path.abspath(os.environ.get("GUIDE_BIN", os.path.join(ROOT, ".build/release/guide")))
WORK = os.environ.get("BENCH_WORK", "/tmp/guide-bench-snippets")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SNIPPET = os.environ.get("BENCH_SNIPPET", "iou")
SHARED = os.environ.get("BENCH_SHARED", "IoU.swift")
JOBS = os.environ.get("BENCH_JOBS")


def build(workdir, out, cache):
    cmd = [GUIDE, "build", "--guide", "Guide", "--templates", "Templates", "--output", out, "--cache", cache, "--verbose"]
    if JOBS:
        cmd += ["--jobs", JOBS]
    start = time.monotonic()
    done = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        # Still a measurement (an overloaded machine can push a snippet past its time limit), but say so.
        first = next((l for l in done.stderr.splitlines() if ": error: " in l), done.stderr.strip()[:200])
        print(f"  (this build failed, exit {done.returncode}: {first})", flush=True)
    stage = re.search(r"stage snippets: ([0-9.]+) s", done.stdout)
    counts = re.search(r"snippets: (\d+) ran, (\d+) from cache", done.stdout)
    return seconds, float(stage.group(1)) if stage else float("nan"), counts.group(0) if counts else "?"


def append(path, text):
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


def main():
    if not os.access(GUIDE, os.X_OK):
        sys.exit(f"bench-snippets: {GUIDE} is missing; run 'make build' (make bench-snippets does) first")
    results = {k: [] for k in ("cold", "snippet stage", "one snippet", "one shared", "no change")}
    notes = {}
    for run in range(RUNS):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)
        shutil.copytree(os.path.join(ROOT, "Guide"), os.path.join(WORK, "Guide"))
        shutil.copytree(os.path.join(ROOT, "Templates"), os.path.join(WORK, "Templates"))
        out, cache = os.path.join(WORK, "Site"), os.path.join(WORK, "cache")
        total, stage, counts = build(WORK, out, cache)
        results["cold"].append(total)
        results["snippet stage"].append(stage)
        notes["cold"] = counts
        append(os.path.join(WORK, "Guide", "snippets", f"{SNIPPET}.swift"), f"\n// bench edit {run}\n")
        total, _, counts = build(WORK, out, cache)
        results["one snippet"].append(total)
        notes["one snippet"] = counts
        append(os.path.join(WORK, "Guide", "snippets", "Shared", SHARED), f"\n// bench edit {run}\n")
        total, _, counts = build(WORK, out, cache)
        results["one shared"].append(total)
        notes["one shared"] = counts
        total, _, counts = build(WORK, out, cache)
        results["no change"].append(total)
        notes["no change"] = counts
        print(f"run {run + 1}/{RUNS}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in results.items()), flush=True)
    shutil.rmtree(WORK, ignore_errors=True)
    snippets = len([f for f in os.listdir(os.path.join(ROOT, "Guide", "snippets")) if f.endswith(".swift")])
    shared = len([f for f in os.listdir(os.path.join(ROOT, "Guide", "snippets", "Shared")) if f.endswith(".swift")])
    load = os.getloadavg()
    print(f"\nreal guide: {snippets} snippets, {shared} shared files; {os.cpu_count()} cores; "
          f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {RUNS} runs")
    print(f"{'measure':<16}{'median':>10}{'min':>10}{'max':>10}  what ran")
    for k, v in results.items():
        what = notes.get(k, "")
        print(f"{k:<16}{statistics.median(v):>9.2f}s{min(v):>9.2f}s{max(v):>9.2f}s  {what}")


if __name__ == "__main__":
    main()
