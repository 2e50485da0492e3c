/* The home page: how many questions the quiz's Leitner boxes have due today, from the marks guide.js
   keeps (loaded after it). Only the home page loads this file. */
(() => {
  const S = window.GuideStudy, P = window.GuideStudyPage, due = document.querySelector('[data-due]');
  if (!S || !P || !due) return;
  const marks = P.state().marks, day = S.today();
  const n = Object.keys(marks).filter(id => marks[id].due <= day).length;
  const known = Object.values(marks).filter(m => m.status === 'known').length;
  due.querySelector('[data-due-text]').textContent = !Object.keys(marks).length
    ? 'Nothing marked yet: answer a few questions, then the quiz schedules them.'
    : n ? `${n} question${n > 1 ? 's' : ''} due for review today (${known} known in all).` : `Nothing due today: ${known} known, next reviews are scheduled.`;
  due.hidden = false;
})();
