#!/usr/bin/env python3
"""Browser tests of the built site, opened from file:// in headless Chromium (selenium).

Usage: browser_tests.py SITE_DIR [GROUP ...]
Groups: home search answer marks quiz console startup axe reader figures (default: all). Prints one PASS/FAIL line per
assertion and `GROUP: PASS|FAIL` per group; exits 1 if any group failed.
Chromium always runs with --proxy-server=127.0.0.1:9 so nothing can leave the machine.
"""
import html.parser
import json
import os
import pathlib
import posixpath
import re
import shutil
import sys
import time
import traceback

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

SEARCHES = [  # query, a page that must be among the top 3 results
    ('nms', 'questions/mid/nms.html'),
    ('segmentaton', 'questions/mid/detection-vs-segmentation.html'),
    ('quantisation', 'questions/senior/quantization.html'),
    ('map%20coco', 'questions/mid/map.html'),
    ('overfit', 'questions/junior/overfitting.html'),
    ('iou', 'questions/junior/iou.html'),
]
QUESTION = 'questions/junior/iou.html'
AXE_PAGES = ['index.html', 'levels/junior.html', QUESTION, 'snippets/iou.html', 'search.html?q=nms', 'questions/mid/map.html',
             'authoring.html', 'questions/mid/class-imbalance.html',
             'quiz.html', 'print/junior.html', 'tags/index.html', 'use-case/senior.html']

# One page of each kind, for the start-up loads check.
STARTUP_PAGES = ['index.html', 'levels/junior.html', QUESTION, 'use-case/index.html', 'use-case/senior.html', 'tips.html',
                 'tags/index.html', 'tags/detection.html', 'snippets/index.html', 'snippets/iou.html', 'search.html',
                 'search.html?q=nms', 'quiz.html', 'print/junior.html', '404.html']
# Generated data, which the page weight does not count: the search index (and its chunk files), the quiz data
# (the levels' question lists and the quiz blocks quiz.html loads when it shows a question).
DATA_FILES = re.compile(r'^assets/(search-index[^/]*\.js|search/.*|quiz/.*\.js)$')


class Failed(Exception):
    pass


class Group:
    def __init__(self, name):
        self.name, self.failures = name, 0

    def check(self, ok, what, detail=''):
        print(f'    {"ok  " if ok else "FAIL"} {what}' + (f': {detail}' if detail and not ok else ''), flush=True)
        if not ok:
            self.failures += 1
        return ok


def chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        if shutil.which(name):
            return shutil.which(name)
    raise Failed('chromium is not installed: apt install chromium chromium-driver (make test-deps)')


def make_driver(js=True, network=False):
    """A headless Chromium; with network, its DevTools network events are logged ('performance' log)."""
    o = webdriver.ChromeOptions()
    o.binary_location = chromium()
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--proxy-server=127.0.0.1:9',
              '--window-size=1280,900', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions',
              '--disable-background-networking', '--disable-component-update', '--disable-sync',
              '--disable-default-apps', '--lang=en-US'):
        o.add_argument(a)
    if not js:
        o.add_experimental_option('prefs', {'profile.managed_default_content_settings.javascript': 2})
    o.set_capability('goog:loggingPrefs', {'browser': 'ALL', **({'performance': 'ALL'} if network else {})})
    driver_path = shutil.which('chromedriver')
    if not driver_path:
        raise Failed('chromedriver is not installed: apt install chromium-driver (make test-deps)')
    d = webdriver.Chrome(options=o, service=Service(driver_path))
    d.set_page_load_timeout(60)
    d.set_script_timeout(90)
    return d


class Site:
    def __init__(self, root):
        self.root = pathlib.Path(root).resolve()

    def url(self, rel):
        path, _, query = rel.partition('?')
        return (self.root / path).as_uri() + (f'?{query}' if query else '')

    def rel(self, url):
        """The site-relative path of a file:// URL, without query and fragment."""
        base = self.root.as_uri() + '/'
        u = url.split('#')[0].split('?')[0]
        return u[len(base):] if u.startswith(base) else u


def wait(driver, cond, timeout=15, what='condition'):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: cond(d))
    except TimeoutException:
        return None


def loaded(driver):
    wait(driver, lambda d: d.execute_script('return document.readyState') == 'complete', 30)


# ---------------------------------------------------------------- groups

