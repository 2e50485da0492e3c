/* random.html: opens a question at random (the referring page excluded), picked from the levels'
   question lists (window.GuideLevelData, one script per level), so that no page carries every
   question. Without JavaScript the page links the level pages. */
(() => {
  const urls = Object.values(window.GuideLevelData || {}).flatMap(l => l.urls)
    .map(u => new URL(u, location.href).href).filter(u => u !== document.referrer);
  if (urls.length) location.replace(urls[Math.floor(Math.random() * urls.length)]);
})();
