#!/usr/bin/env python3
"""Search query latency on a built site, in headless Chromium from file:// (see docs/performance.md).

    python3 Tests/Scripts/bench_search.py --site /tmp/guide-bench/site-10000 [--rounds 5]

Opens the site's search.html (index.html when there is none) from disk with Selenium and the Debian
chromium/chromium-driver, then, in the page, uses the same entry points the page's own search
runs: GuideSearch.open(window.GuideSearchIndex) once, then GuideSearch.run(engine, text, options,
load, done) per query, where load() adds <script> tags for missing index chunks exactly as
search.js does. Timed with performance.now():
  open      loading assets/search-index.js (script tag) and GuideSearch.open()
  first     each query's first run, including loading the chunks it needs from disk
  warm      later runs of the same query (chunks loaded): the cost of the query code itself
Prints median and p95 in milliseconds and writes JSON to --json when given.
"""
import argparse
import json
import os
import statistics
import sys

QUERIES = [
    "gradient", "anchor box", "learning rate warmup", "small objects", "quantization",
    "precision recall curve", "detector backbone", "label noise", "data leakage", "latency budget",
    "gradeint",  # a typo
    "augm",  # a prefix
    "domain shift monitoring", "batch normalization dropout", "feature pyramid", "threshold score",
    "export formats", "occlusion handling", "question 4242", "sensor fusion tracking drift",
]

SCRIPT = r"""
var done = arguments[arguments.length - 1];
var queries = arguments[0], rounds = arguments[1], limit = arguments[2];
var root = arguments[3];
function loadScripts(srcs, cb) {
  var left = srcs.length, ok = true;
  if (!left) return cb(true);
  srcs.forEach(function (src) {
    var s = document.createElement("script");
    s.src = src;
    s.onload = s.onerror = function (e) { ok = ok && e.type === "load"; if (--left === 0) cb(ok); };
    document.head.appendChild(s);
  });
}
var requested = {};
function loadChunks(names, cb) {
  loadScripts(names.filter(function (n) { return !requested[n] && (requested[n] = true); })
    .map(function (n) { return root + "assets/search/" + n + ".js"; }), cb);
}
var t0 = performance.now();
loadScripts(window.GuideSearchIndex ? [] : [root + "assets/search-index.js"], function (ok) {
  if (!window.GuideSearchIndex) return done({error: "no window.GuideSearchIndex after loading the index"});
  var engine = GuideSearch.open(window.GuideSearchIndex);
  var openMs = performance.now() - t0;
  var first = [], warm = [], hits = [];
  var q = 0;
  function next() {
    if (q === queries.length) return finish();
    var text = queries[q], s = performance.now();
    GuideSearch.run(engine, text, {limit: limit}, loadChunks, function (r) {
      first.push(performance.now() - s);
      hits.push(r ? r.results.length : -1);
      var times = [];
      for (var k = 0; k < rounds; k++) {
        var w = performance.now(), res = null;
        GuideSearch.run(engine, text, {limit: limit}, loadChunks, function (r2) { res = r2; });
        if (!res) return done({error: "warm run of '" + text + "' still loading chunks"});
        times.push(performance.now() - w);
      }
      warm.push(times);
      q++;
      setTimeout(next, 0);
    });
  }
  function finish() { done({openMs: openMs, first: first, warm: warm, hits: hits}); }
  next();
});
"""


def pct(values, p):
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", required=True)
    ap.add_argument("--rounds", type=int, default=5, help="warm runs per query")
    ap.add_argument("--limit", type=int, default=50, help="results per query (search.html shows 50)")
    ap.add_argument("--json")
    a = ap.parse_args()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--proxy-server=127.0.0.1:9", "--disable-gpu",
                "--disable-dev-shm-usage", "--allow-file-access-from-files"):
        opts.add_argument(arg)
    opts.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    try:
        driver.set_script_timeout(300)
        site = os.path.abspath(a.site)
        page = "search.html" if os.path.exists(os.path.join(site, "search.html")) else "index.html"
        driver.get("file://" + os.path.join(site, page) + "?q=gradient")
        driver.execute_script("return document.readyState")
        root = ""  # both pages sit at the site root
        r = driver.execute_async_script(SCRIPT, QUERIES, a.rounds, a.limit, root)
        browser = driver.capabilities.get("browserVersion", "")
    finally:
        driver.quit()
    if "error" in r:
        sys.exit("bench_search: " + r["error"])
    warm_all = [t for ts in r["warm"] for t in ts]
    warm_med = [statistics.median(ts) for ts in r["warm"]]
    out = {
        "browser": "Chromium " + browser, "page": page, "queries": QUERIES, "hits": r["hits"],
        "open_ms": r["openMs"],
        "first_median_ms": statistics.median(r["first"]), "first_p95_ms": pct(r["first"], 95),
        "first_max_ms": max(r["first"]),
        "warm_median_ms": statistics.median(warm_all), "warm_p95_ms": pct(warm_all, 95),
        "warm_max_ms": max(warm_all),
        "per_query": [{"q": q, "first_ms": f, "warm_median_ms": w, "hits": h}
                      for q, f, w, h in zip(QUERIES, r["first"], warm_med, r["hits"])],
    }
    print(f"search ({out['browser']}, {len(QUERIES)} queries, limit {a.limit}): "
          f"index load+open {out['open_ms']:.0f} ms; first run (with chunk loads) median "
          f"{out['first_median_ms']:.1f} ms, p95 {out['first_p95_ms']:.1f} ms; warm median "
          f"{out['warm_median_ms']:.2f} ms, p95 {out['warm_p95_ms']:.2f} ms, max {out['warm_max_ms']:.2f} ms")
    for e in out["per_query"]:
        print(f"  {e['q']!r:34} first {e['first_ms']:7.1f} ms  warm {e['warm_median_ms']:6.2f} ms  {e['hits']} hits")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