def test_home(site, g):
    d = make_driver()
    try:
        d.get(site.url('index.html'))
        loaded(d)
        g.check(d.title.strip() != '', 'index.html loads with a title', repr(d.title))
        g.check(len(d.find_elements(By.CSS_SELECTOR, 'input[type=search]')) >= 1, 'index.html has an input[type=search]')
        links = [(a.text.strip(), a.get_attribute('href')) for a in d.find_elements(By.CSS_SELECTOR, 'main a[href]')
                 if site.rel(a.get_attribute('href')).startswith('levels/')]
        levels = list(dict.fromkeys(href for _, href in links))
        g.check(len(levels) >= 3, 'the home page links to the level pages', f'found {levels}')
        for href in levels:
            d.get(site.url('index.html'))
            loaded(d)
            a = next((a for a in d.find_elements(By.CSS_SELECTOR, 'main a[href]') if a.get_attribute('href') == href), None)
            if not g.check(a is not None, f'link to {site.rel(href)} present'):
                continue
            d.execute_script('arguments[0].scrollIntoView({block: "center"})', a)
            a.click()
            ok = wait(d, lambda d: site.rel(d.current_url) == site.rel(href), 15)
            loaded(d)
            h1 = d.find_elements(By.TAG_NAME, 'h1')
            g.check(bool(ok) and bool(h1) and 'ERR_' not in d.page_source[:2000],
                    f'clicking the level link navigates to {site.rel(href)}', f'at {d.current_url}')
            g.check(len(d.find_elements(By.CSS_SELECTOR, 'li[data-question-id] a[href]')) > 0,
                    f'{site.rel(href)} lists its questions (li[data-question-id] a)')
        # random.html lists no question: it opens one picked from the levels' question lists.
        g.check(not re.search(r'href="questions/', (site.root / 'random.html').read_text(encoding='utf-8')),
                'random.html carries no list of questions')
        d.get(site.url('random.html'))
        ok = wait(d, lambda d: site.rel(d.current_url).startswith('questions/'), 10)
        g.check(bool(ok), 'random.html opens a question page', d.current_url)
    finally:
        d.quit()


def test_search(site, g):
    d = make_driver()
    try:
        for q, expected in SEARCHES:
            d.get(site.url(f'search.html?q={q}'))
            loaded(d)
            wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, '#search-results a'), 15)
            hrefs = [a.get_attribute('href') for a in d.find_elements(By.CSS_SELECTOR, '#search-results a')]
            top = [site.rel(h) for h in hrefs[:3]]
            g.check(bool(hrefs), f'search.html?q={q} fills #search-results with <a> elements',
                    'no results; status: ' + ' '.join(e.text for e in d.find_elements(By.ID, 'search-status')))
            if hrefs:
                g.check(expected in top, f'q={q}: {expected} in the top 3', f'top 3: {top}')
        # The header box on another page: typing shows suggestions (search-index.js loaded lazily).
        d.get(site.url('index.html'))
        loaded(d)
        box = d.find_element(By.CSS_SELECTOR, 'input[type=search]')
        box.click()
        box.send_keys('nms')
        ok = wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, '#search-dropdown:not([hidden]) [role=option], #search-dropdown:not([hidden]) a'), 10)
        g.check(bool(ok), 'typing in the header search box shows suggestions in #search-dropdown')
        box.send_keys(Keys.ESCAPE, Keys.ESCAPE)
        box.send_keys('iou', Keys.ENTER)
        ok = wait(d, lambda d: site.rel(d.current_url).endswith('.html') and site.rel(d.current_url) != 'index.html', 10)
        g.check(bool(ok), 'Enter in the header search box leaves the home page (search page or a result)', d.current_url)
    finally:
        d.quit()


def test_answer(site, g):
    for js in (True, False):
        label = 'JavaScript on' if js else 'JavaScript off'
        d = make_driver(js)
        try:
            d.get(site.url(QUESTION))
            loaded(d)
            if not js:
                marks = d.find_elements(By.CSS_SELECTOR, 'button[data-mark]')
                g.check(all(not b.is_displayed() for b in marks), f'{label}: JS really off (mark buttons stay hidden)')
            det = d.find_elements(By.CSS_SELECTOR, 'details.answer')
            if not g.check(len(det) == 1, f'{label}: {QUESTION} has one details.answer', f'found {len(det)}'):
                continue
            det = det[0]
            g.check(det.get_attribute('open') is None, f'{label}: the answer is closed at load')
            body = det.find_elements(By.CSS_SELECTOR, '.answer-body')
            g.check(bool(body) and not body[0].is_displayed(), f'{label}: the answer body is not visible at load')
            summary = det.find_element(By.TAG_NAME, 'summary')
            d.execute_script('arguments[0].scrollIntoView({block: "center"})', summary)
            summary.click()
            wait(d, lambda d: det.get_attribute('open') is not None, 5)
            g.check(det.get_attribute('open') is not None, f'{label}: clicking the summary opens it')
            g.check(bool(body) and body[0].is_displayed() and body[0].text.strip() != '',
                    f'{label}: the answer text is visible after the click')
            summary.click()
            wait(d, lambda d: det.get_attribute('open') is None, 5)
            g.check(det.get_attribute('open') is None, f'{label}: clicking again closes it')
        finally:
            d.quit()


