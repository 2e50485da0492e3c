// Unit tests of Templates/assets/search-engine.js (the query side of the offline search) against index
// files that the Swift builder made from Tests/JavaScript/fixtures/search-fixture.json.
// SearchIndexBuilderTests checks that the builder still writes exactly these files.
// Run: node --test Tests/JavaScript/ (ASSETS_DIR=Site/assets: the same tests on the minified copies)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { asset } from "./assets.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const require = createRequire(import.meta.url);
const S = require(asset("search-engine.js"));
const cases = JSON.parse(readFileSync(here("fixtures/search-text-cases.json"), "utf8"));

function loadIndex(dir) {
  const window = {};
  vm.runInNewContext(readFileSync(`${dir}/assets/search-index.js`, "utf8"), { window });
  return window.GuideSearchIndex;
}

// An engine over a fixture index; chunk files are "loaded" synchronously, as <script> would.
function engineFor(name) {
  const dir = here(`fixtures/${name}`);
  const data = loadIndex(dir);
  const shards = {};
  const loaded = [];
  const engine = S.open(data, shards);
  const load = (names, done) => {
    for (const n of names) {
      loaded.push(n);
      vm.runInNewContext(readFileSync(`${dir}/assets/search/${n}.js`, "utf8"), { window: { GuideSearchShards: shards } });
    }
    done(true);
  };
  const search = (q, options = {}) => {
    let result;
    S.run(engine, q, options, load, (r) => { result = r; });
    return result;
  };
  return { data, engine, search, loaded };
}

const single = engineFor("search-index");
const sharded = engineFor("search-index-sharded");
const urls = (q, options) => single.search(q, options).results.map((r) => r.url);
const pages = (q, options) => urls(q, options).map((u) => u.split("#")[0]);
const top3 = (q, page) => assert.ok(pages(q).slice(0, 3).includes(page), `${q}: ${page} not in ${pages(q).slice(0, 3)}`);

// ---- Tokenizer parity (the same table is checked by SearchTextTests.swift) ----

test("analyze: shared cases give the same tokens as Swift", () => {
  assert.ok(cases.analyze.length >= 30);
  for (const [text, expected] of cases.analyze) {
    const got = S.analyze(text).map((t) => (t.stop ? "-" : "") + t.term).join(" ");
    assert.equal(got, expected, text);
  }
});

test("stem and fold: shared cases give the same results as Swift", () => {
  for (const [word, expected] of cases.stem) assert.equal(S.stem(word), expected, word);
  for (const [text, expected] of cases.fold) assert.equal(S.fold(text), expected, text);
});

test("the index vocabulary is exactly what the JavaScript analyser makes of the fixture", () => {
  const fixture = JSON.parse(readFileSync(here("fixtures/search-fixture.json"), "utf8"));
  const words = new Set();
  for (const s of fixture.sections) {
    for (const text of [s.pageTitle, s.heading || "", s.text]) S.analyze(text).forEach((t) => t.stop || words.add(t.term));
  }
  const used = new Set(fixture.sections.flatMap((s) => s.tagIDs));
  for (const [id, name] of fixture.tags) if (used.has(id)) S.analyze(name).forEach((t) => t.stop || words.add(t.term));
  const vocab = single.engine.vocabulary.filter((t) => !t.includes("_"));
  assert.deepEqual(vocab, [...words].sort());
});

// ---- The quality bar ----

test("typo: 'segmentaton' finds the segmentation question", () => top3("segmentaton", "questions/mid/detection-vs-segmentation.html"));
test("abbreviation: 'nms' finds non-maximum suppression", () => top3("nms", "questions/mid/nms.html"));
test("'map coco' finds the COCO section of the mAP question", () => {
  assert.equal(urls("map coco")[0], "questions/mid/map.html#coco-map-5-95");
});
test("British spelling: 'quantisation' finds the quantization question", () => top3("quantisation", "questions/senior/quantization.html"));
test("stemming: 'overfit' finds the overfitting question", () => top3("overfit", "questions/junior/overfitting.html"));

// ---- Typos ----

