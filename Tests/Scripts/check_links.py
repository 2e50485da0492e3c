#!/usr/bin/env python3
"""Check every link and resource reference of a built site.

Usage: check_links.py SITE_DIR
Rules (see docs/templates.md and the contracts): every relative href/src/srcset/action/poster
names an existing file (never a folder, never ends with '/'); every #fragment exists as an id (or
<a name>) in the target page; no root-absolute links ('/x'); no resource loaded from outside the
site (script src, img src, link rel=stylesheet/icon/..., iframe, media: http(s):// or //host);
external <a href> links are allowed in content and counted. The answer HTML of the quiz blocks
(assets/quiz/<level>/<n>.js) is checked as quiz.js shows it: inside quiz.html, so its links are
relative to the site root; each level's question list (assets/quiz/<level>.js) must name blocks that
exist and hold its questions, and its page URLs must exist (random.html opens them). Hand-written JS
(and inline scripts) must not use fetch(), import(), modules, workers, XMLHttpRequest or
WebAssembly: they fail from file://.
Exits 1 on any problem.
"""
import collections
import glob
import html.parser
import json
import os
import posixpath
import re
import sys
import urllib.parse

LOADING_RELS = {'stylesheet', 'icon', 'shortcut', 'apple-touch-icon', 'preload', 'modulepreload',
                'prefetch', 'prerender', 'manifest', 'dns-prefetch', 'preconnect', 'mask-icon'}
URL_ATTRS = {'href', 'src', 'action', 'poster', 'data', 'formaction', 'cite', 'longdesc'}
DATA_FILES = re.compile(r'^assets/(search-index[^/]*|quiz/.*)\.js$')
FORBIDDEN_JS = [
    (re.compile(r'\bfetch\s*\('), 'fetch('),
    (re.compile(r'(?<![\w.$])import\s*\('), 'import('),
    (re.compile(r'^\s*import\s+[\w{*]', re.M), 'import statement (module)'),
    (re.compile(r'^\s*export\s+(default|const|function|class|let|\{)', re.M), 'export statement (module)'),
    (re.compile(r'type\s*=\s*[\'"]?module'), 'type="module"'),
    (re.compile(r'\bnew\s+(Shared)?Worker\s*\('), 'new Worker'),
    (re.compile(r'\bXMLHttpRequest\b'), 'XMLHttpRequest'),
    (re.compile(r'\bWebAssembly\b'), 'WebAssembly'),
    (re.compile(r'\bimportScripts\s*\('), 'importScripts('),
    (re.compile(r'serviceWorker\s*\.\s*register'), 'serviceWorker.register'),
]


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.refs = []  # (tag, attr, value, attrs dict)
        self.inline_scripts = []
        self._in_script = False
        self._script = []
        self._script_attrs = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get('id'):
            self.ids.add(a['id'])
        if tag == 'a' and a.get('name'):
            self.ids.add(a['name'])
        for k, v in attrs:
            if v is None:
                continue
            if k in URL_ATTRS:
                self.refs.append((tag, k, v.strip(), a))
            elif k in ('srcset', 'imagesrcset'):
                for part in v.split(','):
                    url = part.strip().split()[0] if part.strip() else ''
                    if url:
                        self.refs.append((tag, k, url, a))
        if tag == 'script':
            self._in_script, self._script, self._script_attrs = True, [], a

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == 'script' and self._in_script:
            self._in_script = False
            if 'src' not in self._script_attrs:
                self.inline_scripts.append((self._script_attrs, ''.join(self._script)))

    def handle_data(self, data):
        if self._in_script:
            self._script.append(data)


def parse(path):
    p = Page()
    with open(path, encoding='utf-8') as f:
        p.feed(f.read())
    p.close()
    return p


