// The search engine on the real guide's index (Site/, or SITE_DIR): the synonym and ranking cases a
// student reported (issue 16). The fixture tests in search.test.mjs cover the engine's mechanics.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import vm from "node:vm";
import { asset } from "./assets.mjs";

const require = createRequire(import.meta.url);
const S = require(asset("search-engine.js"));
const site = process.env.SITE_DIR || "Site";
const have = existsSync(`${site}/assets/search-index.js`);

function engine() {
  const window = {};
  vm.runInNewContext(readFileSync(`${site}/assets/search-index.js`, "utf8"), { window });
  const data = window.GuideSearchIndex, shards = {};
  const e = S.open(data, shards);
  const load = (names, done) => {
    for (const n of names) vm.runInNewContext(readFileSync(`${site}/assets/search/${n}.js`, "utf8"), { window: { GuideSearchShards: shards } });
    done(true);
  };
  return (q, n = 3) => {
    let r;
    S.run(e, q, {}, load, (x) => { r = x; });
    return r.results.slice(0, n).map((x) => x.url.split("#")[0]);
  };
}

test("declared synonyms that the text never uses still find their pages", { skip: !have && "no built site" }, () => {
  const search = engine();
  assert.ok(search("batchnorm").includes("questions/junior/batch-norm.html"), search("batchnorm").join(" "));
  assert.ok(search("kd").includes("questions/senior/pruning-distillation.html"), search("kd").join(" "));
  assert.ok(search("ood", 5).length > 0, "ood finds nothing");
});

test("ranking: transformer is not augmentation, yolo finds the detector families, authoring ranks last", { skip: !have && "no built site" }, () => {
  const search = engine();
  for (const q of ["transformer", "vision transformer"]) {
    assert.ok(!search(q).some((u) => u.includes("augmentation")), `${q}: ${search(q).join(" ")}`);
  }
  assert.ok(search("yolo", 2).includes("questions/mid/one-vs-two-stage.html"), search("yolo", 5).join(" "));
  for (const q of ["iou", "nms", "anchor boxes", "soft nms"]) {
    assert.ok(!search(q, 8).includes("authoring.html"), `${q}: ${search(q, 8).join(" ")}`);
  }
});
