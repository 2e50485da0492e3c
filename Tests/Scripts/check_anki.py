#!/usr/bin/env python3
"""Parses the Anki decks of a built site back (anki/<level>.txt and anki/all.txt) as Anki's text import
does: the `#key:value` header, then tab-separated, CSV-quoted fields. Checks one note per question with a
front, a back holding the 60-second answer, tags with the level, a unique GUID, no link into the site, and
that the whole-guide deck is the union of the level decks.

Usage: check_anki.py SITE_DIR    (exit 1 on any failure)
"""
import csv
import html.parser
import io
import pathlib
import re
import sys

REQUIRED_HEADER = {'separator': 'tab', 'html': 'true', 'notetype': 'Basic', 'tags column': '3', 'guid column': '4'}


def parse(path):
    text = path.read_text(encoding='utf-8')
    header, body = {}, []
    for line in text.splitlines(keepends=True):
        if line.startswith('#') and not body:
            key, _, value = line[1:].rstrip('\n').partition(':')
            header[key] = value
        else:
            body.append(line)
    rows = list(csv.reader(io.StringIO(''.join(body)), delimiter='\t', quotechar='"', strict=True))
    return header, rows


def questions(site):
    """Question ids per level, from the level pages' lists."""
    out = {}
    for page in sorted((site / 'levels').glob('*.html')):
        ids = re.findall(r'<li data-question-id="([^"]+)"', page.read_text(encoding='utf-8'))
        out[page.stem] = ids
    return out


def main():
    site = pathlib.Path(sys.argv[1])
    failures = []
    expected = questions(site)
    all_guids = []
    for level, ids in expected.items():
        path = site / 'anki' / f'{level}.txt'
        if not path.is_file():
            failures.append(f'{path} is missing')
            continue
        header, rows = parse(path)
        for k, v in REQUIRED_HEADER.items():
            if header.get(k) != v:
                failures.append(f'{path}: header #{k} is {header.get(k)!r}, expected {v!r}')
        if len(rows) != len(ids):
            failures.append(f'{path}: {len(rows)} notes for {len(ids)} questions')
        for row in rows:
            if len(row) != 4:
                failures.append(f'{path}: a note has {len(row)} fields, expected 4: {row[:1]}')
                continue
            front, back, tags, guid = row
            if not front.strip() or len(back) < 80:
                failures.append(f'{path}: {guid}: empty front or back')
            if 'href=' in back or '</a>' in back:
                failures.append(f'{path}: {guid}: the back links into the site')
            if f'level::{level}' not in tags.split():
                failures.append(f'{path}: {guid}: tags {tags!r} lack level::{level}')
            parser = html.parser.HTMLParser()
            parser.feed(back)
            all_guids.append(guid)
        print(f'  {path.name}: {len(rows)} notes')
    if len(set(all_guids)) != len(all_guids):
        failures.append('GUIDs are not unique')
    header, rows = parse(site / 'anki' / 'all.txt')
    if sorted(r[3] for r in rows) != sorted(all_guids):
        failures.append('anki/all.txt is not the union of the level decks')
    print(f'  all.txt: {len(rows)} notes')
    for f in failures:
        print('  FAIL', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