test("typos: one edit from 5 letters, two from 9, in the stem or the ending", () => {
  top3("quantizaton", "questions/senior/quantization.html");
  top3("segmantation", "questions/mid/detection-vs-segmentation.html");
  top3("segmantaton", "questions/mid/detection-vs-segmentation.html"); // two edits, 11 letters
  top3("poolnig", "questions/junior/pooling.html"); // transposition
  top3("augmentaiton", "questions/junior/augmentation.html");
});

test("typos: short words are not corrected and two edits need 9 letters", () => {
  assert.equal(single.search("poal ").total, 0); // 4 letters: exact only
  assert.equal(single.search("drfti ").total, 0); // 5 letters, two edits from "drift"
});

test("typos only apply when the word is not in the vocabulary", () => {
  const unit = single.engine.parse("pool ", [])[0];
  assert.deepEqual([...unit.alts.keys()].map((i) => single.engine.vocabulary[i]), ["pool"]);
});

// ---- Prefixes (as you type) ----

test("prefix: the last word matches as a prefix while typing", () => {
  top3("segm", "questions/mid/detection-vs-segmentation.html");
  top3("quantis", "questions/senior/quantization.html");
  top3("non-maximum supp", "questions/mid/nms.html");
  assert.ok(single.search("trainin").total > 0, "stem plus part of an ending");
});

test("prefix: not after a space, and earlier words are whole words", () => {
  assert.equal(single.search("segm ").total, 0);
  assert.equal(single.search("segm pooling").results.length, single.search("pooling").results.length);
});

test("prefix: a stop word being typed still completes ('in' → inference, input, …)", () => {
  assert.ok(pages("in").includes("questions/senior/inference-optimization.html"));
  assert.equal(single.search("in ").total, 0);
});

// ---- Synonyms and abbreviations ----

test("synonyms: a phrase finds its abbreviation and back", () => {
  top3("non maximum suppression", "snippets/nms.html"); // that page only says "NMS"
  top3("jaccard", "questions/junior/iou.html");
  top3("mean average precision", "questions/mid/map.html");
  top3("int8", "questions/senior/quantization.html");
});

test("synonyms: the expanded term weighs less than the typed one", () => {
  const vocab = single.engine.vocabulary;
  const [unit] = single.engine.parse("nms ", []);
  const weights = Object.fromEntries([...unit.alts].map(([i, w]) => [vocab[i], w]));
  assert.equal(weights.nms, 1);
  assert.ok(weights.non_maximum_suppress > 0 && weights.non_maximum_suppress < 1);
  const [phrase] = single.engine.parse("non-maximum suppression ", []);
  assert.deepEqual(phrase.words, ["non", "maximum", "suppress"]);
});

test("synonyms: the literal abbreviation outranks the page that only has the phrase in its body", () => {
  const r = pages("nms");
  assert.ok(r.indexOf("snippets/nms.html") < r.indexOf("questions/mid/small-objects.html"));
});

// ---- Filters ----

test("filters: level and tag", () => {
  const all = single.search("detect");
  const mid = single.search("detect", { levels: ["mid"] });
  assert.ok(mid.total > 0 && mid.total < all.total);
  for (const r of mid.results) assert.equal(r.level, "Mid-level");
  const both = single.search("detect", { levels: ["junior", "senior"] });
  for (const r of both.results) assert.ok(["Junior", "Senior"].includes(r.level));
  const tagged = single.search("detect", { tag: "mlops" });
  assert.deepEqual(tagged.results.map((r) => r.url), ["questions/senior/drift.html"]);
  assert.equal(single.search("detect", { tag: "mlops", levels: ["junior"] }).total, 0);
});

test("filters: pages without a level are left out when a level is chosen", () => {
  assert.ok(pages("interview").includes("tips.html"));
  assert.ok(!pages("interview", { levels: ["junior", "mid", "senior"] }).includes("tips.html"));
});

// ---- Ranking and results ----