def test_marks(site, g):
    d = make_driver()
    try:
        d.get(site.url(QUESTION))
        loaded(d)
        art = d.find_element(By.CSS_SELECTOR, 'article[data-question-id]')
        level = art.get_attribute('data-level')
        btn = wait(d, lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, 'button[data-mark="known"]') if b.is_displayed()], 10)
        if not g.check(bool(btn), 'button[data-mark="known"] is visible with JavaScript on'):
            return
        d.execute_script('arguments[0].scrollIntoView({block: "center"})', btn[0])
        btn[0].click()
        g.check(bool(wait(d, lambda d: d.find_element(By.CSS_SELECTOR, 'button[data-mark="known"]').get_attribute('aria-pressed') == 'true', 5)),
                'after the click the button is pressed (aria-pressed="true")')
        d.refresh()
        loaded(d)
        ok = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, 'button[data-mark="known"]').get_attribute('aria-pressed') == 'true', 5)
        g.check(bool(ok), 'the mark persists after a reload (localStorage from file://)',
                'aria-pressed=' + str(d.find_element(By.CSS_SELECTOR, 'button[data-mark="known"]').get_attribute('aria-pressed')))
        status = d.find_elements(By.CSS_SELECTOR, '[data-mark-status]')
        g.check(bool(status) and status[0].text.strip() != '', 'the mark status text is shown', status[0].text if status else '')
        for page in (f'levels/{level}.html', 'index.html'):
            d.get(site.url(page))
            loaded(d)
            sel = f'[data-progress-level="{level}"]'
            el = wait(d, lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, sel) if e.is_displayed()], 5)
            if not g.check(bool(el), f'{page}: {sel} is shown'):
                continue
            total = el[0].get_attribute('data-progress-total')
            g.check(f'1/{total}' in el[0].text, f'{page}: progress shows 1/{total}', repr(el[0].text))
        d.get(site.url(QUESTION))
        loaded(d)
        art_id = d.find_element(By.CSS_SELECTOR, 'article[data-question-id]').get_attribute('data-question-id')
        d.get(site.url(f'levels/{level}.html'))
        loaded(d)
        li = d.find_elements(By.CSS_SELECTOR, f'li[data-question-id="{art_id}"]')
        g.check(bool(li) and bool(li[0].find_elements(By.CSS_SELECTOR, '.mark-badge, [class*=known]')),
                f'levels/{level}.html: the question\'s list item shows its mark')
    finally:
        d.quit()


def test_quiz(site, g):
    d = make_driver()
    try:
        d.get(site.url('quiz.html'))
        loaded(d)
        ok = wait(d, lambda d: d.find_element(By.ID, 'quiz-setup').is_displayed(), 10)
        if not g.check(bool(ok), 'quiz.html: the quiz setup form (#quiz-setup) is shown with JavaScript on'):
            return
        levels = d.find_elements(By.CSS_SELECTOR, '#quiz-setup input[name=level]')
        if not g.check(len(levels) >= 2, 'the quiz offers level checkboxes'):
            return
        chosen = levels[0].get_attribute('value')
        for box in levels:
            if box.is_selected() != (box is levels[0]):
                d.execute_script('arguments[0].scrollIntoView({block: "center"})', box)
                box.click()
        start = d.find_element(By.CSS_SELECTOR, '#quiz-setup button[type=submit]')
        d.execute_script('arguments[0].scrollIntoView({block: "center"})', start)
        start.click()
        title = wait(d, lambda d: d.find_element(By.ID, 'quiz-card').is_displayed()
                     and d.find_element(By.ID, 'quiz-title').text.strip() not in ('', 'Question')
                     and d.find_element(By.ID, 'quiz-title').text.strip(), 10)
        if not g.check(bool(title), f'choosing the level "{chosen}" and starting draws a question'):
            return
        meta = d.find_element(By.ID, 'quiz-meta').text
        g.check(bool(meta), 'the card says the level and how many questions remain', repr(meta))
        ActionChains(d).send_keys(Keys.SPACE).perform()
        ans = wait(d, lambda d: d.find_element(By.ID, 'quiz-answer').is_displayed()
                   and d.find_element(By.ID, 'quiz-answer').text.strip(), 5)
        g.check(bool(ans), 'Space reveals the answer')
        hrefs = [a.get_attribute('href') for a in d.find_elements(By.CSS_SELECTOR, '#quiz-answer a[href]')]
        broken = [h for h in hrefs if h.startswith('file:') and not (site.root / site.rel(h)).is_file()]
        g.check(not broken, f'the {len(hrefs)} link(s) in the revealed answer name existing files', f'broken: {broken[:5]}')
        ActionChains(d).send_keys('2').perform()
        res = wait(d, lambda d: d.find_element(By.ID, 'quiz-result').text.strip(), 5)
        g.check(bool(res), '2 marks it "review again"', 'no #quiz-result text')
        seen = []
        for _ in range(6):
            ActionChains(d).send_keys('n').perform()
            time.sleep(0.3)
            if not d.find_element(By.ID, 'quiz-card').is_displayed():
                break
            seen.append(d.find_element(By.ID, 'quiz-title').text.strip())
            if seen[-1] == title:
                break
        g.check(title in seen, f'"review again" re-queues it: it comes back within {len(seen)} draws', f'draws: {seen}')
        stored = d.execute_script('try { return JSON.stringify(Object.keys(localStorage)); } catch (e) { return String(e); }')
        g.check('[]' != stored, 'the quiz mark is stored in localStorage', stored)
    finally:
        d.quit()


