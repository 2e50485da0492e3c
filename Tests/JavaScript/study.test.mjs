// Pure study logic in Templates/assets/guide.js (GuideStudy): Leitner scheduling, study order,
// progress storage and export/import validation. Run with `node --test Tests/JavaScript/`
// (ASSETS_DIR=Site/assets: the same tests on the minified copy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { asset } from './assets.mjs';

const require = createRequire(import.meta.url);
const S = require(asset('guide.js'));
const NOW = '2024-03-10T09:00:00.000Z';

test('a new card known goes to box 1, due tomorrow', () => {
  const m = S.grade(undefined, true, '2024-03-10', 'junior', NOW);
  assert.deepEqual(m, { status: 'known', box: 1, due: '2024-03-11', updated: NOW, level: 'junior' });
});

test('each known review moves one box up and doubles the interval: 1, 2, 4, 8, 16 days, box 5 at most', () => {
  let m, day = '2024-03-10';
  const seen = [];
  for (let i = 0; i < 7; i++) {
    m = S.grade(m, true, day, 'mid', NOW);
    seen.push([m.box, m.due]);
    day = m.due; // reviewed exactly when due
  }
  assert.deepEqual(seen, [
    [1, '2024-03-11'], [2, '2024-03-13'], [3, '2024-03-17'], [4, '2024-03-25'],
    [5, '2024-04-10'], [5, '2024-04-26'], [5, '2024-05-12'],
  ]);
  assert.deepEqual([1, 2, 3, 4, 5].map(S.interval), [1, 2, 4, 8, 16]);
});

test('a missed card goes back to box 1, due today', () => {
  const known = { status: 'known', box: 4, due: '2024-03-10', level: 'senior', updated: 'x' };
  const m = S.grade(known, false, '2024-03-10', undefined, NOW);
  assert.deepEqual(m, { status: 'review', box: 1, due: '2024-03-10', updated: NOW, level: 'senior' });
});

test('knowing a card again before it is due does not promote it', () => {
  const m = { status: 'known', box: 2, due: '2024-03-12', updated: 'x' };
  const again = S.grade(m, true, '2024-03-10', undefined, NOW);
  assert.equal(again.box, 2);
  assert.equal(again.due, '2024-03-12');
});

