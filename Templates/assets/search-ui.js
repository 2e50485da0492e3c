/* The search dropdown under the header box and the search page (docs/search.md). Loaded by
   search.js after search-engine.js and the index; builds results with DOM calls and textContent
   only, so nothing in the guide's text can inject markup. */
(function () {
  'use strict';
  let lastTerms = [];  // the terms of the last results shown (see remember below)
  const src = document.currentScript.getAttribute('src');
  const root = src.slice(0, src.length - 'assets/search-ui.js'.length);
  const index = window.GuideSearchIndex, S = window.GuideSearch;
  const engine = index && S ? S.open(index) : null;
  const requested = new Set();

  // Chunk files of a large index (docs/search.md, "Sharding"), each requested once.
  function loadChunks(names, done) {
    let left = 0, ok = true;
    for (const name of names) {
      if (requested.has(name)) continue;
      requested.add(name);
      left++;
      const s = document.createElement('script');
      s.src = `${root}assets/search/${name}.js`;
      s.onload = s.onerror = e => { ok = ok && e.type === 'load'; if (--left === 0) done(ok); };
      document.head.appendChild(s);
    }
    if (!left) done(false);  // asked again for a chunk that did not arrive
  }
  const query = (text, options, done) => engine ? S.run(engine, text, options, loadChunks, done) : done(null);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  // Highlighted text as text nodes and <mark> elements.
  function marked(node, text, terms, size) {
    for (const [piece, hit] of S.highlight(text, terms, size)) {
      node.appendChild(hit ? el('mark', '', piece) : document.createTextNode(piece));
    }
    return node;
  }
  // A result's parts: the title (with the section heading), where it is (the breadcrumb without
  // the title, or the level) and what it is (unless a question), the excerpt.
  const KINDS = { snippet: 'Code', 'use-case': 'Use case', level: 'Level', page: 'Page' };
  function parts(r, terms, size, tag) {
    const title = marked(el('span', 'search-title'), r.title, terms), trail = r.breadcrumb.split(' › ');
    if (r.heading) marked(title.appendChild(el('span', 'search-heading', ' › ')), r.heading, terms);
    if (trail[trail.length - 1] === r.title) trail.pop();
    return [title, el(tag, 'search-meta', [trail.join(' › ') || r.level, KINDS[r.kind]].filter(Boolean).join(' · ')),
      marked(el(tag, 'search-excerpt'), r.text, terms, size)];
  }
  const count = n => n === 1 ? '1 result' : n + ' results';

  // ---- The dropdown under the header box ----
  const input = document.getElementById('site-search'), box = document.getElementById('search-dropdown');
  if (input && box) {
    let timer, active = -1, options = [], latest = 0;
    const live = box.parentNode.appendChild(el('p', 'visually-hidden'));
    live.setAttribute('role', 'status');

    const close = () => {
      box.hidden = true;
      active = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    };
    const activate = i => {
      active = (i + options.length) % options.length;
      options.forEach((o, k) => o.setAttribute('aria-selected', String(k === active)));
      input.setAttribute('aria-activedescendant', options[active].id);
      options[active].scrollIntoView({ block: 'nearest' });
    };
    const option = (href, id) => {
      const a = box.appendChild(el('a', 'search-option'));
      Object.assign(a, { href, id, tabIndex: -1 });
      a.setAttribute('role', 'option');
      a.setAttribute('aria-selected', 'false');
      return a;
    };
    const show = (q, r) => {
      box.textContent = '';
      input.removeAttribute('aria-activedescendant');
      active = -1;
      lastTerms = r ? [...r.terms] : [];
      options = (r ? r.results : []).map((res, i) => {
        const a = option(root + res.url, 'search-option-' + i);
        parts(res, r.terms, 80, 'span').forEach(n => a.appendChild(n));
        return a;
      });
      const all = option(root + 'search.html?q=' + encodeURIComponent(q), 'search-option-all');
      all.className += ' search-all';
      all.textContent = !r ? 'Search is not available' : r.total ? `All ${count(r.total)} for “${q}”` : `No results for “${q}”`;
      options.push(all);
      live.textContent = r ? count(r.total) : '';
      box.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    };
    const update = () => {
      const q = input.value, mine = ++latest;
      if (!q.trim()) return close();
      query(q, { limit: 8 }, r => { if (mine === latest && document.activeElement === input) show(q.trim(), r); });
    };

    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(update, 40); });
    input.addEventListener('blur', close);
    box.addEventListener('mousedown', e => e.preventDefault());  // a click must not blur the box first
    input.addEventListener('keydown', e => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (box.hidden) update();
        else activate(e.key === 'ArrowDown' ? active + 1 : active < 0 ? -1 : active - 1);
      } else if (e.key === 'Enter' && active >= 0 && !box.hidden) {
        e.preventDefault();
        remember(options[active]);
        location.href = options[active].href;
      } else if (e.key === 'Escape' && !box.hidden) {
        e.preventDefault();
        close();
      }
    });
    if (document.activeElement === input) update();  // typed while this file was loading
  }

  // The page a result opens marks the searched words (guide.js) and opens the answer holding them.
  const remember = a => {
    if (!a || !a.href || /search\.html/.test(a.href)) return;
    try { sessionStorage.setItem('studyguide:highlight', JSON.stringify({ page: new URL(a.href).pathname, terms: lastTerms.slice(0, 12) })); } catch (e) { /* storage off */ }
  };
  document.addEventListener('click', e => remember(e.target.closest && e.target.closest('a.search-option, a.search-result-link')), true);

  // ---- search.html ----
  const list = document.getElementById('search-results'), form = document.getElementById('search-form');
  if (list && form) {
    const field = form.elements.q, tag = form.elements.tag, status = document.getElementById('search-status');
    const levelBoxes = [...form.querySelectorAll('input[name=level]')];
    const more = list.parentNode.insertBefore(el('button', 'search-more', 'Show more results'), list.nextSibling);
    let shown = 50, latest = 0, timer;
    more.type = 'button';
    more.hidden = true;

    const render = () => {
      const q = field.value.trim(), levels = levelBoxes.filter(b => b.checked), mine = ++latest;
      const params = new URLSearchParams();
      if (q) params.append('q', q);
      levels.forEach(b => params.append('level', b.value));
      if (tag && tag.value) params.append('tag', tag.value);
      try { history.replaceState(null, '', '?' + params + location.hash); } catch (e) { /* not allowed here */ }
      const filters = levels.map(b => b.parentNode.textContent.trim()).join(', ') +
        (tag && tag.value ? (levels.length ? '; ' : '') + 'tag ' + tag.options[tag.selectedIndex].text : '');
      if (!q) {
        list.textContent = '';
        more.hidden = true;
        status.textContent = 'Type a word or two to search the guide.';
        return;
      }
      status.textContent = 'Searching…';
      query(q, { levels: levels.map(b => b.value), tag: tag && tag.value, limit: shown }, r => {
        if (mine !== latest) return;
        list.textContent = '';
        more.hidden = !r || r.total <= r.results.length;
        if (!r) { status.textContent = 'The search index could not be loaded.'; return; }
        lastTerms = [...r.terms];
        for (const res of r.results) {
          const [title, meta, excerpt] = parts(res, r.terms, 240, 'p');
          const li = list.appendChild(el('li', 'search-result')), a = li.appendChild(el('a', 'search-result-link'));
          a.href = root + res.url;
          a.appendChild(title);
          li.append(meta, excerpt);
        }
        status.textContent = `${count(r.total)} for “${q}”${filters ? ' (' + filters + ')' : ''}.`;
      });
    };
    const params = new URLSearchParams(location.search);
    field.value = params.get('q') || '';
    levelBoxes.forEach(b => { b.checked = params.getAll('level').includes(b.value); });
    if (tag) tag.value = params.get('tag') || '';
    const again = () => { shown = 50; render(); };
    form.addEventListener('submit', e => { e.preventDefault(); again(); });
    form.addEventListener('change', again);
    field.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(again, 150); });
    more.addEventListener('click', () => { shown += 50; render(); });
    render();
  }
})();
