// The quiz's loading of its data (GuideQuiz in Templates/assets/quiz.js): the questions come from the
// levels' question lists (assets/quiz/<level>.js), and a question's answer from its block of quiz
// data (assets/quiz/<level>/<n>.js), loaded with a <script> element the first time one of its
// questions is shown. quiz.js runs here in a VM context with no page (its wiring then stops); the
// fake document "loads" a script by running the file in the same context, as a browser does from
// file://. Run with `node --test Tests/JavaScript/` (ASSETS_DIR=Site/assets: the minified copy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import vm from 'node:vm';
import { asset, repo } from './assets.mjs';

const plain = x => JSON.parse(JSON.stringify(x)); // values from the VM's realm, compared as data

// A page at `root` (the site's folder) running quiz.js; `loaded` lists the scripts it added.
function quizPage(root) {
  const context = vm.createContext({ document: { getElementById: () => null } });
  context.window = context;
  const loaded = [];
  const doc = {
    createElement: () => ({}),
    head: {
      append(script) {
        loaded.push(script.src);
        setImmediate(() => {
          const file = join(root, script.src);
          if (!existsSync(file)) return script.onerror();
          vm.runInContext(readFileSync(file, 'utf8'), context);
          script.onload();
        });
      },
    },
  };
  vm.runInContext(readFileSync(asset('quiz.js'), 'utf8'), context);
  const Q = vm.runInContext('GuideQuiz', context);
  return { Q, load: Q.loader(doc), loaded, context };
}

// Runs a level list or block file in a page's context (as its <script> tag would).
const run = (page, file) => vm.runInContext(readFileSync(file, 'utf8'), page.context);

// A small site: junior has 3 questions in blocks of 2, mid 1; files as the generator writes them.
function fixtureSite() {
  const root = mkdtempSync(join(tmpdir(), 'quiz-blocks-'));
  mkdirSync(join(root, 'assets/quiz/junior'), { recursive: true });
  mkdirSync(join(root, 'assets/quiz/mid'), { recursive: true });
  const list = (level, data) => `(window.GuideLevelData = window.GuideLevelData || {})[${JSON.stringify(level)}] = ${JSON.stringify(data)};\n`;
  const block = (path, items) => `(window.GuideQuizBlocks = window.GuideQuizBlocks || {})[${JSON.stringify(path)}] = ${JSON.stringify(items)};\n`;
  const item = (id, level) => ({ id, title: `Title ${id}`, level, levelName: level, tags: [], url: `questions/${level}/${id}.html`,
    framingHtml: '', answerHtml: `<h2>60-second answer</h2><p>Answer ${id}</p>`, summary: '' });
  writeFileSync(join(root, 'assets/quiz/junior.js'), list('junior', {
    blockSize: 2, blocks: ['assets/quiz/junior/1.js', 'assets/quiz/junior/2.js'], ids: ['a', 'b', 'c'],
    tags: [['cnn'], [], ['metrics', 'cnn']], urls: ['questions/junior/a.html', 'questions/junior/b.html', 'questions/junior/c.html'],
  }));
  writeFileSync(join(root, 'assets/quiz/mid.js'), list('mid', {
    blockSize: 2, blocks: ['assets/quiz/mid/1.js'], ids: ['m'], tags: [[]], urls: ['questions/mid/m.html'],
  }));
  writeFileSync(join(root, 'assets/quiz/junior/1.js'), block('assets/quiz/junior/1.js', [item('a', 'junior'), item('b', 'junior')]));
  writeFileSync(join(root, 'assets/quiz/junior/2.js'), block('assets/quiz/junior/2.js', [item('c', 'junior')]));
  writeFileSync(join(root, 'assets/quiz/mid/1.js'), 'window.somethingElse = 1;\n'); // holds no quiz data
  return root;
}

test('the questions of the level lists, in level order, each with its tags and its block', () => {
  const root = fixtureSite();
  const page = quizPage(root);
  run(page, join(root, 'assets/quiz/junior.js'));
  run(page, join(root, 'assets/quiz/mid.js'));
  assert.deepEqual(plain(page.Q.entries(page.context.GuideLevelData)), [
    { id: 'a', level: 'junior', tags: ['cnn'], block: 'assets/quiz/junior/1.js' },
    { id: 'b', level: 'junior', tags: [], block: 'assets/quiz/junior/1.js' },
    { id: 'c', level: 'junior', tags: ['metrics', 'cnn'], block: 'assets/quiz/junior/2.js' },
    { id: 'm', level: 'mid', tags: [], block: 'assets/quiz/mid/1.js' },
  ]);
});

test('a block is loaded once, with one <script>, when a question of it is first shown', async () => {
  const root = fixtureSite();
  const page = quizPage(root);
  assert.deepEqual(page.loaded, [], 'nothing is loaded before a question is shown');
  const [first, again] = await Promise.all([page.load('assets/quiz/junior/1.js'), page.load('assets/quiz/junior/1.js')]);
  assert.deepEqual(plain(first.map(x => x.id)), ['a', 'b']);
  assert.equal(first, again, 'the same questions');
  await page.load('assets/quiz/junior/1.js');
  assert.deepEqual(page.loaded, ['assets/quiz/junior/1.js'], 'one script for the block');
  const second = await page.load('assets/quiz/junior/2.js');
  assert.match(second[0].answerHtml, /Answer c/);
  assert.deepEqual(page.loaded, ['assets/quiz/junior/1.js', 'assets/quiz/junior/2.js'], 'only the blocks asked for');
});

test('a block that is missing or holds no quiz data is an error, and a missing one is tried again', async () => {
  const root = fixtureSite();
  const page = quizPage(root);
  await assert.rejects(page.load('assets/quiz/junior/9.js'), /assets\/quiz\/junior\/9\.js/);
  await assert.rejects(page.load('assets/quiz/junior/9.js'));
  assert.equal(page.loaded.filter(src => src.endsWith('9.js')).length, 2, 'a failed load is not remembered');
  await assert.rejects(page.load('assets/quiz/mid/1.js'), /mid\/1\.js/);
});

// The generator's own files: every question of every level list is in the block the list names.
const site = resolve(repo, process.env.SITE_DIR || 'Site');
const lists = existsSync(join(site, 'assets/quiz')) ? readdirSync(join(site, 'assets/quiz')).filter(f => f.endsWith('.js')) : [];
test('built site: each question of the level lists is in its quiz block', { skip: !lists.length && `no assets/quiz/ in ${site}` }, async () => {
  const page = quizPage(site);
  for (const list of lists) run(page, join(site, 'assets/quiz', list));
  const entries = page.Q.entries(page.context.GuideLevelData);
  assert.ok(entries.length > 0, 'the lists name questions');
  for (const entry of entries) {
    const items = await page.load(entry.block);
    const item = items.find(x => x.id === entry.id);
    assert.ok(item, `${entry.id} is in ${entry.block}`);
    assert.equal(item.level, entry.level);
    assert.ok(item.answerHtml && item.title && item.url, `${entry.id} has its title, URL and answer`);
  }
  const blocks = new Set(entries.map(e => e.block));
  assert.deepEqual(page.loaded.sort(), [...blocks].sort(), 'each block loaded once');
});
