/* The search engine: text analysis, query parsing, ranking and excerpts (docs/search.md).
   search.js loads it with a <script> element when the reader first uses search (it is not part of
   every page); Node tests require() it. The text analysis must match
   Sources/GuideKit/Search/SearchText.swift: Tests/JavaScript/fixtures/search-text-cases.json
   is checked on both sides. */
(function (global) {
  'use strict';

  // ---- Text analysis ----

  const set = words => new Set(words.split(' '));
  const STOP = set('about above after again against all also am an and any are as at be because ' +
    'been before being below between both but by can could did do does doing down during each eg ' +
    'etc few for from further had has have having he her here hers him his how ie if in into is ' +
    'it its itself just may me might more most must my no nor not now of off on once only or ' +
    'other our ours out over own per same shall she should so some such than that the their ' +
    'theirs them then there these they this those through to too under until up us very via vs ' +
    'was we were what when where which while who whom why will with work works would you your yours');
  const KEEP = set('alias always atlas bias canvas chaos gas lens news perhaps series species whereas');
  const PLURAL_US = set('cpus gpus ious menus npus rois tpus');
  // British → American endings, as pairs; the first that matches (after 2+ letters) applies.
  const SPELLINGS = ('isations izations isation ization ising izing isers izers iser izer ised ized ' +
    'ises izes ise ize ysing yzing ysers yzers yser yzer ysed yzed yses yzes yse yze ouring oring ' +
    'oured ored ours ors our or tres ters tred tered tre ter').split(' ');
  const FOLDS = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'đ': 'd', 'ł': 'l', 'ı': 'i', 'ς': 'σ', 'þ': 'th' };

  // Lower case without accents: NFKD, lower case, NFKD, combining marks removed, a few letters spelt out.
  function fold(text) {
    if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
    return text.normalize('NFKD').toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')
      .replace(/[ßæœøđłıςþ]/g, c => FOLDS[c]);
  }

  // Tokens {term, stop, word}: words of 2-40 letters/digits; stop words kept unstemmed for phrases.
  function analyze(text) {
    const words = fold(text).replace(/['\u2019]/g, '').match(/[\p{L}\p{N}]+/gu) || [];
    return words.filter(w => w.length > 1 && w.length <= 40)
      .map(w => STOP.has(w) ? { term: w, stop: true, word: w } : { term: stem(w), stop: false, word: w });
  }

  // The light English stemmer; docs/search.md lists the steps.
  function stem(word) {
    if (word.length < 4 || !/^[a-z]+$/.test(word) || KEEP.has(word)) return word;
    let w = word, n;
    const ends = s => w.endsWith(s), cut = k => { w = w.slice(0, w.length - k); };
    for (let i = 0; i < SPELLINGS.length; i += 2) {
      if (ends(SPELLINGS[i]) && w.length - SPELLINGS[i].length >= 2) { cut(SPELLINGS[i].length); w += SPELLINGS[i + 1]; break; }
    }
    if (PLURAL_US.has(word)) cut(1);
    else if (ends('ies') && w.length > 4) cut(2);
    else if (ends('sses')) cut(2);
    else if ((ends('xes') || ends('ches') || ends('shes') || ends('zes')) && w.length >= 5) cut(2);
    else if (ends('s') && !ends('ss') && !ends('us') && !ends('is')) cut(1);
    if (ends('ional') && w.length - 2 >= 4) cut(2);
    if (ends('ation') && w.length - 5 >= 4) cut(5);
    else if ((ends('tion') || ends('sion')) && w.length - 3 >= 4) cut(3);
    else if (ends('ate') && w.length - 3 >= 4) cut(3);
    else if (ends('ing') || (ends('ed') && !ends('eed'))) {
      n = ends('ing') ? 3 : 2;
      if (w.length - n >= 3 && /[aeiouy]/.test(w.slice(0, w.length - n))) {
        cut(n);
        if (ends('at') && w.length - 2 >= 4) cut(2);
      }
    }
    if (ends('e') && !ends('ee') && w.length >= 4) cut(1);
    n = w.length;
    if (n >= 4 && w[n - 1] === w[n - 2] && !/[aeious]/.test(w[n - 1])) cut(1);
    n = w.length;
    if (n >= 4 && w[n - 1] === 'y' && !/[aeiou]/.test(w[n - 2])) w = w.slice(0, n - 1) + 'i';
    return w;
  }

  // Endings the stemmer removes: a typed word is also compared with vocabulary stem + ending.
  const ENDINGS = ['', 'e', 's', 'es', 'ed', 'ing', 'er', 'ers', 'y', 'ies', 'ied', 'ion', 'ions',
    'ation', 'ations', 'ate', 'ated', 'ating', 'al', 'ize', 'ized', 'izing', 'ization', 'ise',
    'ised', 'ising', 'isation'];

  // Damerau–Levenshtein (optimal string alignment) distance, or max + 1 once it exceeds max;
  // only the band |i - j| <= max is computed. With prefix set: the best distance from a to any
  // prefix of b.
  const rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
  function distance(a, b, max, prefix) {
    const la = a.length, lb = Math.min(b.length, 62);
    let out = max + 1, prev2 = rows[0], prev = rows[1], cur = rows[2], i, j, v, best;
    if (la > 62 || (!prefix && Math.abs(la - lb) > max)) return out;
    for (j = 0; j <= lb; j++) prev[j] = j <= max ? j : out;
    for (i = 1; i <= la; i++) {
      const lo = Math.max(1, i - max), hi = Math.min(lb, i + max);
      cur[0] = best = i <= max ? i : out;
      cur[lo - 1] = lo > 1 ? out : cur[0];
      for (j = lo; j <= hi; j++) {
        v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] && prev2[j - 2] + 1 < v) v = prev2[j - 2] + 1;
        cur[j] = v = Math.min(v, out);
        if (v < best) best = v;
      }
      if (hi < lb) cur[hi + 1] = out;
      if (best > max) return out;
      [prev2, prev, cur] = [prev, cur, prev2];
    }
    if (!prefix) return prev[lb];
    for (j = Math.max(0, la - max); j <= Math.min(lb, la + max); j++) out = Math.min(out, prev[j]);
    return out;
  }

  // ---- The engine ----

  // Weights of alternatives: completion of the word being typed (0.5-0.9 by length), stem + part
  // of an ending, typo with 1 or 2 edits, synonym of a matched term (times the term's weight).
  const W_REST = 0.9, W_TYPO = [1, 0.6, 0.4], W_SYNONYM = 0.6, W_SYNONYM_OWN = 0.9, MAX_COMPLETIONS = 20;

  // Numbers from a string of printable ASCII (SearchIndexBuilder.swift, `Varints`): digits '#'
  // to '~' without '\'; 0-63 end a number, 64-90 continue it.
  function decode(text) {
    const out = [];
    for (let i = 0, v = 0; i < text.length; i++) {
      let d = text.charCodeAt(i) - 35;
      if (d > 57) d--;
      if (d >= 64) v = v * 27 + d - 63;
      else { out.push(v * 64 + d); v = 0; }
    }
    return out;
  }

  // Ranking constants: the same as SearchRanking in SearchIndexBuilder.swift.
  const K1 = 1.2, HEADING_BOOST = 2.5, HEADING_B = 0.5, BODY_B = 0.75, TITLE_W = 3, TITLE_B = 0.5,
    TAG_W = 0.5, SUMMARY_W = 1.5, LINK_LIST_W = 0.3, SCALE = 4;
  const sat = tf => tf * (K1 + 1) / (tf + K1);
  const quantize = score => Math.max(1, Math.round(score * SCALE));

  function open(data, shards) {
    const vocab = data.w ? data.w.split(' ') : [];
    const ids = new Map(vocab.map((t, i) => [t, i]));
    const groups = new Map(), phrases = new Map(), pageOf = [], firstSection = [];
    const push = (map, key, value) => { if (!map.has(key)) map.set(key, []); map.get(key).push(value); };
    for (const group of data.s) {
      for (const m of group) {
        push(groups, m, group);
        const words = m.split('_');
        if (words.length > 1) push(phrases, words[0], words);
      }
    }
    phrases.forEach(list => list.sort((a, b) => b.length - a.length));
    data.p.forEach((p, i) => {
      firstSection.push(pageOf.length);
      for (let k = 0; k < p[2]; k++) pageOf.push(i);
    });

    // Ranking statistics, computed here so that no shard depends on them: lengths per page
    // (title, tags, summary) and per section (2 × heading + link-list flag, body), their
    // averages over the non-empty ones, and each term's document frequency (below).
    const pl = decode(data.pl || ''), sl = decode(data.sl || '');
    const average = (list, start, step, f) => {
      let sum = 0, n = 0;
      for (let i = start; i < list.length; i += step) { const v = f(list[i]); if (v > 0) { sum += v; n++; } }
      return n ? sum / n : 1;
    };
    const id = v => v, half = v => v >> 1;
    const avgTitle = average(pl, 0, 3, id), avgTags = average(pl, 1, 3, id), avgSummary = average(pl, 2, 3, id);
    const avgHeading = average(sl, 0, 2, half), avgBody = average(sl, 1, 2, id);
    const norm = (length, avg, b) => 1 - b + b * length / avg;
    const nPages = data.p.length, nSections = pageOf.length, stamp = new Int32Array(nPages);
    let stampNow = 0;

    // Shards: inline in the index (small guides) or loaded files (window.GuideSearchShards).
    const chunk = (starts, names, i, missing) => {
      let c = starts.length - 1;
      while (starts[c] > i) c--;
      const name = names[c], body = data.c[name] || (shards || global.GuideSearchShards || {})[name];
      if (!body && !missing.includes(name)) missing.push(name);
      return body && [body, i - starts[c]];
    };
    // Postings of term t with their scores: {s: [section Δ, impact, …], t: [page Δ, impact, …]}.
    const scored = new Map();
    const postings = (t, missing) => {
      if (scored.has(t)) return scored.get(t);
      const hit = chunk(data.pc, data.pn, t, missing);
      if (!hit) return null;
      const sv = decode(hit[0][0][hit[1]] || ''), tv = decode(hit[0][1][hit[1]] || '');
      // Document frequency: pages with the term in a section, title or tag name.
      let df = 0;
      stampNow++;
      // Section postings: 8 × section Δ + 2 × min(body count, 3) + heading flag, [body count − 3],
      // [heading count − 1]; page postings: 8 × page Δ + flags (1 title, 2 tags, 4 summary), then
      // count − 1 for each flag set.
      const sections = [], titles = [];
      for (let i = 0, s = 0; i < sv.length;) {
        const v = sv[i++];
        s += Math.floor(v / 8);
        let b = (v >> 1) & 3;
        if (b === 3) b += sv[i++];
        const h = v & 1 ? sv[i++] + 1 : 0;
        sections.push(s, h, b);
        if (stamp[pageOf[s]] !== stampNow) { stamp[pageOf[s]] = stampNow; df++; }
      }
      for (let i = 0, p = 0; i < tv.length;) {
        const v = tv[i++];
        p += Math.floor(v / 8);
        const title = v & 1 ? tv[i++] + 1 : 0, tags = v & 2 ? tv[i++] + 1 : 0, summary = v & 4 ? tv[i++] + 1 : 0;
        titles.push(p, title, tags, summary);
        if ((title || tags) && stamp[p] !== stampNow) { stamp[p] = stampNow; df++; }
      }
      const idf = Math.log(1 + (nPages - df + 0.5) / (df + 0.5));
      const out = { s: [], t: titles.length ? [] : undefined };
      for (let i = 0, prev = 0; i < sections.length; i += 3) {
        const s = sections[i], p = pageOf[s], hl = sl[2 * s], weight = data.p[p][3] * (hl & 1 ? LINK_LIST_W : 1);
        const tf = HEADING_BOOST * sections[i + 1] / norm(hl >> 1, avgHeading, HEADING_B) +
          sections[i + 2] / norm(sl[2 * s + 1], avgBody, BODY_B);
        out.s.push(s - prev, quantize(weight * idf * sat(tf)));
        prev = s;
      }
      for (let i = 0, prev = 0; i < titles.length; i += 4) {
        const p = titles[i];
        let score = 0;
        if (titles[i + 1]) score += TITLE_W * sat(titles[i + 1] / norm(pl[3 * p], avgTitle, TITLE_B));
        if (titles[i + 2]) score += TAG_W * sat(titles[i + 2] / norm(pl[3 * p + 1], avgTags, TITLE_B));
        if (titles[i + 3]) score += SUMMARY_W * sat(titles[i + 3] / norm(pl[3 * p + 2], avgSummary, TITLE_B));
        out.t.push(p - prev, quantize(data.p[p][3] * idf * score));
        prev = p;
      }
      scored.set(t, out);
      return out;
    };
    // A page's display record [title, url, kind, breadcrumb, [[fragment, heading, text(, breadcrumb)], …]]:
    // in the shard, sections name their (fragment, heading) by number in the shard's table.
    const page = (p, missing) => {
      const hit = chunk(data.dc, data.dn, p, missing);
      if (!hit) return hit;
      const [table, records] = hit[0], rec = records[hit[1]];
      return rec.slice(0, 4).concat([rec[4].map(s => table[s[0]].concat(s.slice(1)))]);
    };
    const lowerBound = s => {
      let lo = 0, hi = vocab.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (vocab[mid] < s) lo = mid + 1; else hi = mid; }
      return lo;
    };

    // Alternatives of one query word: Map term index -> weight.
    function expandWord(tok, typing, missing) {
      const alts = new Map(), s = tok.term, w = tok.word;
      const add = (i, weight) => { if (!(alts.get(i) >= weight)) alts.set(i, weight); };
      if (!tok.stop && ids.has(s)) add(ids.get(s), 1);
      if (typing) {
        let found = [];
        for (let i = lowerBound(s); i < vocab.length && vocab[i].startsWith(s); i++) {
          if (!vocab[i].includes('_') && vocab[i] !== s) found.push(i);
        }
        if (found.length > MAX_COMPLETIONS) {  // keep the completions in most sections
          const sized = found.map(i => { const p = postings(i, missing); return [i, p ? p.s.length : 0]; });
          if (missing.length) return alts;
          found = sized.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, MAX_COMPLETIONS).map(x => x[0]);
        }
        for (const i of found) add(i, 0.5 + 0.4 * s.length / vocab[i].length);
        // "trainin": a stem ("train") followed by the start of an ending; not when the typed word is
        // itself a term ("transformer" must not fall back to "transform").
        for (let k = w.length - 1; k >= 3 && !ids.has(s); k--) {
          const t = w.slice(0, k);
          if (ids.has(t) && ENDINGS.some(e => (t + e).startsWith(w) || (t + t[k - 1] + e).startsWith(w))) add(ids.get(t), W_REST);
        }
      }
      if (!alts.size && !tok.stop) {
        // Typos: terms with the same first letter within 1 edit (5+ letters) or 2 (9+) of the
        // stem, of the typed word as stem + ending, or (while typing) of a term's start.
        const max = w.length >= 9 ? 2 : w.length >= 5 ? 1 : 0, end = lowerBound(w[0] + '\uffff');
        for (let i = max ? lowerBound(w[0]) : end; i < end; i++) {
          const t = vocab[i];
          if (t.includes('_')) continue;
          let d = distance(s, t, max);
          if (d > 0 && t.length <= w.length + max && distance(t, w, max, true) <= max) {
            for (const e of ENDINGS) {
              if (d > 0 && Math.abs(t.length + e.length - w.length) <= max) d = Math.min(d, distance(w, t + e, max));
            }
          }
          if (typing && d > max) d = distance(w, t, max, true);
          if (d <= max) add(i, W_TYPO[d]);
        }
      }
      return alts;
    }

    // Synonyms of the matched terms and of the query's own word or phrase (`own`), even when that word
    // is nowhere in the guide ("batchnorm", "ood" and "kd" find the pages that spell them out).
    function addSynonyms(alts, own) {
      const set = (m, weight) => { if (ids.has(m) && !(alts.get(ids.get(m)) >= weight)) alts.set(ids.get(m), weight); };
      for (const group of (own && groups.get(own)) || []) for (const m of group) set(m, m === own ? 1 : W_SYNONYM_OWN);
      for (const [i, weight] of [...alts]) {
        for (const group of groups.get(vocab[i]) || []) for (const m of group) set(m, weight * W_SYNONYM);
      }
      return alts;
    }

    // Query text -> units {alts: Map term index -> weight, words}. Synonym phrases become one
    // unit; the last word is a prefix unless the text ends with a space or punctuation.
    function parse(text, missing) {
      const tokens = analyze(text), units = [], typing = /[\p{L}\p{N}]$/u.test(text);
      for (let i = 0; i < tokens.length; i++) {
        const phrase = (phrases.get(tokens[i].term) || [])
          .find(p => p.every((word, k) => tokens[i + k] && tokens[i + k].term === word));
        if (phrase) {
          const alts = new Map(ids.has(phrase.join('_')) ? [[ids.get(phrase.join('_')), 1]] : []);
          units.push({ alts: addSynonyms(alts, phrase.join('_')), words: phrase });
          i += phrase.length - 1;
        } else if (!tokens[i].stop || (typing && i === tokens.length - 1)) {
          const own = tokens[i].stop ? null : tokens[i].term;
          units.push({ alts: addSynonyms(expandWord(tokens[i], typing && i === tokens.length - 1, missing), own), words: [tokens[i].term] });
        }
      }
      return units.slice(0, 30);
    }

    // Scratch arrays reused by every search (left zeroed): per section and per page.
    const unitBest = new Float64Array(nSections), secScore = new Float64Array(nSections);
    const secMask = new Int32Array(nSections), seen = new Int32Array(nPages);
    const pTitle = new Float64Array(nPages), pBest = new Float64Array(nPages), pRest = new Float64Array(nPages);
    const pSection = new Int32Array(nPages), pMask = new Int32Array(nPages), pTitleMask = new Int32Array(nPages);

    // search(text, {levels: [ids], tag: id, limit}) -> {results, total, terms} or {missing: [chunk names]}.
    function search(text, options = {}) {
      const missing = [], units = parse(text, missing);
      if (missing.length) return { missing };
      const levels = options.levels && options.levels.length ? options.levels : null;
      const tag = options.tag ? data.g.findIndex(g => g[0] === options.tag) : -1;
      const allowed = !levels && !options.tag ? () => true : p => {
        const meta = data.p[p];
        return (!levels || (meta[0] >= 0 && levels.includes(data.l[meta[0]][0]))) && (!options.tag || meta[1].includes(tag));
      };
      const touched = [], pages = [], terms = new Set();
      const addPage = p => { if (!pMask[p]) { pages.push(p); pSection[p] = -1; } };

      // Per unit: the best alternative per section, added to the section's score; title impacts
      // go to the page. A unit's importance (for coverage) falls with the pages it hits.
      const importance = units.map((unit, k) => {
        const list = [], titles = new Map();
        let hits = 0;
        const hit = p => { if (seen[p] !== k + 1) { seen[p] = k + 1; hits++; } };
        unit.words.forEach(w => terms.add(w));
        unit.alts.forEach((weight, t) => {
          const post = postings(t, missing);
          if (!post) return;
          terms.add(vocab[t]);
          for (let i = 0, s = 0; i < post.s.length; i += 2) {
            s += post.s[i];
            const v = post.s[i + 1] * weight;
            if (unitBest[s] === 0) list.push(s);
            if (v > unitBest[s]) unitBest[s] = v;
          }
          for (let i = 0, p = 0; post.t && i < post.t.length; i += 2) {
            p += post.t[i];
            if (!(titles.get(p) >= post.t[i + 1] * weight)) titles.set(p, post.t[i + 1] * weight);
          }
        });
        for (const s of list) {
          hit(pageOf[s]);
          if (allowed(pageOf[s])) {
            if (!secMask[s]) touched.push(s);
            secScore[s] += unitBest[s];
            secMask[s] |= 1 << k;
          }
          unitBest[s] = 0;
        }
        titles.forEach((v, p) => {
          hit(p);
          if (allowed(p)) { addPage(p); pTitle[p] += v; pTitleMask[p] |= 1 << k; pMask[p] |= 1 << k; }
        });
        return Math.log(1 + nPages / (1 + hits));
      });
      // Per page: the best section, and the sum of the others.
      for (const s of touched) {
        const p = pageOf[s], v = secScore[s];
        addPage(p);
        pMask[p] |= secMask[s];
        if (v > pBest[p]) { pRest[p] += pBest[p]; pBest[p] = v; pSection[p] = s; } else pRest[p] += v;
        secScore[s] = secMask[s] = 0;
      }
      seen.fill(0);
      const all = (1 << units.length) - 1, total = importance.reduce((a, b) => a + b, 0);
      const ranked = pages.map(p => {
        const have = importance.reduce((sum, imp, k) => sum + (pMask[p] & (1 << k) ? imp : 0), 0);
        const e = { page: p, best: pSection[p], titleMask: pTitleMask[p],
          score: (pTitle[p] + pBest[p] + 0.3 * Math.min(pRest[p], pBest[p])) * (total > 0 ? have / total : 1) };
        pTitle[p] = pBest[p] = pRest[p] = pMask[p] = pTitleMask[p] = 0;
        return e;
      });
      if (missing.length) return { missing };
      ranked.sort((a, b) => b.score - a.score || a.page - b.page);

      const results = [];
      for (const e of ranked.slice(0, options.limit || 50)) {
        const rec = page(e.page, missing);
        if (!rec) continue;
        const sec = rec[4][e.best >= 0 ? e.best - firstSection[e.page] : 0] || ['', '', ''];
        // A section hit links to its #fragment, unless the title has every word.
        const toPage = e.best < 0 || !sec[0] || (e.titleMask === all && units.length > 0);
        const meta = data.p[e.page];
        results.push({
          url: rec[1] + (toPage ? '' : '#' + sec[0]), title: rec[0], heading: toPage ? '' : sec[1],
          kind: rec[2], level: meta[0] >= 0 ? data.l[meta[0]][1] : '',
          breadcrumb: sec[3] || rec[3] || (meta[0] >= 0 ? data.l[meta[0]][1] + ' › ' : '') + rec[0],
          text: sec[2] || (rec[4][0] || [])[2] || '', score: e.score
        });
      }
      return missing.length ? { missing } : { results, total: ranked.length, terms };
    }

    return { search, parse, vocabulary: vocab };
  }

  // Runs a search, first loading the chunks it needs with load(names, callback(ok)).
  function run(engine, text, options, load, done) {
    const r = engine.search(text, options);
    if (r.missing) load(r.missing, ok => ok ? run(engine, text, options, load, done) : done(null));
    else done(r);
  }

  // Text as [piece, marked] pairs, marked where a word's term is in `terms`; with size, only a
  // window of about that many characters around the most varied matches, cut at spaces.
  function highlight(text, terms, size) {
    const hits = [], re = /[\p{L}\p{N}\p{M}'\u2019]+/gu;
    let m, start = 0, end = text.length;
    while ((m = re.exec(text))) {
      if (analyze(m[0]).some(t => terms.has(t.term))) hits.push([m.index, m.index + m[0].length, fold(m[0])]);
    }
    if (size && text.length > size) {
      let most = -1;
      for (const h of hits) {
        const near = new Set(hits.filter(o => o[0] >= h[0] && o[1] <= h[0] + size - 40).map(o => o[2]));
        if (near.size > most) { most = near.size; start = h[0]; }
      }
      start = Math.max(0, start - 40);
      if (start > 0) start = text.indexOf(' ', start) + 1 || start;
      end = Math.min(text.length, start + size);
      if (end < text.length && text.lastIndexOf(' ', end) > start) end = text.lastIndexOf(' ', end);
    }
    const parts = start > 0 ? [['… ', false]] : [];
    let pos = start;
    for (const [a, b] of hits) {
      if (a < pos || b > end) continue;
      if (a > pos) parts.push([text.slice(pos, a), false]);
      parts.push([text.slice(a, b), true]);
      pos = b;
    }
    if (end > pos) parts.push([text.slice(pos, end), false]);
    if (end < text.length) parts.push([' …', false]);
    return parts;
  }

  const api = { fold, analyze, stem, distance, decode, open, run, highlight };
  if (typeof module === 'object' && module.exports) module.exports = api;
  global.GuideSearch = api;
})(typeof window !== 'undefined' ? window : globalThis);