def test_console(site, g):
    """No JavaScript errors or failed loads on the main pages."""
    d = make_driver()
    try:
        for page in ['index.html', 'levels/junior.html', QUESTION, 'snippets/iou.html', 'search.html?q=nms',
                     'quiz.html', 'tags/index.html', 'print/all.html', '404.html']:
            d.get(site.url(page))
            loaded(d)
            time.sleep(0.3)
            box = d.find_elements(By.CSS_SELECTOR, 'input[type=search]')
            if box:
                try:
                    box[0].click()
                    box[0].send_keys('x')
                    time.sleep(0.3)
                except Exception:
                    pass
            logs = [e for e in d.get_log('browser') if e.get('level') == 'SEVERE']
            g.check(not logs, f'{page}: no console errors', '; '.join(e['message'][:200] for e in logs[:5]))
    finally:
        d.quit()


class LinkedFiles(html.parser.HTMLParser):
    """The local stylesheets and scripts a page's HTML links: what page_weight.py counts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'link' and 'stylesheet' in (a.get('rel') or '').lower().split() and a.get('href'):
            self.refs.append(a['href'])
        elif tag == 'script' and a.get('src'):
            self.refs.append(a['src'])


def test_startup(site, g):
    """Every stylesheet and script a page loads at start-up is linked from its HTML, so that the page
    weight check (page_weight.py, which reads the HTML) counts it; and every file it links is seen
    loading, so that the check is not blind. The loads are DevTools network events (the Resource
    Timing API does not list file:// loads)."""
    d = make_driver(network=True)
    try:
        for page in STARTUP_PAGES:
            path = page.partition('?')[0]
            parser = LinkedFiles()
            parser.feed((site.root / path).read_text(encoding='utf-8'))
            linked = {posixpath.normpath(posixpath.join(posixpath.dirname(path), ref.split('?')[0].split('#')[0]))
                      for ref in parser.refs if ':' not in ref and not ref.startswith('/')}
            d.get_log('performance')  # drop the events of the previous page
            d.get(site.url(page))
            loaded(d)
            if '?q=' in page:
                wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, '#search-results a'), 10)
            time.sleep(0.5)
            events = [json.loads(e['message'])['message'] for e in d.get_log('performance')]
            urls = [e['params']['request']['url'] for e in events if e['method'] == 'Network.requestWillBeSent']
            seen = {site.rel(u) for u in urls if u.startswith('file:')}
            seen = {f for f in seen if f.endswith(('.js', '.css'))}
            extra = sorted(f for f in seen - linked if not DATA_FILES.match(f))
            unseen = sorted(linked - seen)
            g.check(not extra and not unseen, f'{page}: loads at start-up the {len(linked)} CSS and JS files it links, no other',
                    f'loaded but not linked: {extra}; linked but not seen loading: {unseen}')
    finally:
        d.quit()


def axe_source():
    try:
        import axe_playwright_python
    except ImportError:
        raise Failed('axe-playwright-python is not installed: pip install --no-deps axe-playwright-python (make test-deps)')
    path = os.path.join(os.path.dirname(axe_playwright_python.__file__), 'axe.min.js')
    with open(path, encoding='utf-8') as f:
        return f.read()


