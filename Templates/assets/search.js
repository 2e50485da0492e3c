/* Search: text analysis, query engine, the dropdown on every page and search.html.
   The index is built by Sources/GuideKit/Search; format and ranking: docs/search.md.
   Plain script, no dependencies; data arrives through <script> elements (works from file://). */
(function (global) {
  "use strict";

  // ---- Text analysis: the same rules as SearchText.swift (checked by shared test cases) ----

  function set(words) {
    var s = Object.create(null);
    words.split(" ").forEach(function (w) { s[w] = true; });
    return s;
  }
  var STOP = set("about above after again against all also am an and any are as at be because " +
    "been before being below between both but by can could did do does doing down during each eg " +
    "etc few for from further had has have having he her here hers him his how ie if in into is " +
    "it its itself just may me might more most must my no nor not now of off on once only or " +
    "other our ours out over own per same shall she should so some such than that the their " +
    "theirs them then there these they this those through to too under until up us very via vs " +
    "was we were what when where which while who whom why will with work works would you your yours");
  var KEEP = set("alias always atlas bias canvas chaos gas lens news perhaps series species whereas");
  var PLURAL_US = set("cpus gpus ious menus npus rois tpus");
  var SPELLINGS = ("isations izations isation ization ising izing isers izers iser izer ised ized " +
    "ises izes ise ize ysing yzing ysers yzers yser yzer ysed yzed yses yzes yse yze ouring oring " +
    "oured ored ours ors our or tres ters tred tered tre ter").split(" ");
  var FOLDS = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "ς": "σ", "þ": "th" };

  function fold(text) {
    if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
    return text.normalize("NFKD").toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/[ßæœøđłıςþ]/g, function (c) { return FOLDS[c]; });
  }

  // Tokens of a text: {term, stop, word}; stop words are kept (unstemmed) for phrase matching.
  function analyze(text) {
    var words = fold(text).replace(/['\u2019]/g, "").match(/[\p{L}\p{N}]+/gu) || [];
    var tokens = [];
    words.forEach(function (w) {
      if (w.length < 2 || w.length > 40) return;
      tokens.push(STOP[w] ? { term: w, stop: true, word: w } : { term: stem(w), stop: false, word: w });
    });
    return tokens;
  }

  function stem(word) {
    if (word.length < 4 || !/^[a-z]+$/.test(word) || KEEP[word]) return word;
    var w = word, i, n;
    function ends(s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }
    function cut(k) { w = w.slice(0, w.length - k); }
    for (i = 0; i < SPELLINGS.length; i += 2) {
      if (ends(SPELLINGS[i]) && w.length - SPELLINGS[i].length >= 2) {
        cut(SPELLINGS[i].length); w += SPELLINGS[i + 1]; break;
      }
    }
    if (PLURAL_US[word]) cut(1);
    else if (ends("ies") && w.length > 4) cut(2);
    else if (ends("sses")) cut(2);
    else if ((ends("xes") || ends("ches") || ends("shes") || ends("zes")) && w.length >= 5) cut(2);
    else if (ends("s") && !ends("ss") && !ends("us") && !ends("is")) cut(1);
    if (ends("ional") && w.length - 2 >= 4) cut(2);
    if (ends("ation") && w.length - 5 >= 4) cut(5);
    else if ((ends("tion") || ends("sion")) && w.length - 3 >= 4) cut(3);
    else if (ends("ate") && w.length - 3 >= 4) cut(3);
    else if (ends("ing") || (ends("ed") && !ends("eed"))) {
      n = ends("ing") ? 3 : 2;
      if (w.length - n >= 3 && /[aeiouy]/.test(w.slice(0, w.length - n))) {
        cut(n);
        if (ends("at") && w.length - 2 >= 4) cut(2);
      }
    }
    if (ends("e") && !ends("ee") && w.length >= 4) cut(1);
    n = w.length;
    if (n >= 4 && w[n - 1] === w[n - 2] && !/[aeious]/.test(w[n - 1])) cut(1);
    n = w.length;
    if (n >= 4 && w[n - 1] === "y" && !/[aeiou]/.test(w[n - 2])) w = w.slice(0, n - 1) + "i";
    return w;
  }

  // Endings the stemmer removes: a typed word is compared with vocabulary stem + ending.
  var ENDINGS = ["", "e", "s", "es", "ed", "ing", "er", "ers", "y", "ies", "ied", "ion", "ions",
    "ation", "ations", "ate", "ated", "ating", "al", "ize", "ized", "izing", "ization", "ise",
    "ised", "ising", "isation"];

  // Damerau–Levenshtein (optimal string alignment) distance, or max + 1 once it exceeds max.
  // With prefix set, b may be longer: the best distance to any prefix of b.
  var rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
  function distance(a, b, max, prefix) {
    if (!prefix && Math.abs(a.length - b.length) > max) return max + 1;
    if (b.length > 62) b = b.slice(0, 62);
    var prev2 = rows[0], prev = rows[1], cur = rows[2], i, j, best, v, tmp;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur[0] = best = i;
      for (j = 1; j <= b.length; j++) {
        v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] && prev2[j - 2] + 1 < v) v = prev2[j - 2] + 1;
        cur[j] = v;
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      tmp = prev2; prev2 = prev; prev = cur; cur = tmp;
    }
    if (!prefix) return prev[b.length];
    for (best = max + 1, j = 0; j <= b.length; j++) if (prev[j] < best) best = prev[j];
    return best;
  }

  // ---- The engine ----

  var W_PREFIX_REST = 0.9, W_TYPO = [1, 0.6, 0.4], W_SYNONYM = 0.6, MAX_EXPANSIONS = 40;

  function open(data, shards) {
    var vocab = data.w ? data.w.split(" ") : [];
    var ids = new Map(vocab.map(function (t, i) { return [t, i]; }));
    var groups = new Map(), phrases = new Map(), pageOf = [], firstSection = [];
    data.s.forEach(function (group) {
      group.forEach(function (m) {
        if (!groups.has(m)) groups.set(m, []);
        groups.get(m).push(group);
        var words = m.split("_");
        if (words.length > 1) {
          if (!phrases.has(words[0])) phrases.set(words[0], []);
          phrases.get(words[0]).push(words);
        }
      });
    });
    phrases.forEach(function (list) { list.sort(function (a, b) { return b.length - a.length; }); });
    data.p.forEach(function (p, i) {
      firstSection.push(pageOf.length);
      for (var k = 0; k < p[2]; k++) pageOf.push(i);
    });

    function chunk(name) {
      return data.c[name] || (shards || global.GuideSearchShards || {})[name];
    }
    function chunkOf(starts, i) {
      var c = starts.length - 1;
      while (starts[c] > i) c--;
      return c;
    }
    // Postings of term t: {s: sections, t: pages (title/tags)}, or null (missing recorded).
    function postings(t, missing) {
      var c = chunkOf(data.pc, t), body = chunk("p" + c);
      if (!body) { if (missing.indexOf("p" + c) < 0) missing.push("p" + c); return null; }
      var local = t - data.pc[c];
      return { s: body[0][local], t: body[1][local] };
    }
    function page(p, missing) {
      var c = chunkOf(data.dc, p), body = chunk("d" + c);
      if (!body) { if (missing.indexOf("d" + c) < 0) missing.push("d" + c); return null; }
      return body[p - data.dc[c]];
    }
    // First index of vocabulary terms >= s.
    function lowerBound(s) {
      var lo = 0, hi = vocab.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (vocab[mid] < s) lo = mid + 1; else hi = mid; }
      return lo;
    }

    // Alternatives of one query word: Map term index -> weight.
    function expandWord(tok, prefix, missing) {
      var alts = new Map(), s = tok.term, w = tok.word, i, k, t;
      function add(i, weight) { if (!(alts.get(i) >= weight)) alts.set(i, weight); }
      if (!tok.stop && ids.has(s)) add(ids.get(s), 1);
      if (prefix) {
        var found = [];
        for (i = lowerBound(s); i < vocab.length && vocab[i].startsWith(s); i++) {
          if (vocab[i].indexOf("_") < 0 && vocab[i] !== s) found.push(i);
        }
        if (found.length > MAX_EXPANSIONS) {  // keep the most frequent completions
          var sized = found.map(function (i) { var p = postings(i, missing); return [i, p ? p.s.length : 0]; });
          if (missing.length) return alts;
          found = sized.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
            .slice(0, MAX_EXPANSIONS).map(function (x) { return x[0]; });
        }
        found.forEach(function (i) { add(i, 0.5 + 0.4 * s.length / vocab[i].length); });
        // "trainin": a stem ("train") plus the start of an ending.
        for (k = w.length - 1; k >= 3; k--) {
          t = w.slice(0, k);
          if (ids.has(t) && ENDINGS.some(function (e) { return (t + e).startsWith(w) || (t + t[k - 1] + e).startsWith(w); })) {
            add(ids.get(t), W_PREFIX_REST);
          }
        }
      }
      if (!alts.size && !tok.stop) {
        // Typos: vocabulary terms with the same first letter within 1 edit (5+ letters) or
        // 2 (9+), compared with the stem, and with the typed word as stem + ending.
        var max = w.length >= 9 ? 2 : w.length >= 5 ? 1 : 0, end = lowerBound(w[0] + "\uffff");
        for (i = max ? lowerBound(w[0]) : end; i < end; i++) {
          t = vocab[i];
          if (t.indexOf("_") >= 0) continue;
          var d = distance(s, t, max);
          if (d > 0 && t.length <= w.length + max && distance(t, w, max, true) <= max) {
            for (k = 0; d > 0 && k < ENDINGS.length; k++) {
              if (Math.abs(t.length + ENDINGS[k].length - w.length) <= max) d = Math.min(d, distance(w, t + ENDINGS[k], max));
            }
          }
          if (prefix && d > max) d = distance(w, t, max, true);
          if (d <= max) add(i, W_TYPO[d]);
        }
      }
      return alts;
    }

    function addSynonyms(alts) {
      alts.forEach(function (weight, i) {
        (groups.get(vocab[i]) || []).forEach(function (group) {
          group.forEach(function (m) {
            if (ids.has(m) && !(alts.get(ids.get(m)) >= weight * W_SYNONYM)) alts.set(ids.get(m), weight * W_SYNONYM);
          });
        });
      });
      return alts;
    }

    // Query text -> units; each unit is a Map of alternatives (term index -> weight).
    function parse(text, missing) {
      var tokens = analyze(text), units = [], typing = /[\p{L}\p{N}]$/u.test(text);
      for (var i = 0; i < tokens.length; i++) {
        var phrase = (phrases.get(tokens[i].term) || []).filter(function (p) {
          return p.every(function (word, k) { return tokens[i + k] && tokens[i + k].term === word; });
        })[0];
        if (phrase) {
          var alts = new Map();
          if (ids.has(phrase.join("_"))) alts.set(ids.get(phrase.join("_")), 1);
          units.push({ alts: addSynonyms(alts), words: phrase });
          i += phrase.length - 1;
          continue;
        }
        var last = typing && i === tokens.length - 1;
        if (tokens[i].stop && !last) continue;
        units.push({ alts: addSynonyms(expandWord(tokens[i], last, missing)), words: [tokens[i].term] });
      }
      return units;
    }

    function decode(flat, each) {
      for (var i = 0, doc = 0; flat && i < flat.length; i += 2) { doc += flat[i]; each(doc, flat[i + 1]); }
    }

    // search(text, {levels: [ids], tag: id, limit}) -> {results, total, terms} or {missing: [chunk names]}
    function search(text, options) {
      options = options || {};
      var missing = [], units = parse(text, missing).slice(0, 30);
      if (missing.length) return { missing: missing };
      var found = [], terms = new Set();
      var weights = units.map(function (unit) {
        var best = new Map(), bestPage = new Map();
        unit.words.forEach(function (w) { terms.add(w); });
        unit.alts.forEach(function (weight, t) {
          var p = postings(t, missing);
          if (!p) return;
          terms.add(vocab[t]);
          decode(p.s, function (s, v) { if (!(best.get(s) >= v * weight)) best.set(s, v * weight); });
          decode(p.t, function (q, v) { if (!(bestPage.get(q) >= v * weight)) bestPage.set(q, v * weight); });
        });
        var hit = new Set(bestPage.keys());
        best.forEach(function (v, s) { hit.add(pageOf[s]); });
        found.push([best, bestPage]);
        return Math.log(1 + data.p.length / (1 + hit.size));
      });
      if (missing.length) return { missing: missing };

      var levels = options.levels && options.levels.length ? options.levels : null;
      var tag = options.tag ? data.g.findIndex(function (g) { return g[0] === options.tag; }) : -1;
      function allowed(p) {
        var meta = data.p[p];
        return (!levels || (meta[0] >= 0 && levels.indexOf(data.l[meta[0]][0]) >= 0)) &&
          (!options.tag || meta[1].indexOf(tag) >= 0);
      }
      var secScore = new Map(), secMask = new Map(), pages = new Map();
      function pageEntry(p) {
        var e = pages.get(p);
        if (!e) pages.set(p, e = { page: p, title: 0, titleMask: 0, mask: 0, best: -1, bestScore: 0, rest: 0 });
        return e;
      }
      found.forEach(function (f, k) {
        f[0].forEach(function (v, s) {
          if (!allowed(pageOf[s])) return;
          secScore.set(s, (secScore.get(s) || 0) + v);
          secMask.set(s, (secMask.get(s) || 0) | (1 << k));
        });
        f[1].forEach(function (v, p) {
          if (!allowed(p)) return;
          var e = pageEntry(p);
          e.title += v; e.titleMask |= 1 << k; e.mask |= 1 << k;
        });
      });
      secScore.forEach(function (v, s) {
        var e = pageEntry(pageOf[s]);
        e.mask |= secMask.get(s);
        if (v > e.bestScore) { e.rest += e.bestScore; e.bestScore = v; e.best = s; } else e.rest += v;
      });
      var all = (1 << units.length) - 1, total = weights.reduce(function (a, b) { return a + b; }, 0);
      var ranked = [];
      pages.forEach(function (e) {
        var have = weights.reduce(function (sum, imp, k) { return sum + (e.mask & (1 << k) ? imp : 0); }, 0);
        var coord = total > 0 ? have / total : 1;
        e.score = (e.title + e.bestScore + 0.3 * Math.min(e.rest, e.bestScore)) * coord;
        ranked.push(e);
      });
      ranked.sort(function (a, b) { return b.score - a.score || a.page - b.page; });

      var limit = options.limit || 50, results = [];
      ranked.slice(0, limit).forEach(function (e) {
        var rec = page(e.page, missing);
        if (!rec) return;
        var local = e.best >= 0 ? e.best - firstSection[e.page] : 0, sec = rec[4][local] || ["", "", ""];
        var toPage = e.best < 0 || !sec[0] || (e.titleMask === all && units.length > 0);
        var meta = data.p[e.page];
        results.push({
          url: rec[1] + (toPage ? "" : "#" + sec[0]), title: rec[0], heading: toPage ? "" : sec[1],
          kind: rec[2], level: meta[0] >= 0 ? data.l[meta[0]][1] : "", breadcrumb: sec[3] || rec[3],
          text: sec[2] || (rec[4][0] || [])[2] || "", score: e.score
        });
      });
      if (missing.length) return { missing: missing };
      return { results: results, total: ranked.length, terms: terms };
    }

    return { search: search, vocabulary: vocab, parse: parse };
  }

  // Runs a search, loading missing chunks with load(names, callback) first.
  function run(engine, text, options, load, done) {
    var r = engine.search(text, options);
    if (r.missing) load(r.missing, function (ok) { if (ok) run(engine, text, options, load, done); else done(null); });
    else done(r);
  }

  // Text split into [text, marked] pieces, marked where a word's term is one of `terms`;
  // with size set, a window of about that many characters around the densest matches.
  function highlight(text, terms, size) {
    var re = /[\p{L}\p{N}\p{M}'\u2019]+/gu, m, hits = [];
    while ((m = re.exec(text))) {
      if (analyze(m[0]).some(function (t) { return terms.has(t.term); })) hits.push([m.index, m.index + m[0].length, m[0]]);
    }
    var start = 0, end = text.length;
    if (size && text.length > size) {
      var bestCount = -1;
      hits.forEach(function (h) {
        var seen = new Set();
        hits.forEach(function (o) { if (o[0] >= h[0] && o[1] <= h[0] + size - 40) seen.add(fold(o[2])); });
        if (seen.size > bestCount) { bestCount = seen.size; start = h[0]; }
      });
      start = Math.max(0, start - 40);
      if (start > 0) start = text.indexOf(" ", start) + 1 || start;
      end = Math.min(text.length, start + size);
      if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
    }
    var parts = [], pos = start;
    if (start > 0) parts.push(["… ", false]);
    hits.forEach(function (h) {
      if (h[0] < pos || h[1] > end) return;
      if (h[0] > pos) parts.push([text.slice(pos, h[0]), false]);
      parts.push([text.slice(h[0], h[1]), true]);
      pos = h[1];
    });
    if (end > pos) parts.push([text.slice(pos, end), false]);
    if (end < text.length) parts.push([" …", false]);
    return parts;
  }

  var api = { fold: fold, analyze: analyze, stem: stem, distance: distance, open: open, run: run, highlight: highlight };
  if (typeof module === "object" && module.exports) module.exports = api;
  global.GuideSearch = api;
  if (typeof document === "undefined") return;

  // ---- In the page ----

  var script = document.currentScript;
  var root = (script && script.dataset.root) || "";
  var engine = null, waiting = [], requested = {};

  function loadScripts(srcs, done) {
    var left = srcs.length, ok = true;
    if (!left) done(true);
    srcs.forEach(function (src) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = s.onerror = function (e) { ok = ok && e.type === "load"; if (--left === 0) done(ok); };
      document.head.appendChild(s);
    });
  }
  function loadChunks(names, done) {
    loadScripts(names.filter(function (n) { return !requested[n] && (requested[n] = true); })
      .map(function (n) { return root + "assets/search/" + n + "-" + global.GuideSearchIndex.id + ".js"; }), done);
  }
  function withEngine(done) {
    if (engine) return done(engine);
    waiting.push(done);
    if (waiting.length > 1) return;
    loadScripts(global.GuideSearchIndex ? [] : [root + "assets/search-index.js"], function () {
      engine = global.GuideSearchIndex ? open(global.GuideSearchIndex) : false;
      waiting.splice(0).forEach(function (f) { f(engine); });
    });
  }
  function query(text, options, done) {
    withEngine(function (e) {
      if (!e) return done(null);
      run(e, text, options, loadChunks, done);
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  // Appends highlighted pieces as text nodes and <mark> elements (never as HTML).
  function appendMarked(node, parts) {
    parts.forEach(function (p) { node.appendChild(p[1] ? el("mark", "", p[0]) : document.createTextNode(p[0])); });
    return node;
  }
  function fill(node, r, terms, size) {
    var title = appendMarked(el("span", "search-title"), highlight(r.title, terms));
    if (r.heading) appendMarked(title, [[" › ", false]].concat(highlight(r.heading, terms)));
    node.appendChild(title);
    return [
      el("span", "search-meta", [r.level, r.breadcrumb].filter(Boolean).join(" · ")),
      appendMarked(el("span", "search-excerpt"), highlight(r.text, terms, size))
    ];
  }
  function searchURL(q) { return root + "search.html?q=" + encodeURIComponent(q); }

  // The dropdown under the header search box.
  var input = document.getElementById("site-search"), box = document.getElementById("search-dropdown");
  if (input && box) {
    var timer = 0, active = -1, options = [], seq = 0, live = el("p", "visually-hidden");
    live.setAttribute("role", "status");
    box.parentNode.appendChild(live);

    var close = function () {
      box.hidden = true; active = -1; options = [];
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    var setActive = function (i) {
      if (!options.length) return;
      active = (i + options.length) % options.length;
      options.forEach(function (o, k) { o.setAttribute("aria-selected", k === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    };
    var show = function (q, r) {
      box.textContent = "";
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      (r ? r.results : []).forEach(function (res, i) {
        var a = el("a", "search-option");
        a.id = "search-option-" + i;
        a.href = root + res.url;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.tabIndex = -1;
        fill(a, res, r.terms, 90).forEach(function (n) { a.appendChild(n); });
        box.appendChild(a);
        options.push(a);
      });
      var more = el("a", "search-option search-all", r ? (r.total ? "All " + r.total + " results for “" + q + "”" :
        "No results for “" + q + "”") : "Search is not available");
      more.id = "search-option-all";
      more.href = searchURL(q);
      more.setAttribute("role", "option");
      more.tabIndex = -1;
      box.appendChild(more);
      options.push(more);
      live.textContent = r ? r.total + (r.total === 1 ? " result" : " results") : "";
      box.hidden = false;
      input.setAttribute("aria-expanded", "true");
    };
    var update = function () {
      var q = input.value, mine = ++seq;
      if (!q.trim()) return close();
      query(q, { limit: 8 }, function (r) { if (mine === seq) show(q.trim(), r); });
    };
    input.addEventListener("focus", function () { withEngine(function () {}); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 40); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (box.hidden) update(); else setActive(active + (e.key === "ArrowDown" ? 1 : active < 0 ? 0 : -1));
      } else if (e.key === "Enter" && active >= 0 && !box.hidden) {
        e.preventDefault();
        location.href = options[active].href;
      } else if (e.key === "Escape") {
        if (box.hidden) input.value = ""; else { e.preventDefault(); close(); }
      }
    });
    box.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep focus in the box
    input.addEventListener("blur", close);
    document.addEventListener("keydown", function (e) {
      var t = e.target, tag = t && t.tagName;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || t.isContentEditable ||
        tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  // search.html
  var list = document.getElementById("search-results"), form = document.getElementById("search-form");
  if (list && form) {
    var field = form.elements.q, status = document.getElementById("search-status");
    var tagSelect = form.elements.tag, shown = 50, pending = 0, moreButton = el("button", "search-more", "Show more results");
    moreButton.type = "button";
    moreButton.hidden = true;
    list.parentNode.insertBefore(moreButton, list.nextSibling);

    var state = function () {
      var levels = [].filter.call(form.querySelectorAll("input[name=level]"), function (c) { return c.checked; })
        .map(function (c) { return c.value; });
      return { q: field.value.trim(), levels: levels, tag: tagSelect ? tagSelect.value : "" };
    };
    var render = function () {
      var s = state(), params = new URLSearchParams(), mine = ++pending;
      if (s.q) params.append("q", s.q);
      s.levels.forEach(function (l) { params.append("level", l); });
      if (s.tag) params.append("tag", s.tag);
      try { history.replaceState(null, "", "?" + params.toString() + location.hash); } catch (err) { /* file:// in some browsers */ }
      if (!s.q) {
        list.textContent = "";
        moreButton.hidden = true;
        status.textContent = "Type a word or two to search the guide.";
        return;
      }
      query(s.q, { levels: s.levels, tag: s.tag, limit: shown }, function (r) {
        if (mine !== pending) return;
        list.textContent = "";
        if (!r) { status.textContent = "The search index could not be loaded."; return; }
        r.results.forEach(function (res) {
          var li = el("li", "search-result"), a = el("a", "search-result-link");
          a.href = res.url;
          var parts = fill(a, res, r.terms, 240);
          li.appendChild(a);
          li.appendChild(el("p", "search-result-meta", parts[0].textContent));
          li.appendChild(appendMarked(el("p", "search-result-excerpt"), highlight(res.text, r.terms, 240)));
          list.appendChild(li);
        });
        moreButton.hidden = r.total <= r.results.length;
        var filters = s.levels.map(function (id) {
          var box = form.querySelector("input[name=level][value='" + id + "']");
          return box && box.parentNode.textContent.trim();
        }).join(", ");
        status.textContent = (r.total === 1 ? "1 result" : r.total + " results") + " for “" + s.q + "”" +
          (filters ? " in " + filters : "") + (s.tag ? ", tag " + tagSelect.options[tagSelect.selectedIndex].text : "") + ".";
      });
    };
    var params = new URLSearchParams(location.search);
    field.value = params.get("q") || "";
    params.getAll("level").forEach(function (l) {
      [].forEach.call(form.querySelectorAll("input[name=level]"), function (c) { if (c.value === l) c.checked = true; });
    });
    if (tagSelect) tagSelect.value = params.get("tag") || "";
    var again;
    form.addEventListener("submit", function (e) { e.preventDefault(); shown = 50; render(); });
    form.addEventListener("change", function () { shown = 50; render(); });
    field.addEventListener("input", function () { clearTimeout(again); again = setTimeout(function () { shown = 50; render(); }, 150); });
    moreButton.addEventListener("click", function () { shown += 50; render(); });
    render();
  }
})(typeof window !== "undefined" ? window : globalThis);
