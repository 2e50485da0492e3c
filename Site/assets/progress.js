/* Reset, export and import of study progress (home and quiz pages). guide.js loads this file
   the first time one of those buttons is used and calls GuideProgress('reset' | 'export' | 'import'). */
(() => {
  'use strict';
  const S = GuideStudy, P = GuideStudyPage, doc = document, file = doc.querySelector('[data-progress-import]');
  const say = t => { doc.querySelector('[data-progress-message]').textContent = t; };
  const count = state => Object.keys(state.marks).length;
  const done = (state, text) => { P.replace(state); say(text + (P.persist() ? '' : ' (Not saved: storage is off.)')); P.render(); };

  file.onchange = async () => {
    try {
      const incoming = S.parse(await file.files[0].text()); // validated: throws on anything unexpected
      done(S.merge(P.state(), incoming), `Imported ${count(incoming)} marks.`);
    } catch (e) { say('Import failed: ' + e.message); }
    file.value = '';
  };

  window.GuideProgress = action => {
    if (action === 'import') return file.click();
    if (action === 'export') {
      const a = doc.createElement('a'); // a download that also works from file://
      a.href = URL.createObjectURL(new Blob([S.exportText(P.state())], { type: 'application/json' }));
      a.download = `studyguide-progress-${S.today()}.json`;
      a.click();
      return say(`Exported ${count(P.state())} marks.`);
    }
    if (confirm('Forget all your marks and review dates in this browser?')) done({ ...P.state(), marks: {} }, 'Progress reset.');
  };
})();