def test_axe(site, g):
    src = axe_source()
    d = make_driver()
    try:
        for scheme in ('light', 'dark'):
            d.execute_cdp_cmd('Emulation.setEmulatedMedia',
                              {'features': [{'name': 'prefers-color-scheme', 'value': scheme}]})
            for page in AXE_PAGES:
                d.get(site.url(page))
                loaded(d)
                if page.startswith('search.html'):
                    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, '#search-results a'), 10)
                matches = d.execute_script(f"return matchMedia('(prefers-color-scheme: {scheme})').matches")
                # Open every <details> so the answers are checked too (contrast of code, tables...).
                d.execute_script("document.querySelectorAll('details').forEach(x => x.open = true)")
                time.sleep(0.2)
                d.execute_script(src)
                raw = d.execute_async_script("""
                    const done = arguments[arguments.length - 1];
                    axe.run(document, {resultTypes: ['violations']})
                       .then(r => done(JSON.stringify({v: r.violations, version: axe.version})))
                       .catch(e => done(JSON.stringify({error: String(e)})));""")
                r = json.loads(raw)
                if 'error' in r:
                    g.check(False, f'axe on {page} ({scheme})', r['error'])
                    continue
                bad = [v for v in r['v'] if v.get('impact') in ('serious', 'critical')]
                minor = [v for v in r['v'] if v.get('impact') not in ('serious', 'critical')]
                bg = d.execute_script('return getComputedStyle(document.body).backgroundColor')
                g.check(not bad and matches, f'axe {r["version"]} on {page} ({scheme}, body {bg}): '
                        f'no serious/critical violations' + (f' ({len(minor)} minor/moderate)' if minor else ''),
                        'prefers-color-scheme emulation did not apply' if not matches else f'{len(bad)} violation(s)')
                for v in bad + minor:
                    targets = [', '.join(map(str, n.get('target', []))) for n in v.get('nodes', [])]
                    extra = ''
                    if v['id'] == 'color-contrast':
                        extra = ' | ' + '; '.join(
                            (n.get('any') or [{}])[0].get('message', '')[:160] for n in v['nodes'][:3])
                    print(f'         {v.get("impact")}: {v["id"]} ({len(targets)} node(s)): '
                          + ' ; '.join(targets[:6]) + (' …' if len(targets) > 6 else '') + extra)
    finally:
        d.quit()


def phone_driver():
    d = make_driver()
    d.set_window_size(390, 844)
    return d


def top_pages(d, site, q, n=3):
    d.get(site.url(f'search.html?q={q}'))
    loaded(d)
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, '#search-results a'), 15)
    return [site.rel(a.get_attribute('href')) for a in d.find_elements(By.CSS_SELECTOR, '#search-results a')][:n]


