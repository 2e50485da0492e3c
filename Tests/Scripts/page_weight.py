#!/usr/bin/env python3
"""Page weight: the CSS and JavaScript each page loads must total at most 30 KB (30 × 1024 bytes).

Usage: page_weight.py SITE_DIR [LIMIT_BYTES]
Counts <link rel=stylesheet href>, <script src> (local files, as built: minified) and inline
<style>/<script> bytes; excludes the generated data files assets/search-index*.js and
the quiz data under assets/quiz/ (the levels' question lists and quiz blocks). Prints the heaviest pages and exits 1 if any page is over the limit.

It reads the HTML, so a page must link every stylesheet and script it loads at start-up: search.html
links search-engine.js and search-ui.js, which search.js would otherwise add when the page opens.
The browser tests (Tests/Browser/browser_tests.py, group `startup`) check in Chromium that no page
loads at start-up a CSS or JS file it does not link. Files loaded on demand (the search scripts on
other pages when the reader first searches, progress.js) are not counted.
"""
import html.parser
import os
import posixpath
import re
import sys
import urllib.parse

EXCLUDED = re.compile(r'^assets/(search-index[^/]*|quiz/.*)\.js$')


class Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.files, self.inline, self._in = [], 0, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'link' and 'stylesheet' in (a.get('rel') or '').lower().split() and a.get('href'):
            self.files.append(a['href'])
        elif tag == 'script' and a.get('src'):
            self.files.append(a['src'])
        elif tag in ('script', 'style'):
            if tag == 'script' and (a.get('type') or 'text/javascript') not in ('text/javascript', 'module'):
                return  # JSON data blocks are data, not code
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.inline += len(data.encode('utf-8'))


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__)
        return 64
    site = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) == 3 else 30 * 1024
    results = []
    for d, _, names in os.walk(site):
        for n in names:
            if not n.endswith('.html'):
                continue
            rel = os.path.relpath(os.path.join(d, n), site).replace(os.sep, '/')
            p = Refs()
            p.feed(open(os.path.join(d, n), encoding='utf-8').read())
            total, parts = p.inline, []
            if p.inline:
                parts.append(f'inline {p.inline}')
            for ref in dict.fromkeys(p.files):
                u = urllib.parse.urlsplit(ref)
                if u.scheme or ref.startswith(('/', '//')):
                    continue  # check_links.py reports those
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), urllib.parse.unquote(u.path)))
                if EXCLUDED.match(target):
                    continue
                full = os.path.join(site, target)
                size = os.path.getsize(full) if os.path.isfile(full) else 0
                total += size
                parts.append(f'{target} {size}')
            results.append((total, rel, parts))
    results.sort(reverse=True)
    over = [r for r in results if r[0] > limit]
    print(f'  {len(results)} pages; limit {limit} bytes ({limit / 1024:.0f} KB) of CSS + JS per page')
    groups = {}
    for total, rel, parts in (over or results[:3]):
        groups.setdefault((total, tuple(parts)), []).append(rel)
    for (total, parts), pages in list(groups.items())[:10]:
        names = ', '.join(sorted(pages)[:3]) + (f' and {len(pages) - 3} more' if len(pages) > 3 else '')
        print(f'  {"OVER " if total > limit else ""}{total} bytes ({total / 1024:.1f} KB) on {names}: {", ".join(parts)}')
    if results:
        print(f'  max: {results[0][0]} bytes ({results[0][0] / 1024:.1f} KB) on {results[0][1]}; '
              f'{len(over)} page(s) over the limit')
    return 1 if over else 0


if __name__ == '__main__':
    sys.exit(main())
