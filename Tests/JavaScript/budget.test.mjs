// The budget: the CSS and JavaScript that any page loads stay within 30 KB (30,720 bytes), generated
// data files (the search index, the quiz data) excluded.
//  1. From Templates/assets: every page loads style.css, theme.js, guide.js and search.js; quiz.html
//     adds quiz.js. Files loaded only on demand (progress.js when a progress button is first used,
//     the search engine and index when the reader first searches) are reported, not counted.
//  2. From a built site (SITE_DIR, default Site/; skipped when absent): every page's own <link
//     rel="stylesheet"> and <script src> files, measured on disk.
// The per-file aims (style.css 13 KB with the search section, guide.js 9 KB, quiz.js 5 KB) are
// reported as diagnostics; only the 30 KB page total fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET = 30 * 1024;
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const assets = join(repo, 'Templates/assets');
const size = file => (existsSync(file) ? statSync(file).size : 0);
const GENERATED = /(^|\/)(search-index[^/]*|quiz-data)\.js$/;

test('template assets: an ordinary page and the quiz page stay within 30 KB', t => {
  const sizes = Object.fromEntries(['style.css', 'theme.js', 'guide.js', 'search.js', 'quiz.js'].map(f => [f, size(join(assets, f))]));
  const page = sizes['style.css'] + sizes['theme.js'] + sizes['guide.js'] + sizes['search.js'];
  const quiz = page + sizes['quiz.js'];
  for (const [file, bytes] of Object.entries(sizes)) t.diagnostic(`${file}: ${bytes} bytes`);
  t.diagnostic(`on demand: progress.js ${size(join(assets, 'progress.js'))} bytes`);
  t.diagnostic(`ordinary page: ${page} bytes; quiz page: ${quiz} bytes; budget ${BUDGET}`);
  const aims = { 'style.css': 13 * 1024, 'guide.js': 9 * 1024, 'quiz.js': 5 * 1024 };
  for (const [file, aim] of Object.entries(aims)) {
    if (sizes[file] > aim) t.diagnostic(`note: ${file} is over its aim of ${aim} bytes`);
  }
  assert.ok(page <= BUDGET, `ordinary page loads ${page} bytes of CSS and JS (budget ${BUDGET})`);
  assert.ok(quiz <= BUDGET, `quiz page loads ${quiz} bytes of CSS and JS (budget ${BUDGET})`);
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