def test_reader(site, g):
    """Issue 16: what a reader expects of mdBook / MkDocs Material, on a desktop and a phone."""
    d = phone_driver()
    try:
        # 1. The phone's contents: in the first screen, folded, and a way back to the top.
        d.get(site.url('use-case/mid.html'))
        loaded(d)
        toc = d.find_elements(By.CSS_SELECTOR, 'nav.toc')
        if g.check(bool(toc), 'use-case/mid.html has "On this page"'):
            top = d.execute_script('return arguments[0].getBoundingClientRect().top + scrollY', toc[0])
            g.check(top < 844, 'at 390x844 "On this page" starts in the first screen', f'top at {top:.0f} px')
            summary = toc[0].find_element(By.TAG_NAME, 'summary')
            summary.click()
            links = [a for a in toc[0].find_elements(By.TAG_NAME, 'a') if a.is_displayed()]
            g.check(len(links) >= 3, 'tapping it unfolds the section links', f'{len(links)} visible')
        back = d.find_elements(By.CSS_SELECTOR, '.to-top a[href="#main"]')
        g.check(bool(back), 'a "Back to top" link ends the page')
        # 4. The quiz on a phone: grading reachable without scrolling; the 60-second answer first.
        d.get(site.url('quiz.html'))
        loaded(d)
        start = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, '#quiz-setup button[type=submit]'), 10)
        d.execute_script('arguments[0].click()', start)
        wait(d, lambda d: d.find_element(By.ID, 'quiz-reveal').is_displayed(), 10)
        d.execute_script('arguments[0].click()', d.find_element(By.ID, 'quiz-reveal'))
        known = wait(d, lambda d: d.find_element(By.ID, 'quiz-known').is_displayed() and d.find_element(By.ID, 'quiz-known'), 5)
        if g.check(bool(known), 'the quiz reveals the answer and shows "I knew it"'):
            r = d.execute_script('const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, innerHeight]', known)
            g.check(r[0] >= 0 and r[1] <= r[2], 'at 390x844 "I knew it" is on screen right after the reveal', f'rect {r}')
            rest = d.find_elements(By.ID, 'quiz-rest')
            g.check(bool(rest) and not rest[0].is_displayed(), 'only the 60-second answer is shown at first')
            d.execute_script('arguments[0].click()', d.find_element(By.ID, 'quiz-more'))
            g.check(rest and rest[0].is_displayed(), '"Show the full answer" shows the rest')
            keys = d.find_elements(By.CSS_SELECTOR, '.quiz-keys')
            g.check(not keys or keys[0].is_displayed() == d.execute_script('return matchMedia("(hover: hover)").matches'),
                    'keyboard hints are hidden where there is no hover (touch screens)')
    finally:
        d.quit()

    d = make_driver()
    try:
        # 2. Synonyms that are nowhere in the text, 3. ranking.
        for q, page in [('batchnorm', 'questions/junior/batch-norm.html'), ('kd', 'questions/senior/pruning-distillation.html')]:
            top = top_pages(d, site, q)
            g.check(page in top, f'q={q} (a declared synonym) finds {page}', f'top 3: {top}')
        top = top_pages(d, site, 'ood', 5)
        g.check(bool(top), 'q=ood returns results', 'no results')
        top = top_pages(d, site, 'transformer', 3)
        g.check(not any('augmentation' in t for t in top), 'q=transformer does not rank augmentation pages in the top 3', f'top 3: {top}')
        top = top_pages(d, site, 'yolo', 2)
        g.check('questions/mid/one-vs-two-stage.html' in top, 'q=yolo ranks the one- vs two-stage question in the top 2', f'top 2: {top}')
        for q in ['iou', 'nms', 'anchor%20boxes', 'soft%20nms']:
            top = top_pages(d, site, q, 8)
            g.check('authoring.html' not in top, f'q={q}: the teachers\' authoring page is not in the top 8', f'top 8: {top}')
        # Landing on a result inside a closed answer opens it and marks the words searched.
        d.get(site.url('search.html?q=soft%20nms%20gaussian'))
        loaded(d)
        link = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, '#search-results a'), 15)
        href = link.get_attribute('href')
        link.click()
        loaded(d)
        time.sleep(0.3)
        opened = d.execute_script('const d = document.querySelector("details.answer"); return d ? d.open : null')
        marks = d.find_elements(By.CSS_SELECTOR, 'mark.search-hit')
        g.check(opened is not False, 'landing on a result inside a closed answer opens it', href)
        g.check(len(marks) > 0 and any(m.is_displayed() for m in marks), 'the searched words are highlighted on the page', href)
        # 5. No stray badge after unmarked questions.
        d.execute_script('localStorage.clear()')
        d.get(site.url('levels/junior.html'))
        loaded(d)
        visible = [b for b in d.find_elements(By.CSS_SELECTOR, '.question-list .mark-badge') if b.is_displayed()]
        g.check(not visible, 'no badge after unmarked questions in a level list', f'{len(visible)} visible')
        # 7. One list of related links, none repeated.
        d.get(site.url('questions/mid/nms.html'))
        loaded(d)
        links = 'a[href]:not(.heading-anchor):not([href^="#"])'
        hrefs = [site.rel(a.get_attribute('href')) for a in d.find_elements(By.CSS_SELECTOR, f'section.related {links}')]
        d.execute_script('document.querySelector("details.answer").open = true')
        body = {site.rel(a.get_attribute('href')) for a in d.find_elements(By.CSS_SELECTOR, f'.answer-body {links}')}
        dup = [h for h in hrefs if h in body or hrefs.count(h) > 1]
        g.check(not dup, 'the NMS page lists no link twice (body lists and generated lists)', f'repeated: {dup}')
        # 8. "Show all answers" applies to this page only.
        d.get(site.url(QUESTION))
        loaded(d)
        box = d.find_element(By.CSS_SELECTOR, '[data-setting=show-answers]')
        box.click()
        d.get(site.url('questions/junior/cnn.html'))
        loaded(d)
        g.check(d.execute_script('return document.querySelector("details.answer").open') is False,
                '"Show all answers" on one page does not open the answers of the next page')
        label = d.find_element(By.CSS_SELECTOR, '.theme-toggle').text
        g.check('Theme' in label and ('Auto' in label or 'Light' in label or 'Dark' in label), 'the theme button says what it is', label)
        # Permalinks and copy buttons work by keyboard.
        d.get(site.url('questions/mid/nms.html'))
        loaded(d)
        d.execute_script('document.querySelector("details.answer").open = true')
        anchor = d.find_elements(By.CSS_SELECTOR, 'h2 .heading-anchor')
        if g.check(bool(anchor), 'section headings have a permalink'):
            d.execute_script('arguments[0].focus()', anchor[0])
            op = d.execute_script('return getComputedStyle(arguments[0]).opacity', anchor[0])
            g.check(op == '1', 'a permalink is visible when focused by keyboard', f'opacity {op}')
            anchor[0].send_keys(Keys.ENTER)
            time.sleep(0.2)
            g.check('#' in d.current_url, 'Enter on a permalink puts the section in the address', d.current_url)
        copy = d.find_elements(By.CSS_SELECTOR, 'button.copy-code')
        if g.check(bool(copy), 'code blocks have a copy button'):
            d.execute_script('arguments[0].focus()', copy[0])
            copy[0].send_keys(Keys.ENTER)
            changed = wait(d, lambda d: copy[0].text != 'Copy', 3)
            g.check(bool(changed), 'Enter on the copy button copies (its label changes)', copy[0].text)
        # Keys: → goes to the next question, ? opens the help.
        d.get(site.url(QUESTION))
        loaded(d)
        nxt = d.find_elements(By.CSS_SELECTOR, '.pager a[rel=next]')
        ActionChains(d).send_keys('?').perform()
        g.check(bool(wait(d, lambda d: d.execute_script('const h = document.querySelector("dialog.key-help"); return h && h.open'), 3)),
                '? opens the keyboard help')
        ActionChains(d).send_keys(Keys.ESCAPE).perform()
        g.check(bool(wait(d, lambda d: d.execute_script('return !document.querySelector("dialog.key-help").open'), 3)),
                'Esc closes the keyboard help')
        if nxt:
            target = site.rel(nxt[0].get_attribute('href'))
            ActionChains(d).send_keys(Keys.ARROW_RIGHT).perform()
            g.check(bool(wait(d, lambda d: site.rel(d.current_url) == target, 5)), '→ opens the next question', d.current_url)
        # 9. noindex on pages with no content of their own; Open Graph tags.
        for page in ['search.html', 'random.html']:
            text = (site.root / page).read_text(encoding='utf-8')
            g.check('<meta name="robots" content="noindex">' in text, f'{page} is marked noindex')
        text = (site.root / QUESTION).read_text(encoding='utf-8')
        g.check('property="og:title"' in text and 'property="og:description"' in text, 'pages carry Open Graph tags')
    finally:
        d.quit()
    test_404_deep(site, g)


