// The stylesheets (Templates/assets/style.css, content.css, search.css; ASSETS_DIR=Site/assets: the
// minified copies): every colour pair that carries text meets WCAG 2.1 AA (4.5:1) in both themes,
// and UI boundaries and the focus ring meet 3:1. Colours are declared once on :root in style.css as
// `--name: light-dark(LIGHT, DARK)`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { asset } from './assets.mjs';

const css = ['style.css', 'content.css', 'search.css'].map(f => readFileSync(asset(f), 'utf8')).join('\n');

function colours() {
  const root = /:root\s*\{([^}]*)\}/.exec(css)[1];
  const out = { light: {}, dark: {} };
  for (const [, name, light, dark] of root.matchAll(/--([\w-]+):\s*light-dark\(\s*(#[0-9a-f]{3,6})\s*,\s*(#[0-9a-f]{3,6})\s*\)/gi)) {
    out.light[name] = light;
    out.dark[name] = dark;
  }
  return out;
}

function luminance(hex) {
  let h = hex.slice(1);
  if (h.length === 3) h = [...h].map(c => c + c).join('');
  const [r, g, b] = [0, 2, 4].map(i => parseInt(h.slice(i, i + 2), 16) / 255)
    .map(c => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
export function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const TEXT = [
  ['fg', 'bg'], ['fg', 'bg2'], ['muted', 'bg'], ['muted', 'bg2'], ['link', 'bg'], ['link', 'bg2'],
  ['on-accent', 'accent'], ['known', 'bg'], ['review', 'bg'], ['known', 'bg2'], ['review', 'bg2'],
  ['fg', 'hl'], ['code-fg', 'hl'], ['code-fg', 'code-bg'], ['muted', 'code-bg'], ['link', 'code-bg'],
  ...['keyword', 'string', 'number', 'comment', 'type', 'attribute', 'function', 'operator', 'punctuation'].map(t => [t, 'code-bg']),
];
const UI = [['control', 'bg'], ['control', 'bg2'], ['accent', 'bg'], ['accent', 'bg2'], ['known', 'bg'], ['review', 'bg']];

test('the stylesheet declares every colour the checks need, in both themes', () => {
  const { light, dark } = colours();
  for (const [a, b] of [...TEXT, ...UI]) {
    for (const name of [a, b]) {
      assert.ok(light[name] && dark[name], `--${name} must be declared as light-dark(#light, #dark) on :root`);
    }
  }
});

for (const theme of ['light', 'dark']) {
  test(`text contrast is at least 4.5:1 in the ${theme} theme`, () => {
    const c = colours()[theme];
    const failures = TEXT.map(([fg, bg]) => [fg, bg, contrast(c[fg], c[bg])]).filter(([, , r]) => r < 4.5);
    assert.deepEqual(failures.map(([fg, bg, r]) => `--${fg} on --${bg}: ${r.toFixed(2)}`), []);
  });
  test(`controls and focus ring reach 3:1 against the background in the ${theme} theme`, () => {
    const c = colours()[theme];
    const failures = UI.map(([fg, bg]) => [fg, bg, contrast(c[fg], c[bg])]).filter(([, , r]) => r < 3);
    assert.deepEqual(failures.map(([fg, bg, r]) => `--${fg} on --${bg}: ${r.toFixed(2)}`), []);
  });
}

test('the reader can force a theme, and print and reduced motion are handled', () => {
  assert.match(css, /:root\[data-theme=light\]\s*\{\s*color-scheme:\s*light;?\s*\}/);
  assert.match(css, /:root\[data-theme=dark\]\s*\{\s*color-scheme:\s*dark;?\s*\}/);
  assert.match(css, /@media print/);
  assert.match(css, /prefers-reduced-motion/);
  assert.match(css, /:focus-visible/);
  for (const token of ['keyword', 'string', 'number', 'comment', 'type', 'attribute', 'function', 'operator', 'punctuation']) {
    assert.match(css, new RegExp(`\\.tok-${token}\\s*\\{[^}]*color:\\s*var\\(--${token}\\)`), `.tok-${token} is styled`);
  }
});

test('no request leaves the site: no @import, no url() to another host, no web fonts', () => {
  assert.doesNotMatch(css, /@import|@font-face/);
  assert.doesNotMatch(css, /url\(\s*['"]?(https?:)?\/\//);
});
