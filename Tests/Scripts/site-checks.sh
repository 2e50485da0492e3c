#!/usr/bin/env bash
# Site-level checks run by `make test` after the Swift tests (from the repository root, after
# `make build`). Each check prints PASS or FAIL; the last line is
# `N passed, N failed`; the exit status is non-zero if anything failed.
#
# Environment: GUIDE (generator binary, default .build/release/guide); SITE_CHECKS_SITE=DIR tests an
# already built site instead of building one (the freshness check then compares DIR with Site/);
# SITE_CHECKS_ONLY="freshness html links weight browser-home ..." runs only the named checks.
set -euo pipefail

cd "$(dirname "$0")/../.."
GUIDE=${GUIDE:-.build/release/guide}
SCRIPTS=Tests/Scripts
BROWSER=Tests/Browser/browser_tests.py
ONLY=${SITE_CHECKS_ONLY:-}
passed=0
failed=0
failed_names=()
started=$SECONDS

tmp=$(mktemp -d "${TMPDIR:-/tmp}/site-checks.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

wanted() { [[ -z "$ONLY" || " $ONLY " == *" $1 "* ]]; }

# check NAME HINT COMMAND...: runs the command, shows its output indented, counts PASS/FAIL.
check() {
  local name=$1 hint=$2 t0=$SECONDS rc=0
  shift 2
  wanted "$name" || return 0
  echo "── $name"
  "$@" || rc=$?
  if [[ $rc -eq 0 ]]; then
    echo "PASS $name ($((SECONDS - t0)) s)"
    passed=$((passed + 1))
  else
    echo "FAIL $name ($((SECONDS - t0)) s)${hint:+: $hint}"
    failed=$((failed + 1))
    failed_names+=("$name")
  fi
}

# Build the committed sources into a temporary folder.
site=${SITE_CHECKS_SITE:-}
build_ok=1
if [[ -z "$site" ]]; then
  site=$tmp/site
  echo "── building the guide into $site"
  if [[ ! -x "$GUIDE" ]]; then
    echo "  $GUIDE is missing: run \`make build\` (make test does)"
    build_ok=0
  elif ! "$GUIDE" build --output "$site" --cache .guide-cache; then
    build_ok=0
  fi
fi
if [[ $build_ok -eq 0 ]]; then
  echo "FAIL build: the guide does not build; no other check can run"
  failed=$((failed + 1))
  echo "$passed passed, $failed failed"
  exit 1
fi

# 1. The committed Site/ is what the sources build to (apart from data-measured contents).
check freshness "run \`make site\` and commit Site/" \
  python3 "$SCRIPTS/compare_sites.py" "$site" Site

# 2. Nu HTML Checker: zero errors.
check html "the Nu HTML Checker found errors (install: make test-deps)" \
  python3 "$SCRIPTS/validate_html.py" "$site"

# 3. Links, resources, file://-safe JavaScript.
check links "fix the links or resources listed above" \
  python3 "$SCRIPTS/check_links.py" "$site"

# 4. CSS + JS per page ≤ 30 KB.
check weight "a page loads more than 30 KB of CSS and JavaScript" \
  python3 "$SCRIPTS/page_weight.py" "$site"

# 4b. The Anki decks parse back as Anki reads them: one note per question.
check anki "the Anki decks in anki/ do not parse back" \
  python3 "$SCRIPTS/check_anki.py" "$site"

# 5. Browser tests from file:// (headless Chromium through selenium), one check per group.
browser_ready() {
  python3 -c 'import selenium' 2>/dev/null || { echo "  selenium is not installed: pip install selenium (make test-deps)"; return 1; }
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null ||
    { echo "  chromium is not installed: apt install chromium chromium-driver (make test-deps)"; return 1; }
  command -v chromedriver >/dev/null || { echo "  chromedriver is not installed: apt install chromium-driver (make test-deps)"; return 1; }
}
for group in home search answer marks quiz console startup axe reader figures; do
  case $group in
    home) hint="home page, search box, level links" ;;
    search) hint="search.html?q=… results and ranking" ;;
    answer) hint="question answers as <details>, with and without JavaScript" ;;
    marks) hint="self-marking persists and shows as progress" ;;
    quiz) hint="quiz: draw, Space reveals, 2 re-queues" ;;
    console) hint="JavaScript errors or failed loads in the console" ;;
    startup) hint="a page loads CSS or JavaScript at start-up that its HTML does not link (the weight check cannot count it)" ;;
    axe) hint="axe-core serious/critical violations (light and dark)" ;;
    figures) hint="figures render in light and dark, page weight under 150 KB, tables, math and callouts" ;;
    reader) hint="reading and studying: phone contents, synonyms, ranking, landing, quiz on a phone, related links, keys, 404 at depth" ;;
  esac
  if wanted "browser-$group"; then
    if browser_ready >/dev/null 2>&1; then
      check "browser-$group" "$hint" python3 "$BROWSER" "$site" "$group"
    else
      check "browser-$group" "$hint" browser_ready
    fi
  fi
done

echo "── site checks took $((SECONDS - started)) s${failed_names[*]:+; failed: ${failed_names[*]}}"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