def test_404_deep(site, g):
    """404.html served by a static host for a deep missing address under a sub-path: styled, links work."""
    import http.server
    import socketserver
    import tempfile
    import threading
    with tempfile.TemporaryDirectory() as tmp:
        host_root = pathlib.Path(tmp)
        os.symlink(site.root, host_root / 'cv-guide')
        not_found = (site.root / '404.html').read_bytes()

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **k):
                super().__init__(*a, directory=str(host_root), **k)

            def log_message(self, *a):
                pass

            def send_error(self, code, message=None, explain=None):
                if code != 404:
                    return super().send_error(code, message, explain)
                self.send_response(404)
                self.send_header('Content-Type', 'text/html; charset=utf-8')
                self.send_header('Content-Length', str(len(not_found)))
                self.end_headers()
                if self.command != 'HEAD':
                    self.wfile.write(not_found)

        server = socketserver.TCPServer(('127.0.0.1', 0), Handler)
        port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        d = make_driver()
        try:
            d.get(f'http://127.0.0.1:{port}/cv-guide/questions/junior/no/such/page.html')
            loaded(d)
            root = wait(d, lambda d: d.execute_script('return document.documentElement.dataset.siteRoot'), 10)
            g.check(root == '/cv-guide/', '404 at a deep path finds the site root', repr(root))
            font = d.execute_script('return getComputedStyle(document.body).fontFamily')
            g.check('system-ui' in font, '404 at a deep path is styled', font)
            home = d.find_element(By.LINK_TEXT, 'Home page')
            home.click()
            loaded(d)
            g.check(d.current_url.endswith('/cv-guide/index.html') and 'Page not found' not in d.title,
                    'its "Home page" link opens the guide\'s home', d.current_url)
        finally:
            d.quit()
            server.shutdown()
            server.server_close()


