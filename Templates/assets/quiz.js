/* Quiz mode (quiz.html). The questions come from the levels' question lists (window.GuideLevelData,
   one script per level: ids, tags, the block of quiz data holding each); a question's text and answer
   come from its block (assets/quiz/<level>/<n>.js), loaded with a <script> element (file:// allows
   it) when one of its questions is first shown. GuideQuiz is that loading (also run by the Node
   tests, which run this file with no page); then the page wiring. Marks are shared with the
   question pages through guide.js. */
const GuideQuiz = {
  // Every question of the lists, in level order: { id, level, tags, block (its quiz data's path) }.
  entries: levels => Object.entries(levels).flatMap(([level, l]) =>
    l.ids.map((id, i) => ({ id, level, tags: l.tags[i], block: l.blocks[i / l.blockSize | 0] }))),
  // Loads each block once (its path from quiz.html, at the site's root); resolves to its questions,
  // which its script puts in window.GuideQuizBlocks[path].
  loader: (doc, pending = {}) => path => pending[path] = pending[path] || new Promise((ok, fail) => {
    const s = doc.createElement('script'), got = () => (window.GuideQuizBlocks || {})[path];
    s.src = path;
    s.onload = () => (got() ? ok(got()) : fail(Error(path)));
    s.onerror = () => { delete pending[path]; fail(Error(path)); };
    doc.head.append(s);
  }),
};

(() => {
  'use strict';
  const S = window.GuideStudy, P = window.GuideStudyPage, levels = window.GuideLevelData;
  const $ = id => document.getElementById('quiz-' + id), form = $('setup');
  if (!P || !levels || !form) return; // the no-JavaScript message stays
  const data = GuideQuiz.entries(levels), load = GuideQuiz.loader(document);
  const card = $('card'), answer = $('answer'), result = $('result'), reveal = $('reveal'), known = $('known'), review = $('review');
  const byId = new Map(data.map(x => [x.id, x]));
  const boxes = name => [...form.querySelectorAll('input')].filter(b => b.name === name);
  const say = text => { $('live').textContent = text; };
  let queue = [], q, graded, tally, ticket = 0;
  $('nojs').hidden = true;
  $('app').hidden = false;

  // quiz.html?level=junior (or ?tag=nms) preselects that level or topic.
  for (const [name, v] of new URLSearchParams(location.search)) {
    if (boxes(name).some(b => b.value === v)) for (const b of boxes(name)) b.checked = b.value === v;
  }
  function selection() {
    const [levels, tags] = ['level', 'tag'].map(name => boxes(name).filter(b => b.checked).map(b => b.value));
    return data.filter(x => levels.includes(x.level) && (!tags.length || x.tags.some(t => tags.includes(t)))).map(x => x.id);
  }
  function counts() {
    const ids = selection(), marks = P.state().marks, day = S.today();
    const fresh = ids.filter(id => !marks[id]).length, due = ids.filter(id => marks[id] && marks[id].due <= day).length;
    $('counts').textContent = `${ids.length} questions selected: ${due} due, ${fresh} new, ${ids.length - due - fresh} later.`;
  }
  form.onchange = counts;
  document.addEventListener('studyguide:progress', counts);
  counts();

  form.onsubmit = e => {
    e.preventDefault();
    const ids = selection();
    for (let i = ids.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [ids[i], ids[j]] = [ids[j], ids[i]]; }
    queue = S.order(ids, P.state().marks, S.today(), e.submitter && e.submitter.value === 'ahead');
    tally = [0, 0];
    next();
  };

  // The next question is shown once its block is loaded.
  function next() {
    const entry = byId.get(queue.shift()), mine = ++ticket;
    q = null;
    if (!entry) return finish();
    load(entry.block).then(items => mine === ticket && showQuestion(items.find(x => x.id === entry.id)))
      .catch(e => mine === ticket && say(result.textContent = `Not loaded: ${e.message}`));
  }

  function showQuestion(item) {
    q = item;
    graded = false;
    form.hidden = $('done').hidden = answer.hidden = known.hidden = review.hidden = moreRow.hidden = true;
    card.hidden = reveal.hidden = false;
    answer.textContent = result.textContent = '';
    $('title').textContent = q.title;
    $('framing').innerHTML = q.framingHtml || '';
    $('meta').textContent = `${q.levelName} · ${queue.length} more after this one`;
    $('link').href = q.url;
    $('title').focus();
    say(`${q.levelName} question: ${q.title} (Space shows the answer)`);
  }

  // The 60-second answer first; the deeper sections on demand (they can be pages long on a phone).
  const more = $('more'), moreRow = $('more-row');
  function show() {
    if (!q || !answer.hidden) return;
    answer.innerHTML = q.answerHtml; // rendered by the generator for quiz.html's location
    const heads = [...answer.children].filter(el => el.localName === 'h2');
    moreRow.hidden = heads.length < 2;
    if (heads.length > 1) {
      const rest = document.createElement('div');
      rest.id = 'quiz-rest';
      rest.hidden = true;
      for (let n = heads[1]; n;) { const after = n.nextSibling; rest.append(n); n = after; }
      answer.append(rest);
      more.setAttribute('aria-controls', 'quiz-rest');
      more.ariaExpanded = 'false';
      more.textContent = 'Show the full answer';
    }
    answer.hidden = known.hidden = review.hidden = false;
    reveal.hidden = true;
    answer.focus();
    say('Answer shown. 1: I knew it. 2: review again.');
  }

  function grade(knew) {
    if (!q || answer.hidden || graded) return;
    graded = true;
    P.mark(q.id, knew, q.level);
    tally[knew ? 0 : 1]++;
    if (!knew) queue = S.requeue(queue, q.id);
    result.textContent = knew ? `Known: next review on ${P.state().marks[q.id].due}.` : 'To review: it comes back after two other questions.';
    known.hidden = review.hidden = true;
    $('next').focus();
    say(result.textContent + ' N: next question.');
  }

  function finish() {
    q = null;
    ticket++; // a question still loading is not shown
    card.hidden = true;
    form.hidden = $('done').hidden = false;
    $('summary').textContent = tally[0] + tally[1]
      ? `You knew ${tally[0]} and marked ${tally[1]} for review.`
      : 'Nothing is due in this selection: choose other levels or topics, or study ahead.';
    counts();
    $('done-title').focus();
  }

  more.onclick = () => {
    const rest = document.getElementById('quiz-rest');
    if (!rest) return;
    rest.hidden = !rest.hidden;
    more.ariaExpanded = String(!rest.hidden);
    more.textContent = rest.hidden ? 'Show the full answer' : 'Hide the full answer';
  };
  reveal.onclick = show;
  known.onclick = () => grade(true);
  review.onclick = () => grade(false);
  $('next').onclick = next;
  $('stop').onclick = () => { queue = []; finish(); };
  document.addEventListener('keydown', e => {
    const t = e.target, k = e.key.toLowerCase();
    if (card.hidden || e.ctrlKey || e.metaKey || e.altKey || t.closest('input, textarea, select, [contenteditable]')) return;
    if (k === ' ' && !t.closest('button, a, summary')) { e.preventDefault(); show(); }
    else if (k === '1') grade(true);
    else if (k === '2') grade(false);
    else if (k === 'n') next();
  });
})();
