// guide serve's live-reload script (PreviewServer.liveScript in Sources/GuidePreview/PreviewServer.swift):
// a reload after a rebuild keeps the scroll position and the open <details> (revealed answers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { repo } from './assets.mjs';

const swift = readFileSync(join(repo, 'Sources/GuidePreview/PreviewServer.swift'), 'utf8');
const literal = swift.match(/static let liveScript = """\n([\s\S]*?)\n\s*"""/)[1];
const script = literal.replace(/\\\\/g, '\\');

function page({ open, storage, pathname = '/questions/junior/iou.html', versions }) {
  const details = open.map(o => ({ open: o }));
  const timers = [];
  const calls = { reload: 0, scrollTo: [] };
  const context = {
    document: {
      readyState: 'complete', body: { appendChild() {} },
      querySelectorAll: sel => (sel === 'details' ? details : []),
      getElementById: () => null, createElement: () => ({ style: {}, remove() {} }),
    },
    location: { pathname, reload: () => { calls.reload += 1; } },
    sessionStorage: {
      getItem: k => (k in storage ? storage[k] : null), setItem: (k, v) => { storage[k] = String(v); },
      removeItem: k => { delete storage[k]; },
    },
    scrollX: 0, scrollY: 750, scrollTo: (x, y) => calls.scrollTo.push([x, y]),
    addEventListener() {}, setTimeout: f => timers.push(f),
    fetch: () => Promise.resolve({ json: () => Promise.resolve({ version: versions.shift(), errors: '' }) }),
    JSON,
  };
  vm.runInNewContext(script, context);
  return { details, timers, calls };
}

const settle = () => new Promise(r => setTimeout(r, 10));

test('a reload after a rebuild keeps the scroll position and the open answers', async () => {
  const storage = {};
  const before = page({ open: [false, true, false, true], storage, versions: [1, 2] });
  await settle();
  assert.equal(before.calls.reload, 0, 'no reload on the first status');
  before.timers.shift()();
  await settle();
  assert.equal(before.calls.reload, 1, 'a new version reloads the page');

  const after = page({ open: [false, false, false, false], storage, versions: [2] });
  assert.deepEqual(after.details.map(d => d.open), [false, true, false, true]);
  assert.deepEqual(after.calls.scrollTo, [[0, 750]]);
  assert.deepEqual(storage, {}, 'the saved state is used once');
});

test('the saved state of another page is not applied', async () => {
  const storage = {};
  const before = page({ open: [true], storage, versions: [1, 2] });
  await settle();
  before.timers.shift()();
  await settle();
  const other = page({ open: [false], storage, pathname: '/index.html', versions: [2] });
  assert.deepEqual(other.details.map(d => d.open), [false]);
  assert.deepEqual(other.calls.scrollTo, []);
});
