/* StudyGuide study tools (every page but search.html and 404.html): GuideStudy is the pure logic (also
   run by the Node tests), then the page wiring. */
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.GuideStudy = api;
})(typeof self !== 'undefined' ? self : this, () => {
  'use strict';
  const KEY = 'studyguide:v1', ID = /^[A-Za-z0-9][\w.\/-]{0,199}$/;
  const DAY = /^\d{4}-\d{2}-\d{2}$/, TIME = /^\d{4}-\d{2}-\d{2}[\w:.+-]{0,20}$/;
  const pad = n => String(n).padStart(2, '0');
  const today = (d = new Date()) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`; // local day
  const addDays = (day, n) => { const [y, m, d] = day.split('-'); return today(new Date(y, m - 1, +d + n)); };
  const interval = box => 2 ** (box - 1); // boxes 1..5 wait 1, 2, 4, 8, 16 days

  // Knew it: one box up (5 at most), due after its interval; not yet due: unchanged. Missed: box 1, due today.
  function grade(mark, knew, day, level, now) {
    const early = knew && mark && mark.status === 'known' && mark.due > day;
    const box = early ? mark.box : knew ? Math.min(((mark && mark.box) || 0) + 1, 5) : 1;
    const m = { status: knew ? 'known' : 'review', box, due: early ? mark.due : knew ? addDays(day, interval(box)) : day,
      updated: now || new Date().toISOString() };
    if ((level = level || (mark && mark.level))) m.level = level;
    return m;
  }

  // Due cards (earliest, then lowest box first), new cards, then (only when studying ahead) the rest.
  function order(ids, marks, day, ahead) {
    const due = [], fresh = [], later = [];
    for (const id of ids) { const m = marks[id]; (!m ? fresh : m.due <= day ? due : later).push(id); }
    const byDue = (a, b) => marks[a].due.localeCompare(marks[b].due) || marks[a].box - marks[b].box;
    return due.sort(byDue).concat(fresh, ahead ? later.sort(byDue) : []);
  }

  // A missed card comes back after `gap` other cards.
  function requeue(queue, id, gap = 2) {
    const q = queue.filter(x => x !== id);
    q.splice(gap, 0, id);
    return q;
  }

  const empty = () => ({ version: 1, marks: {}, settings: { showAnswers: false } });

  // Validates stored or imported progress; throws a readable Error rather than keep part of it.
  function parse(text) {
    let data;
    try { data = JSON.parse(text); } catch (e) { throw new Error('The file is not valid JSON.'); }
    if (!data || data.version !== 1 || Object(data.marks) !== data.marks || Array.isArray(data.marks)) {
      throw new Error('This is not a StudyGuide progress file (version 1).');
    }
    const state = empty();
    for (const [id, m] of Object.entries(data.marks)) {
      if (!ID.test(id) || !m || !/^(known|review)$/.test(m.status) || !Number.isInteger(m.box) || m.box < 1 || m.box > 5 ||
          !DAY.test(m.due) || (m.level != null && !ID.test(m.level)) || (m.updated != null && !TIME.test(m.updated))) {
        throw new Error(`Invalid entry "${id.slice(0, 40)}".`);
      }
      state.marks[id] = { status: m.status, box: m.box, due: m.due, level: m.level, updated: m.updated };
    }
    state.settings.showAnswers = !!data.settings && data.settings.showAnswers === true;
    return state;
  }

  // For each question the most recently updated mark wins.
  function merge(a, b) {
    const out = parse(JSON.stringify(a));
    for (const [id, y] of Object.entries(b.marks)) {
      if (!out.marks[id] || (y.updated || '') >= (out.marks[id].updated || '')) out.marks[id] = y;
    }
    return out;
  }

  const exportText = (state, now = new Date().toISOString()) =>
    JSON.stringify({ format: 'studyguide-progress', version: 1, exported: now, marks: state.marks, settings: state.settings }, null, 1);

  // Storage may be missing or throw (file:// with storage off, quota): never fail.
  function load(storage) {
    try { const raw = storage.getItem(KEY); return raw ? parse(raw) : empty(); } catch (e) { return empty(); }
  }
  function save(storage, state) {
    try { storage.setItem(KEY, JSON.stringify(state)); return true; } catch (e) { return false; }
  }

  return { KEY, today, addDays, interval, grade, order, requeue, empty, parse, merge, exportText, load, save };
});

// The study tools on the page (site.js has the header's buttons, which every page needs).
(function () {
  'use strict';
  if (typeof document === 'undefined') return;
  const S = GuideStudy, doc = document;
  const $ = (s, r = doc) => r.querySelector(s), $$ = (s, r = doc) => [...r.querySelectorAll(s)];
  const on = (el, type, fn) => el && el.addEventListener(type, fn);
  let ls = null;
  try { ls = localStorage; } catch (e) { /* storage disabled */ }
  let state = S.load(ls);
  const persist = () => S.save(ls, state);

  // Answers: "Show all answers" applies to this page only (remembering it would quietly reveal every
  // answer on every later page), printing, links into a closed <details>.
  const showAll = $('[data-setting=show-answers]');
  on(showAll, 'change', () => { for (const d of $$('details.answer')) d.open = showAll.checked; });
  on(window, 'beforeprint', () => { for (const d of $$('details')) d.open = true; });
  on($('[data-print]'), 'click', () => print());
  function reveal() {
    let el, opened;
    try { el = doc.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) { return; }
    for (let p = el && el.parentElement; p; p = p.parentElement) if (p.localName === 'details' && !p.open) opened = p.open = true;
    if (opened) el.scrollIntoView();
  }
  on(window, 'hashchange', reveal);
  on(doc, 'click', e => { if (e.target.closest('a[href^="#"]')) setTimeout(reveal); });
  reveal();

  // Self-marking, progress per level, ticks in question lists.
  const article = $('article[data-question-id]'), status = $('[data-mark-status]');
  function render() {
    const marks = state.marks, known = id => (marks[id] || {}).status === 'known';
    if (status) {
      const m = marks[article.dataset.questionId];
      status.textContent = (!m ? 'Not marked yet.' : m.status === 'known'
        ? `Known. Next review on ${m.due} (box ${m.box} of 5).` : 'Marked for review: the quiz brings it back today.') +
        (status.hasAttribute('data-unsaved') ? ' (Not saved: storage is off.)' : '');
      for (const b of $$('[data-mark]')) b.ariaPressed = !!m && m.status === b.dataset.mark;
    }
    for (const el of $$('[data-progress-level]')) {
      // A level page lists its questions; the home page has each level's ids from its question list.
      const list = (window.GuideLevelData || {})[el.dataset.progressLevel];
      const ids = el.dataset.questionIds ? JSON.parse(el.dataset.questionIds)
        : list ? list.ids : $$('li[data-question-id]').map(li => li.dataset.questionId);
      const n = ids.filter(known).length, total = +el.dataset.progressTotal, bar = $('progress', el);
      bar.max = total || 1;
      bar.value = n;
      $('[data-progress-text]', el).textContent = `${n}/${total} known`;
    }
    for (const li of $$('li[data-question-id]')) {
      const m = marks[li.dataset.questionId];
      let badge = $('.mark-badge', li);
      if (!badge) $('a', li).after(' ', (badge = doc.createElement('span')));
      badge.className = 'mark-badge ' + (m ? m.status : '');
      badge.hidden = !m;  // an unmarked question shows no badge at all
      badge.textContent = !m ? '' : m.status === 'known' ? '✓ Known' : '↻ To review';
    }
    doc.dispatchEvent(new Event('studyguide:progress'));
  }
  function mark(id, knew, level) {
    state.marks[id] = S.grade(state.marks[id], knew, S.today(), level);
    if (!persist() && status) status.dataset.unsaved = '';
    render();
  }
  for (const b of $$('button[data-mark]')) on(b, 'click', () => mark(article.dataset.questionId, b.dataset.mark === 'known', article.dataset.level));
  render();
  window.GuideStudyPage = { state: () => state, mark, persist, render, replace: s => { state = s; } };


  // Reset, export and import: progress.js, loaded from next to this file on first use.
  const src = doc.currentScript.src, tool = b => () => GuideProgress(b.dataset.progressTool);
  for (const b of $$('[data-progress-tool]')) {
    on(b, 'click', () => {
      if (window.GuideProgress) return tool(b)();
      const s = doc.createElement('script');
      s.src = new URL('progress.js', src);
      s.onload = tool(b);
      doc.head.append(s);
    });
  }
})();

// Reading aids: heading permalinks, copy buttons, the current section in "On this page", keys
// (← → ? /), the phone's collapsible contents, and the searched words highlighted on the page landed on.
(function () {
  'use strict';
  if (typeof document === 'undefined') return;
  const doc = document, $ = (s, r = doc) => r.querySelector(s), $$ = (s, r = doc) => [...r.querySelectorAll(s)];
  const main = $('main');
  if (!main) return;

  // Permalinks: a visible "#" after each section heading, shown on hover and keyboard focus.
  for (const h of $$('h2[id], h3[id], h4[id]', main)) {
    if (h.closest('nav, .toc, .quiz-card')) continue;
    const a = doc.createElement('a');
    a.className = 'heading-anchor';
    a.href = '#' + encodeURIComponent(h.id);
    a.setAttribute('aria-label', 'Link to this section: ' + h.textContent.trim());
    a.textContent = '#';
    h.append(' ', a);
  }

  // Copy buttons on code blocks (not on program output).
  const copy = text => {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    const t = doc.createElement('textarea');
    t.value = text; t.setAttribute('readonly', ''); t.style.position = 'fixed'; t.style.opacity = '0';
    doc.body.append(t); t.select();
    const ok = doc.execCommand('copy'); t.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error('copy refused'));
  };
  for (const pre of $$('pre', main)) {
    if (pre.closest('.snippet-output') || pre.classList.contains('snippet-output') || !$('code', pre)) continue;
    const wrap = doc.createElement('div'), b = doc.createElement('button');
    wrap.className = 'code-block';
    pre.before(wrap); wrap.append(pre, b);
    b.type = 'button'; b.className = 'copy-code'; b.textContent = 'Copy';
    b.setAttribute('aria-label', 'Copy the code');
    b.addEventListener('click', () => copy($('code', pre).textContent).then(
      () => { b.textContent = 'Copied'; setTimeout(() => { b.textContent = 'Copy'; }, 1500); },
      () => { b.textContent = 'Press Ctrl+C'; }));
  }

  // "On this page": the section being read is marked while scrolling; on phones it folds under the title.
  const toc = $('.toc'), links = toc ? $$('a[href^="#"]', toc) : [];
  const details = toc && $('details', toc);
  if (details && matchMedia('(max-width: 63.99rem)').matches) details.open = false;
  if (links.length && 'IntersectionObserver' in window) {
    const byId = new Map(links.map(a => [decodeURIComponent(a.hash.slice(1)), a]));
    const heads = [...byId.keys()].map(id => doc.getElementById(id)).filter(Boolean);
    const mark = () => {
      let current = heads[0];
      for (const h of heads) if (h.getBoundingClientRect().top < 120) current = h;
      for (const a of links) a.removeAttribute('aria-current');
      const a = current && byId.get(current.id);
      if (a) a.setAttribute('aria-current', 'location');
    };
    const io = new IntersectionObserver(mark, { rootMargin: '0px 0px -60% 0px' });
    heads.forEach(h => io.observe(h));
    mark();
  }

  // Keys: ← / → previous and next question of the level, ? this help, Esc closes it.
  let help = null;
  const toggleHelp = () => {
    if (!help) {
      help = doc.createElement('dialog');
      help.className = 'key-help';
      help.setAttribute('aria-labelledby', 'key-help-title');
      help.innerHTML = '<h2 id="key-help-title">Keyboard shortcuts</h2><dl>' +
        '<dt><kbd>/</kbd></dt><dd>Search the guide</dd>' +
        '<dt><kbd>←</kbd> <kbd>→</kbd></dt><dd>Previous or next question of the level</dd>' +
        '<dt><kbd>Space</kbd>, <kbd>1</kbd>, <kbd>2</kbd></dt><dd>In the quiz: show the answer, I knew it, review again</dd>' +
        '<dt><kbd>?</kbd></dt><dd>Show or hide this help</dd><dt><kbd>Esc</kbd></dt><dd>Close</dd></dl>' +
        '<form method="dialog"><button>Close</button></form>';
      doc.body.append(help);
    }
    if (help.open) help.close(); else help.showModal();
  };
  doc.addEventListener('keydown', e => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || (t && (t.isContentEditable || /^(input|textarea|select|button)$/i.test(t.localName) && t.type !== 'checkbox'))) return;
    if (e.key === '?') { e.preventDefault(); toggleHelp(); return; }
    if (help && help.open) return;
    const rel = e.key === 'ArrowLeft' ? 'prev' : e.key === 'ArrowRight' ? 'next' : null;
    const link = rel && !e.shiftKey && $(`.pager a[rel=${rel}]`);
    if (link) { e.preventDefault(); location.href = link.href; }
  });

  // The words searched for (search.js leaves them for the page it opens): marked, and a closed answer
  // that holds the first one is opened.
  let hl = null;
  try { hl = JSON.parse(sessionStorage.getItem('studyguide:highlight') || 'null'); sessionStorage.removeItem('studyguide:highlight'); } catch (e) { /* storage off */ }
  if (hl && Array.isArray(hl.terms) && hl.page === location.pathname && hl.terms.length) {
    const fold = w => w.normalize('NFKD').toLowerCase().replace(/\p{M}/gu, '');
    const terms = hl.terms.filter(t => typeof t === 'string' && t.length > 1 && !t.includes('_')).slice(0, 12).map(fold);
    const hit = w => { w = fold(w); return terms.some(t => w.startsWith(t) || (t.length > 3 && /i$/.test(t) && w.startsWith(t.slice(0, -1)))); };
    const walker = doc.createTreeWalker($('article') || main, NodeFilter.SHOW_TEXT, {
      acceptNode: n => n.parentElement.closest('script, style, pre, code, svg, math, .heading-anchor, nav') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
    const nodes = [];
    while (walker.nextNode() && nodes.length < 2000) nodes.push(walker.currentNode);
    let first = null, count = 0;
    for (const n of nodes) {
      const parts = n.data.split(/([\p{L}\p{N}]+)/u);
      if (!parts.some((p, i) => i % 2 && hit(p))) continue;
      const frag = doc.createDocumentFragment();
      parts.forEach((p, i) => {
        if (i % 2 && hit(p) && count < 300) { const m = doc.createElement('mark'); m.className = 'search-hit'; m.textContent = p; frag.append(m); count++; first = first || m; }
        else if (p) frag.append(p);
      });
      n.replaceWith(frag);
    }
    // The section linked to, else the first searched word inside the answer (the words searched for are
    // usually in it), else the first one anywhere.
    const inAnswer = doc.querySelector('details.answer mark.search-hit');
    const target = (location.hash && doc.getElementById(decodeURIComponent(location.hash.slice(1)))) || inAnswer || first;
    for (let p = target && target.parentElement; p; p = p.parentElement) if (p.localName === 'details') p.open = true;
    if (target) target.scrollIntoView({ block: location.hash ? 'start' : 'center' });
  }
})();