def strip_comments(js):
    js = re.sub(r'/\*.*?\*/', '', js, flags=re.S)
    return re.sub(r'(^|[\s;{}(),])//[^\n]*', r'\1', js)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 64
    site = os.path.abspath(sys.argv[1])
    problems = collections.defaultdict(list)  # message -> [where]
    pages = {}
    html_files = []
    for d, _, names in os.walk(site):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), site).replace(os.sep, '/')
            if n.endswith('.html'):
                html_files.append(rel)
    html_files.sort()

    def page(rel):
        if rel not in pages:
            pages[rel] = parse(os.path.join(site, rel))
        return pages[rel]

    external = collections.Counter()
    checked = 0

    def check(source, tag, attr, value, attrs, base_dir, where, note=''):
        nonlocal checked

        def report(msg, w):
            problems[msg + note].append(w)
        checked += 1
        v = value
        low = v.lower()
        rel = (attrs.get('rel') or '').lower().split()
        loads = not (tag == 'a' or tag == 'area' or (tag == 'link' and not (set(rel) & LOADING_RELS))
                     or attr in ('cite', 'longdesc', 'action', 'formaction'))
        if low.startswith(('http://', 'https://', '//')):
            if loads:
                report(f'external resource loaded ({tag} {attr})', f'{where}: {v}')
            elif tag == 'link':
                external[urllib.parse.urlsplit(v).netloc or v] += 0  # canonical etc.: not counted as links
            else:
                external[urllib.parse.urlsplit(v if not v.startswith('//') else 'https:' + v).netloc] += 1
            return
        if low.startswith(('mailto:', 'tel:')):
            return
        if low.startswith('data:'):
            return
        if low.startswith('javascript:'):
            report('javascript: URL', f'{where}: {v}')
            return
        if re.match(r'^[a-z][a-z0-9+.-]*:', low):
            report('unexpected URL scheme', f'{where}: {v}')
            return
        if v.startswith('/'):
            report('root-absolute link (must be relative)', f'{where}: {v}')
            return
        parts = urllib.parse.urlsplit(v)
        path, frag = urllib.parse.unquote(parts.path), urllib.parse.unquote(parts.fragment)
        if not path:
            if parts.query:
                report('query-only link (names no file)', f'{where}: {v}')
                return
            target = source
        else:
            if path.endswith('/'):
                report('link ends with / (must name a file)', f'{where}: {v}')
                return
            target = posixpath.normpath(posixpath.join(base_dir, path))
            if target.startswith('../') or target == '..':
                report('link leaves the site', f'{where}: {v}')
                return
            full = os.path.join(site, target)
            if os.path.isdir(full):
                report('link names a folder (must name a file)', f'{where}: {v}')
                return
            if not os.path.isfile(full):
                report('link to a missing file', f'{where}: {v}')
                return
        if frag and frag != 'top' and '#' in v:
            if not target.endswith('.html'):
                report('fragment on a non-HTML file', f'{where}: {v}')
            elif frag not in page(target).ids:
                report('fragment names no id in the target page', f'{where}: {v}')

    for rel in html_files:
        p = page(rel)
        base_dir = posixpath.dirname(rel)
        for tag, attr, value, attrs in p.refs:
            check(rel, tag, attr, value, attrs, base_dir, rel)
        for attrs, code in p.inline_scripts:
            if (attrs.get('type') or '').lower() == 'module':
                problems['type="module" script'].append(rel)
            if (attrs.get('type') or 'text/javascript').lower() in ('text/javascript', 'module', 'application/javascript'):
                for rx, what in FORBIDDEN_JS:
                    # 404.html is only ever shown by a web server (for a missing address); its script finds
                    # the site's root with fetch() there and returns at once from file://.
                    if rel == '404.html' and what == 'fetch(':
                        continue
                    if rx.search(strip_comments(code)):
                        problems[f'inline script uses {what} (fails from file://)'].append(rel)
        for tag, attr, value, attrs in p.refs:
            if tag == 'script' and (attrs.get('type') or '').lower() == 'module':
                problems['type="module" script'].append(f'{rel}: {value}')

    # The levels' question lists and the quiz blocks they name; the answer HTML of every block,
    # resolved from quiz.html as quiz.js shows it.
    def data(path, pattern):
        text = open(path, encoding='utf-8').read()
        m = re.search(pattern, text, re.S)
        try:
            if m:
                return json.loads(m.group(1))
            problems[f'{os.path.relpath(path, site)} does not set a JSON value'].append(path)
        except ValueError as e:
            problems[f'{os.path.relpath(path, site)} is not JSON'].append(str(e))
        return None
    lists = sorted(glob.glob(os.path.join(site, 'assets', 'quiz', '*.js')))
    quiz_files = sorted(q for q in glob.glob(os.path.join(site, 'assets', 'quiz', '*', '*.js')) if not q.endswith('/ids.js'))
    quiz_note = 'no assets/quiz/<level>/<n>.js'
    blocks = {os.path.relpath(q, site).replace(os.sep, '/'): data(q, r'\]\s*=\s*(\[.*\])\s*;\s*$') or [] for q in quiz_files}
    items = [item for block in blocks.values() for item in block]
    for path in lists:
        level = data(path, r'\]\s*=\s*(\{.*\})\s*;\s*$') or {}
        ids, size = level.get('ids', []), level.get('blockSize', 1)
        for i, qid in enumerate(ids):
            block = (level.get('blocks') or [None])[min(i // size, len(level.get('blocks') or [None]) - 1)]
            if block not in blocks or qid not in {x.get('id') for x in blocks[block]}:
                problems['a question of a level list is not in the quiz block it names'].append(f'{os.path.basename(path)}: {qid} -> {block}')
        ids_file = os.path.join(site, 'assets', 'quiz', os.path.basename(path)[:-3], 'ids.js')
        if (data(ids_file, r'\]\s*=\s*(\{.*\})\s*;\s*$') if os.path.exists(ids_file) else {}).get('ids') != ids:
            problems['a level\'s ids.js (the home page) differs from its question list'].append(ids_file)
        for url in level.get('urls', []):
            check('quiz.html', 'a', 'href', url, {}, '', f'{os.path.basename(path)} url')
    for item in items:
        url = item.get('url', '')
        check('quiz.html', 'a', 'href', url, {}, '', f'quiz-data [{item.get("id")}] url')
        qp = Page()
        qp.feed(item.get('answerHtml', ''))
        qp.close()
        # quiz.js shows answerHtml inside quiz.html as it is: its links are relative to quiz.html.
        for tag, attr, value, attrs in qp.refs:
            check('quiz.html', tag, attr, value, attrs, '',
                  f'quiz-data [{item.get("id")}] answerHtml',
                  ' [quiz-data answerHtml, as shown inside quiz.html]')
    if quiz_files:
        quiz_note = f'{len(items)} quiz answers checked in {len(quiz_files)} blocks of {len(lists)} level lists'

    # Hand-written JavaScript (not the generated data files).
    js_files = []
    for d, _, names in os.walk(site):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), site).replace(os.sep, '/')
            if n.endswith(('.js', '.mjs')) and not DATA_FILES.match(rel):
                js_files.append(rel)
    for rel in sorted(js_files):
        code = strip_comments(open(os.path.join(site, rel), encoding='utf-8').read())
        for rx, what in FORBIDDEN_JS:
            for mm in rx.finditer(code):
                line = code.count('\n', 0, mm.start()) + 1
                problems[f'JavaScript uses {what} (fails from file://)'].append(f'{rel}: line ~{line} (comments stripped)')

    n_ext = sum(external.values())
    print(f'  {len(html_files)} HTML files, {checked} references checked, {quiz_note}, '
          f'{len(js_files)} JS files scanned ({", ".join(sorted(js_files))})')
    print(f'  external <a href> links (allowed): {n_ext}'
          + (' to ' + ', '.join(f'{h} ({c})' for h, c in external.most_common(8) if c) if n_ext else ''))
    total = 0
    for msg, where in sorted(problems.items()):
        total += len(where)
        print(f'  {msg}: {len(where)}')
        for w in where[:12]:
            print(f'      {w}')
        if len(where) > 12:
            print(f'      … and {len(where) - 12} more')
    if total:
        print(f'  {total} link problem(s)')
    return 1 if total else 0


if __name__ == '__main__':
    sys.exit(main())
