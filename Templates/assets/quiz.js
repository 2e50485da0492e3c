/* Quiz mode (quiz.html): questions from window.GuideQuizData in Leitner order; marks are shared
   with the question pages through guide.js (GuideStudy, GuideStudyPage). */
(() => {
  'use strict';
  const S = window.GuideStudy, P = window.GuideStudyPage, data = window.GuideQuizData;
  const $ = id => document.getElementById(id), form = $('quiz-setup');
  if (!S || !P || !Array.isArray(data) || !form) return; // the no-JavaScript message stays
  $('quiz-nojs').hidden = true;
  $('quiz').hidden = false;
  const card = $('quiz-card'), answer = $('quiz-answer'), result = $('quiz-result'), reveal = $('quiz-reveal');
  const knownBtn = $('quiz-known'), reviewBtn = $('quiz-review'), done = $('quiz-done');
  const byId = new Map(data.map(x => [x.id, x]));
  const boxes = name => [...form.querySelectorAll(`[name=${name}]`)];
  const say = text => { $('quiz-live').textContent = text; };
  let queue = [], q = null, graded = false, tally;

  // ?level=junior or ?tag=nms (links from level pages) preselects that level or topic.
  const params = new URLSearchParams(location.search);
  for (const name of ['level', 'tag']) {
    const v = params.get(name);
    if (boxes(name).some(b => b.value === v)) for (const b of boxes(name)) b.checked = b.value === v;
  }

  function selection() {
    const pick = name => boxes(name).filter(b => b.checked).map(b => b.value), levels = pick('level'), tags = pick('tag');
    return data.filter(x => levels.includes(x.level) && (!tags.length || x.tags.some(t => tags.includes(t)))).map(x => x.id);
  }
  function counts() {
    const ids = selection(), marks = P.state().marks, day = S.today();
    const fresh = ids.filter(id => !marks[id]).length, due = ids.filter(id => marks[id] && marks[id].due <= day).length;
    $('quiz-counts').textContent = `${ids.length} questions selected: ${due} due, ${fresh} new, ${ids.length - due - fresh} scheduled later.`;
  }
  form.addEventListener('change', counts);
  counts();

  form.addEventListener('submit', e => {
    e.preventDefault();
    const ids = selection();
    for (let i = ids.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [ids[i], ids[j]] = [ids[j], ids[i]]; }
    queue = S.order(ids, P.state().marks, S.today(), !!e.submitter && e.submitter.value === 'ahead');
    tally = { known: 0, review: 0 };
    next();
  });

  function next() {
    q = byId.get(queue.shift());
    if (!q) return finish();
    graded = false;
    form.hidden = done.hidden = answer.hidden = knownBtn.hidden = reviewBtn.hidden = true;
    card.hidden = reveal.hidden = false;
    answer.textContent = result.textContent = '';
    $('quiz-title').textContent = q.title;
    $('quiz-meta').textContent = `${q.levelName} · ${queue.length} more after this one`;
    $('quiz-link').href = q.url;
    $('quiz-title').focus();
    say(`${q.levelName} question: ${q.title} (Space shows the answer)`);
  }

  function show() {
    if (!q || !answer.hidden) return;
    answer.innerHTML = q.answerHtml;
    // The answer was written for the question page: resolve its links from there.
    const base = new URL(q.url, location.href);
    for (const a of answer.querySelectorAll('[href]')) a.href = new URL(a.getAttribute('href'), base).href;
    answer.hidden = knownBtn.hidden = reviewBtn.hidden = false;
    reveal.hidden = true;
    answer.focus();
    say('Answer shown. 1: I knew it. 2: review again.');
  }

  function grade(knew) {
    if (!q || answer.hidden || graded) return;
    graded = true;
    P.mark(q.id, knew, q.level);
    tally[knew ? 'known' : 'review']++;
    if (!knew) queue = S.requeue(queue, q.id);
    result.textContent = knew ? `Known: next review on ${P.state().marks[q.id].due}.` : 'To review: it comes back after two other questions.';
    knownBtn.hidden = reviewBtn.hidden = true;
    $('quiz-next').focus();
    say(result.textContent + ' N: next question.');
  }

  function finish() {
    q = null;
    card.hidden = true;
    form.hidden = done.hidden = false;
    $('quiz-summary').textContent = tally.known + tally.review
      ? `You knew ${tally.known} and marked ${tally.review} for review. Start again, or study ahead.`
      : 'Nothing is due in this selection. Choose other levels or topics, or study ahead.';
    counts();
    $('quiz-done-title').focus();
  }

  reveal.addEventListener('click', show);
  knownBtn.addEventListener('click', () => grade(true));
  reviewBtn.addEventListener('click', () => grade(false));
  $('quiz-next').addEventListener('click', next);
  $('quiz-stop').addEventListener('click', () => { queue = []; finish(); });
  document.addEventListener('keydown', e => {
    const t = e.target, k = e.key.toLowerCase();
    if (card.hidden || e.ctrlKey || e.metaKey || e.altKey || t.closest('input, textarea, select, [contenteditable]')) return;
    if (k === ' ' && !t.closest('button, a, summary')) { e.preventDefault(); show(); }
    else if (k === '1') grade(true);
    else if (k === '2') grade(false);
    else if (k === 'n') next();
  });
})();