test("ranking: a question whose title matches beats sections that mention the term", () => {
  assert.equal(pages("pooling")[0], "questions/junior/pooling.html");
  assert.equal(pages("cnn")[0], "questions/junior/cnn.html");
  assert.equal(pages("how does pooling work")[0], "questions/junior/pooling.html");
  assert.equal(pages("drift")[0], "questions/senior/drift.html");
});

test("ranking: pages matching every word come before partial matches", () => {
  const r = pages("small objects coco");
  assert.equal(r[0], "questions/mid/small-objects.html");
});

test("results: title, level, breadcrumb, kind, and a #fragment for a section hit", () => {
  const [hit] = single.search("max pooling vs average").results;
  assert.equal(hit.url, "questions/junior/pooling.html#max-pooling-vs-average-pooling");
  assert.equal(hit.title, "What does pooling do in a CNN?");
  assert.equal(hit.heading, "Max pooling vs average pooling");
  assert.equal(hit.level, "Junior");
  assert.equal(hit.kind, "question");
  assert.equal(hit.breadcrumb, "Junior › What does pooling do in a CNN?");
  // When the title has every word, the result opens the page itself.
  assert.equal(single.search("fine-tune pretrained").results[0].url, "questions/mid/fine-tuning.html");
});

test("results: best first, deterministic, limited", () => {
  const r = single.search("the model", { limit: 3 });
  assert.equal(r.results.length, 3);
  assert.ok(r.total > 3);
  for (let i = 1; i < r.results.length; i++) assert.ok(r.results[i - 1].score >= r.results[i].score);
  assert.deepEqual(single.search("the model", { limit: 3 }), r);
});

test("folding: accents and case do not matter", () => {
  top3("CAFE", "authoring.html");
  top3("strasse", "authoring.html");
  top3("naïve", "authoring.html");
});

test("nothing to search: empty, stop words only, unknown words", () => {
  assert.equal(single.search("").total, 0);
  assert.equal(single.search("the of and ").total, 0);
  assert.equal(single.search("zzzzqqq").total, 0);
});

// ---- Excerpts ----

test("highlight: marks matched words, keeps markup as plain text", () => {
  const r = single.search("script alert");
  const hit = r.results[0];
  assert.equal(hit.url, "authoring.html");
  const parts = S.highlight(hit.text, r.terms);
  assert.equal(parts.map((p) => p[0]).join(""), hit.text);
  assert.deepEqual(parts.filter((p) => p[1]).map((p) => p[0]), ["script", "alert", "script"]);
  assert.ok(parts.some((p) => !p[1] && p[0].includes("<")));
});

test("highlight: a window around the densest matches, cut at spaces", () => {
  const text = "Lorem ipsum ".repeat(30) + "the quantization of weights to int8 integers " + "dolor sit ".repeat(30);
  const parts = S.highlight(text, new Set(["quantiz", "int8"]), 120);
  const joined = parts.map((p) => p[0]).join("");
  assert.ok(joined.startsWith("… ") && joined.endsWith(" …"));
  assert.ok(joined.length <= 126);
  assert.deepEqual(parts.filter((p) => p[1]).map((p) => p[0]), ["quantization", "int8"]);
});

// ---- Sharded index ----

test("sharded index: the same results as the single file, loading only the chunks needed", () => {
  assert.ok(readdirSync(here("fixtures/search-index-sharded/assets/search")).length >= 4);
  for (const q of ["segmentaton", "nms", "map coco", "quantisation", "overfit", "segm", "detect"]) {
    assert.deepEqual(sharded.search(q), single.search(q), q);
  }
  for (const q of ["detect"]) assert.deepEqual(sharded.search(q, { tag: "mlops" }), single.search(q, { tag: "mlops" }));
  const fresh = engineFor("search-index-sharded");
  assert.deepEqual(fresh.search("drift").results.map((r) => r.url), ["questions/senior/drift.html"]);
  assert.ok(fresh.loaded.length === 2 && fresh.loaded[0].startsWith("p") && fresh.loaded[1].startsWith("d"), fresh.loaded.join());
});

