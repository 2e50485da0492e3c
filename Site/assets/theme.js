/* Runs before the first paint (not deferred): applies the reader's colour theme and marks JS as on. */
(function (html) {
  html.className += ' js';
  try {
    var t = localStorage.getItem('studyguide:theme');
    if (t === 'light' || t === 'dark') html.setAttribute('data-theme', t);
  } catch (e) { /* storage disabled: follow the system setting */ }
})(document.documentElement);
