#!/usr/bin/env python3
"""Compare two built sites byte for byte, ignoring what is inside elements marked `data-measured`.

Usage: compare_sites.py EXPECTED_DIR ACTUAL_DIR
  EXPECTED_DIR: a fresh build of the committed sources; ACTUAL_DIR: the committed Site/.
Lists missing, extra and different files; exits 1 if there is any, 0 if the sites match.

Every machine- or moment-dependent value (timings, FPS, CPU model, dates) must sit inside an
element carrying the `data-measured` attribute: `<span data-measured="">12 ms</span>`. The contents of
such elements (and the attribute's value) are masked before comparing. HTML files are masked; JS
files are masked too when they contain `data-measured` (the quiz data embeds answer HTML in JSON
strings, where quotes appear as \\" and end tags as <\\/span>); everything else is compared raw.
"""
import difflib
import os
import re
import sys

START = re.compile(rb'<([A-Za-z][A-Za-z0-9-]*)\b[^>]*?\sdata-measured(?=[\s=>/\\])[^>]*>')
ATTR_VALUE = re.compile(rb'(\sdata-measured)=(\\?"[^"\\]*\\?"|\'[^\']*\'|[^\s>]+)')
MASK = b'\xe2\x80\xa6measured\xe2\x80\xa6'


def mask(data: bytes) -> bytes:
    out, pos = [], 0
    while True:
        m = START.search(data, pos)
        if not m:
            out.append(data[pos:])
            break
        tag = re.escape(m.group(1))
        out.append(data[pos:m.start()])
        out.append(ATTR_VALUE.sub(rb'\1=""', m.group(0)))
        # Find the matching end tag, counting nested elements of the same name.
        tokens = re.compile(rb'<(/|\\/)?' + tag + rb'(?=[\s>/\\])[^>]*>', re.I)
        depth, i, end = 1, m.end(), None
        for t in tokens.finditer(data, m.end()):
            if t.group(0).endswith(b'/>') and not t.group(1):
                continue
            depth += -1 if t.group(1) else 1
            if depth == 0:
                end = t
                break
        if end is None:  # void or unclosed element: mask nothing more
            pos = m.end()
            continue
        out.append(MASK)
        out.append(end.group(0))
        pos = end.end()
    return b''.join(out)


def files(root):
    result = set()
    for d, _, names in os.walk(root):
        for n in names:
            result.add(os.path.relpath(os.path.join(d, n), root))
    return result


def normalised(path):
    with open(path, 'rb') as f:
        data = f.read()
    if path.endswith(('.html', '.htm')) or (path.endswith('.js') and b'data-measured' in data):
        return mask(data)
    return data


def first_difference(a: bytes, b: bytes, name: str) -> str:
    la = a.decode('utf-8', 'replace').splitlines()
    lb = b.decode('utf-8', 'replace').splitlines()
    diff = list(difflib.unified_diff(la, lb, 'fresh/' + name, 'Site/' + name, n=1, lineterm=''))
    shown = [line if len(line) < 300 else line[:300] + ' …' for line in diff[:14]]
    more = f'\n      … ({len(diff) - 14} more diff lines)' if len(diff) > 14 else ''
    return '\n'.join('      ' + line for line in shown) + more


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 64
    fresh, committed = sys.argv[1], sys.argv[2]
    if not os.path.isdir(committed):
        print(f'  {committed}/ does not exist')
        return 1
    a, b = files(fresh), files(committed)
    missing = sorted(a - b)
    extra = sorted(b - a)
    different = []
    for name in sorted(a & b):
        x, y = normalised(os.path.join(fresh, name)), normalised(os.path.join(committed, name))
        if x != y:
            different.append((name, x, y))
    for name in missing:
        print(f'  missing from {committed}: {name}')
    for name in extra:
        print(f'  extra in {committed} (not built any more): {name}')
    for i, (name, x, y) in enumerate(different):
        print(f'  different: {name}')
        if i < 5:
            print(first_difference(x, y, name))
    total = len(missing) + len(extra) + len(different)
    print(f'  {len(a)} files built, {len(b)} committed: {len(missing)} missing, {len(extra)} extra, '
          f'{len(different)} different (after masking data-measured contents)')
    return 1 if total else 0


if __name__ == '__main__':
    sys.exit(main())