test('dates cross month and year ends in local time', () => {
  assert.equal(S.addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(S.addDays('2023-02-28', 1), '2023-03-01');
  assert.equal(S.addDays('2024-12-31', 16), '2025-01-16');
  assert.equal(S.today(new Date(2024, 0, 5, 23, 59)), '2024-01-05');
});

test('study order: due cards by date then box, then new cards as given; later cards only when studying ahead', () => {
  const marks = {
    a: { status: 'known', box: 3, due: '2024-03-09' },
    b: { status: 'review', box: 1, due: '2024-03-10' },
    c: { status: 'known', box: 2, due: '2024-03-20' },
    d: { status: 'known', box: 1, due: '2024-03-09' },
    e: { status: 'known', box: 5, due: '2024-03-15' },
  };
  const ids = ['n1', 'a', 'b', 'c', 'n2', 'd', 'e'];
  assert.deepEqual(S.order(ids, marks, '2024-03-10'), ['d', 'a', 'b', 'n1', 'n2']);
  assert.deepEqual(S.order(ids, marks, '2024-03-10', true), ['d', 'a', 'b', 'n1', 'n2', 'e', 'c']);
  assert.deepEqual(S.order([], marks, '2024-03-10'), []);
});

test('a missed card is re-queued after two other cards (or at the end of a short queue)', () => {
  assert.deepEqual(S.requeue(['b', 'c', 'd', 'e'], 'a'), ['b', 'c', 'a', 'd', 'e']);
  assert.deepEqual(S.requeue(['b'], 'a'), ['b', 'a']);
  assert.deepEqual(S.requeue([], 'a'), ['a']);
  assert.deepEqual(S.requeue(['a', 'b', 'c', 'd'], 'a', 1), ['b', 'a', 'c', 'd'], 'no duplicate, custom gap');
});

test('a missed card comes back sooner than an unseen card would in a session', () => {
  let queue = S.order(['q1', 'q2', 'q3', 'q4', 'q5'], {}, '2024-03-10');
  const shown = [];
  for (let step = 0; step < 6 && queue.length; step++) {
    const id = queue.shift();
    shown.push(id);
    if (id === 'q1' && shown.filter(x => x === 'q1').length === 1) queue = S.requeue(queue, id);
  }
  assert.deepEqual(shown, ['q1', 'q2', 'q3', 'q1', 'q4', 'q5']);
});

function memoryStorage() {
  const data = new Map();
  return { getItem: k => (data.has(k) ? data.get(k) : null), setItem: (k, v) => data.set(k, String(v)), data };
}

test('state survives a save and load round trip under the versioned key', () => {
  const storage = memoryStorage();
  const state = S.empty();
  state.marks.cnn = S.grade(undefined, true, '2024-03-10', 'junior', NOW);
  state.settings.showAnswers = true;
  assert.equal(S.save(storage, state), true);
  assert.ok(storage.data.has('studyguide:v1'));
  assert.equal(JSON.parse(storage.data.get('studyguide:v1')).version, 1);
  assert.deepEqual(JSON.parse(JSON.stringify(S.load(storage))), state);
});

test('storage failures never throw: missing, throwing, full or corrupt storage gives a fresh state', () => {
  const throwing = { getItem() { throw new Error('SecurityError'); }, setItem() { throw new Error('QuotaExceededError'); } };
  assert.deepEqual(S.load(null), S.empty());
  assert.deepEqual(S.load(undefined), S.empty());
  assert.deepEqual(S.load(throwing), S.empty());
  assert.equal(S.save(null, S.empty()), false);
  assert.equal(S.save(throwing, S.empty()), false);
  const corrupt = memoryStorage();
  corrupt.setItem('studyguide:v1', '{"version":1,"marks":');
  assert.deepEqual(S.load(corrupt), S.empty());
  corrupt.setItem('studyguide:v1', '{"version":99,"marks":{}}');
  assert.deepEqual(S.load(corrupt), S.empty());
});

test('export and import round trip', () => {
  const state = S.empty();
  state.marks.cnn = S.grade(undefined, true, '2024-03-10', 'junior', NOW);
  state.marks['mid-nms'] = S.grade(undefined, false, '2024-03-10', 'mid', NOW);
  const text = S.exportText(state, NOW);
  const file = JSON.parse(text);
  assert.equal(file.format, 'studyguide-progress');
  assert.equal(file.version, 1);
  assert.equal(file.exported, NOW);
  assert.deepEqual(JSON.parse(JSON.stringify(S.parse(text))), JSON.parse(JSON.stringify(state)));
});

test('import rejects invalid files with a readable message and keeps nothing', () => {
  const good = { status: 'known', box: 2, due: '2024-03-12' };
  const bad = [
    ['', /not valid JSON/],
    ['{"version":1,"marks":', /not valid JSON/],
    [undefined, /not valid JSON/],
    ['null', /not a StudyGuide progress file/],
    ['[]', /not a StudyGuide progress file/],
    ['{"marks":{}}', /not a StudyGuide progress file/],
    ['{"version":2,"marks":{}}', /not a StudyGuide progress file/],
    ['{"version":1,"marks":[]}', /not a StudyGuide progress file/],
    ['{"version":1}', /not a StudyGuide progress file/],
  ];
  const entries = [
    ['cnn', { ...good, status: 'maybe' }],
    ['cnn', { ...good, box: 0 }],
    ['cnn', { ...good, box: 6 }],
    ['cnn', { ...good, box: 1.5 }],
    ['cnn', { ...good, box: '2' }],
    ['cnn', { ...good, due: 'tomorrow' }],
    ['cnn', { ...good, due: undefined }],
    ['cnn', { ...good, level: '<script>' }],
    ['cnn', { ...good, updated: 'x'.repeat(100) }],
    ['cnn', null],
    ['cnn', 'known'],
    ['__proto__', good],
    ['', good],
    ['a b', good],
  ];
  for (const [id, mark] of entries) {
    bad.push([`{"version":1,"marks":{${JSON.stringify(id)}:${JSON.stringify(mark)}}}`, /Invalid entry/]);
  }
  for (const [text, message] of bad) {
    assert.throws(() => S.parse(text), message, `should reject ${text}`);
  }
});

test('import accepts a minimal valid file and ignores unknown fields', () => {
  const state = S.parse('{"version":1,"marks":{"cnn":{"status":"review","box":1,"due":"2024-03-10","extra":1}},"other":true}');
  assert.deepEqual(JSON.parse(JSON.stringify(state.marks)), { cnn: { status: 'review', box: 1, due: '2024-03-10' } });
  assert.equal(state.settings.showAnswers, false);
});

test('merging an import keeps the most recently updated mark of each question', () => {
  const mine = S.empty(), theirs = S.empty();
  mine.marks.a = { status: 'known', box: 3, due: '2024-03-20', updated: '2024-03-10T10:00:00Z' };
  mine.marks.b = { status: 'known', box: 1, due: '2024-03-11', updated: '2024-03-10T10:00:00Z' };
  theirs.marks.a = { status: 'review', box: 1, due: '2024-03-09', updated: '2024-03-09T10:00:00Z' };
  theirs.marks.b = { status: 'review', box: 1, due: '2024-03-12', updated: '2024-03-12T10:00:00Z' };
  theirs.marks.c = { status: 'known', box: 2, due: '2024-03-14', updated: '2024-03-12T10:00:00Z' };
  const merged = S.merge(mine, theirs);
  assert.equal(merged.marks.a.status, 'known');
  assert.equal(merged.marks.b.status, 'review');
  assert.equal(merged.marks.c.box, 2);
  assert.equal(mine.marks.b.status, 'known', 'inputs are not modified');
});
