/* The header's controls on every page (search.html and 404.html too; guide.js has the study tools):
   shows what needs JavaScript, the colour theme button, the menu button of small screens, and
   aria-current on links to this page. */
(function () {
  'use strict';
  const doc = document, html = doc.documentElement, here = location.href.split(/[?#]/)[0];
  const $ = s => doc.querySelector(s), on = (el, type, fn) => el && el.addEventListener(type, fn);

  for (const el of doc.querySelectorAll('[data-needs-js]')) el.hidden = false;

  // Theme: auto, light, dark; theme.js applies the saved choice before the first paint.
  const label = $('[data-theme-label]'), theme = () => html.dataset.theme || 'auto';
  const showTheme = () => { label.textContent = { auto: 'Auto (system)', light: 'Light', dark: 'Dark' }[theme()]; };
  if (label) {
    showTheme();
    on($('[data-theme-toggle]'), 'click', () => {
      const t = { auto: 'light', light: 'dark', dark: 'auto' }[theme()];
      if (t === 'auto') delete html.dataset.theme; else html.dataset.theme = t;
      try { localStorage.setItem('studyguide:theme', t); } catch (e) { /* not remembered */ }
      showTheme();
    });
  }

  // Menu button on small screens; aria-current on links to this page.
  const menuBtn = $('[data-menu-toggle]'), nav = $('#site-nav');
  const menu = open => { menuBtn.ariaExpanded = open; nav.classList.toggle('open', open); };
  on(menuBtn, 'click', () => menu(menuBtn.ariaExpanded !== 'true'));
  on(nav, 'keydown', e => { if (e.key === 'Escape' && menuBtn) { menu(false); menuBtn.focus(); } });
  for (const a of doc.querySelectorAll('.site-nav a, .site-footer a')) if (a.href.split(/[?#]/)[0] === here) a.ariaCurrent = 'page';
})();