def figure_pages(site):
    """Content pages (not snippet or print pages) that inline a figure, from the built HTML."""
    out = []
    for path in sorted(site.root.rglob('*.html')):
        rel = path.relative_to(site.root).as_posix()
        if rel.startswith(('snippets/', 'print/')):
            continue
        if '<figure class="figure"' in path.read_text(encoding='utf-8'):
            out.append(rel)
    return out


def test_figures(site, g):
    """Issue 14: every figure renders with a size in light and dark, from file://, without console errors;
    a figure page's whole weight stays under 150 KB; tables and math render."""
    pages = figure_pages(site)
    count = sum((site.root / p).read_text(encoding='utf-8').count('<figure class="figure"') for p in pages)
    g.check(count >= 12, f'at least 12 figures are embedded in question, level or use-case pages', f'{count} in {pages}')
    d = make_driver()
    try:
        for rel in pages:
            for theme in ('light', 'dark'):
                d.get(site.url(rel))
                loaded(d)
                d.execute_script(f'document.documentElement.dataset.theme = "{theme}";'
                                 'for (const x of document.querySelectorAll("details")) x.open = true;')
                sizes = d.execute_script('return [...document.querySelectorAll("figure.figure svg")].map(s => {'
                                         ' const r = s.getBoundingClientRect(); return [r.width, r.height, s.getAttribute("aria-label") || ""]; })')
                bad = [x for x in sizes if x[0] < 50 or x[1] < 50 or not x[2].strip()]
                g.check(sizes and not bad, f'{rel} ({theme}): {len(sizes)} figure(s) render with a size and a label', f'{bad}')
                fg = d.execute_script('const t = document.querySelector("figure.figure svg text");'
                                      'return t ? getComputedStyle(t).fill : "";')
                bg = d.execute_script('return getComputedStyle(document.body).backgroundColor')
                g.check(fg and fg != bg, f'{rel} ({theme}): figure text is not drawn in the background colour', f'{fg} on {bg}')
            errors = [e['message'] for e in d.get_log('browser') if e.get('level') == 'SEVERE']
            g.check(not errors, f'{rel}: no console error', '; '.join(errors[:3]))
            total = (site.root / rel).stat().st_size
            html_text = (site.root / rel).read_text(encoding='utf-8')
            for ref in set(re.findall(r'(?:href|src)="([^"#?]+\.(?:css|js))"', html_text)):
                f = (site.root / posixpath.normpath(posixpath.join(posixpath.dirname(rel), ref)))
                if f.is_file() and not DATA_FILES.match(f.relative_to(site.root).as_posix()):
                    total += f.stat().st_size
            g.check(total < 150 * 1024, f'{rel}: the page with its CSS and JS weighs {total / 1024:.0f} KB (< 150 KB)')
        # Tables and math on the authoring page (it shows one of each).
        d.get(site.url('authoring.html'))
        loaded(d)
        tables = d.find_elements(By.CSS_SELECTOR, '.table-scroll table th[scope=col]')
        maths = d.execute_script('return [...document.querySelectorAll("math")].map(m => m.getBoundingClientRect().width)')
        g.check(bool(tables), 'authoring.html renders a table with column headers')
        g.check(bool(maths) and all(w > 0 for w in maths), 'authoring.html renders its math as MathML with a size', f'{maths[:5]}')
        callouts = d.find_elements(By.CSS_SELECTOR, 'aside.callout[aria-label]')
        g.check(bool(callouts), 'authoring.html renders a callout with an accessible label')
    finally:
        d.quit()


GROUPS = {'home': test_home, 'search': test_search, 'answer': test_answer, 'marks': test_marks,
          'quiz': test_quiz, 'console': test_console, 'startup': test_startup, 'axe': test_axe,
          'reader': test_reader, 'figures': test_figures}


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 64
    site = Site(sys.argv[1])
    names = sys.argv[2:] or list(GROUPS)
    failed = 0
    for name in names:
        g = Group(name)
        t = time.time()
        try:
            GROUPS[name](site, g)
        except Failed as e:
            g.check(False, name, str(e))
        except Exception as e:  # a crash is a failure of the group, with the trace
            g.check(False, f'{name} raised {type(e).__name__}', str(e).splitlines()[0] if str(e) else '')
            traceback.print_exc(limit=3)
        ok = g.failures == 0
        failed += not ok
        print(f'  browser {name}: {"PASS" if ok else "FAIL"} ({g.failures} failed assertion(s), {time.time() - t:.1f} s)',
              flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