test("index v2: the manifest holds the ranking lengths, the shards only term counts", () => {
  const data = sharded.data;
  assert.equal(data.v, 2);
  const sections = data.p.reduce((n, p) => n + p[2], 0);
  assert.equal(S.decode(data.sl).length, 2 * sections, "per section: heading length and flag, body length");
  assert.equal(S.decode(data.pl).length, 3 * data.p.length, "per page: title, tags and summary lengths");
  for (const p of data.p) assert.ok([1, 0.95, 0.9, 0.85, 0.2].includes(p[3]), `prior ${p[3]}`);
  assert.equal(data.pc.length, data.pn.length);
  assert.equal(data.dc.length, data.dn.length);
  // Every shard named in the manifest is a file assets/search/NAME.js that registers itself under NAME.
  const files = readdirSync(here("fixtures/search-index-sharded/assets/search"));
  assert.deepEqual([...new Set([...data.pn, ...data.dn])].map((n) => `${n}.js`).sort(), files.sort());
  for (const f of files) {
    const shards = {};
    vm.runInNewContext(readFileSync(here(`fixtures/search-index-sharded/assets/search/${f}`), "utf8"), { window: {} });
    vm.runInNewContext(readFileSync(here(`fixtures/search-index-sharded/assets/search/${f}`), "utf8"), { window: { GuideSearchShards: shards } });
    assert.deepEqual(Object.keys(shards), [f.replace(/\.js$/, "")]);
  }
});

test("index v2: opening loads no shard; scores computed in the browser equal the single file's", () => {
  const fresh = engineFor("search-index-sharded");
  assert.equal(fresh.loaded.length, 0);
  for (const q of ["pooling", "nms", "yolo", "detect", "small objects coco", "authoring"]) {
    const a = fresh.search(q), b = single.search(q);
    assert.deepEqual(a.results.map((r) => [r.url, r.score]), b.results.map((r) => [r.url, r.score]), q);
  }
});

test("decode: numbers from the index's printable-ASCII digits", () => {
  assert.deepEqual(S.decode(""), []);
  assert.deepEqual(S.decode("#$c"), [0, 1, 63]); // one character each: '#' is 0, 'c' is 63
  assert.deepEqual(S.decode("[]"), [56, 57]); // '\\' (between them) is never used: no escaping needed
  assert.deepEqual(S.decode("d#"), [64]); // a continuation digit (64-90), then a final one
  assert.deepEqual(S.decode("~b"), [(90 - 63) * 64 + 62]);
});

test("sharded index: each chunk file is loaded once", () => {
  const fresh = engineFor("search-index-sharded");
  fresh.search("nms");
  const first = fresh.loaded.length;
  fresh.search("nms");
  assert.equal(fresh.loaded.length, first);
});

// ---- Distance ----

test("distance: Damerau-Levenshtein with a cut-off and prefix mode", () => {
  assert.equal(S.distance("pooling", "poolnig", 2), 1);
  assert.equal(S.distance("segmentation", "segmentaton", 2), 1);
  assert.equal(S.distance("abc", "xyz", 1), 2); // > max returns max + 1
  assert.equal(S.distance("quantis", "quantization", 1, true), 1);
});

// ---- Synonyms that are not in the text (issue 16) ----

test("a synonym that appears nowhere in the guide still finds the pages of its group", () => {
  // "batchnorm" and "ood" are declared as synonyms; site-search.test.mjs checks the same on the real guide,
  // where no page spells them that way.
  top3("batchnorm", "questions/junior/batch-norm.html");
  top3("batchnorm ", "questions/junior/batch-norm.html");
});

test("a word that is itself a term does not also match its shorter stem (transformer is not transform)", () => {
  // Typing a whole word: the stem + ending rule applies only when the word is not in the vocabulary.
  const units = single.engine.parse("normalisation", []);
  assert.equal(units.length, 1);
  const terms = [...units[0].alts.keys()].map((i) => single.engine.vocabulary[i]);
  assert.ok(terms.includes(S.stem("normalisation")), terms.join(" "));
  assert.ok(!terms.includes("normal"), `"normal" should not stand in for a complete word: ${terms.join(" ")}`);
});
