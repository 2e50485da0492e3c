// The budget: the CSS and JavaScript that any page loads stay within 30 KB (30,720 bytes), generated
// data files (the search index, the quiz data) excluded.
//  1. From the assets (ASSETS_DIR, default Templates/assets; `make test` also runs with Site/assets,
//     the minified copies that ship): every page loads style.css, theme.js, site.js and search.js;
//     the content pages add content.css and guide.js, the home page home.js, random.html random.js,
//     quiz.html quiz.js; search.html adds search.css,
//     search-engine.js and search-ui.js instead. Files loaded only on demand (progress.js when a
//     progress button is first used, the search engine when the reader first searches from another
//     page) are reported, not counted. The budget is for what ships: on the readable sources (which
//     the build minifies; search.html's are over 30 KB) the totals are only reported.
//  2. From a built site (SITE_DIR, default Site/; skipped when absent): every page's own <link
//     rel="stylesheet"> and <script src> files, measured on disk. search.html links what it loads at
//     start-up, and the browser tests (group "startup") check that no page loads more than it links.
// The per-file aims are reported as diagnostics; only the 30 KB page total fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { assets, repo } from './assets.mjs';

const BUDGET = 30 * 1024;
const size = file => (existsSync(file) ? statSync(file).size : 0);
const GENERATED = /(^|\/)(search-index[^/]*|quiz\/.*)\.js$/;
const shipped = resolve(assets) !== resolve(repo, 'Templates/assets');

test(`assets in ${assets.slice(repo.length + 1) || assets}: each kind of page stays within 30 KB`, t => {
  const files = ['style.css', 'content.css', 'search.css', 'theme.js', 'site.js', 'guide.js', 'search.js', 'quiz.js', 'home.js', 'random.js',
    'search-engine.js', 'search-ui.js'];
  const sizes = Object.fromEntries(files.map(f => [f, size(join(assets, f))]));
  const sum = names => names.reduce((total, f) => total + sizes[f], 0);
  const every = ['style.css', 'theme.js', 'site.js', 'search.js'];
  const pages = {
    ordinary: sum([...every, 'content.css', 'guide.js']),
    home: sum([...every, 'content.css', 'guide.js', 'home.js']),
    random: sum([...every, 'content.css', 'guide.js', 'random.js']),
    quiz: sum([...every, 'content.css', 'guide.js', 'quiz.js']),
    search: sum([...every, 'search.css', 'search-engine.js', 'search-ui.js']),
  };
  for (const [file, bytes] of Object.entries(sizes)) t.diagnostic(`${file}: ${bytes} bytes`);
  t.diagnostic(`on demand: progress.js ${size(join(assets, 'progress.js'))} bytes`);
  t.diagnostic(Object.entries(pages).map(([page, bytes]) => `${page} page: ${bytes} bytes`).join('; ') + `; budget ${BUDGET}`);
  const aims = { 'style.css': 13 * 1024, 'guide.js': 9 * 1024, 'quiz.js': 5 * 1024 };
  for (const [file, aim] of Object.entries(aims)) {
    if (sizes[file] > aim) t.diagnostic(`note: ${file} is over its aim of ${aim} bytes`);
  }
  if (!shipped) return t.diagnostic('readable sources: totals reported, checked on the minified copies (ASSETS_DIR=Site/assets)');
  for (const [page, bytes] of Object.entries(pages)) {
    assert.ok(bytes <= BUDGET, `${page} page loads ${bytes} bytes of CSS and JS (budget ${BUDGET})`);
  }
});

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...htmlFiles(path));
    else if (name.endsWith('.html')) out.push(path);
  }
  return out;
}

const site = resolve(repo, process.env.SITE_DIR || 'Site');
test('built site: every page loads at most 30 KB of CSS and JavaScript', { skip: !existsSync(join(site, 'index.html')) && `no built site at ${site}` }, t => {
  const over = [];
  let largest = ['', 0];
  for (const file of htmlFiles(site)) {
    const html = readFileSync(file, 'utf8');
    const refs = [
      ...[...html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*>/g)].map(m => /href="([^"]+)"/.exec(m[0])?.[1]),
      ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map(m => m[1]),
    ].filter(u => u && !/^[a-z]+:|^\/\//i.test(u));
    let total = 0;
    for (const ref of new Set(refs)) {
      const path = resolve(dirname(file), ref.split(/[?#]/)[0]);
      if (!GENERATED.test(path)) total += size(path);
    }
    if (total > largest[1]) largest = [file.slice(site.length + 1), total];
    if (total > BUDGET) over.push(`${file.slice(site.length + 1)}: ${total} bytes`);
  }
  t.diagnostic(`largest: ${largest[0]} with ${largest[1]} bytes`);
  assert.deepEqual(over, [], `pages over the ${BUDGET}-byte budget`);
});
