/* Search on every page (docs/search.md): "/" focuses the search box, and the first use of search
   (focus or typing there) loads the rest with <script> elements, in order: search-engine.js, the
   index (search-index.js) and search-ui.js (dropdown, search page). search.html links them itself,
   so that they count in its page weight; the files a page already has are not loaded again. */
(function () {
  'use strict';
  const script = document.currentScript, root = (script && script.dataset.root) || '';
  const input = document.getElementById('site-search');
  let started = false;

  function start() {
    if (started) return;
    started = true;
    for (const file of ['search-engine.js', 'search-index.js', 'search-ui.js']) {
      if (document.querySelector(`script[src$="assets/${file}"]`)) continue;
      const s = document.createElement('script');
      s.src = root + 'assets/' + file;
      s.async = false;  // run in the order added
      document.head.appendChild(s);
    }
  }

  if (input) {
    // Set here, not in the HTML, so that the page stays valid without JavaScript.
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-expanded', 'false');
    input.addEventListener('focus', start);
    input.addEventListener('input', start);
    document.addEventListener('keydown', e => {
      const t = e.target;
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || t.isContentEditable ||
        /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }
  if (document.getElementById('search-results')) start();
})();
