// The site's search worker: answers the theme's search box from the prebuilt index
// search/kb-search-index.json (written by generator/site/search_index.py at build time), so nothing is
// indexed in the browser. It speaks the theme's worker protocol (Material for MkDocs 9):
//   {type: 0 SETUP} -> {type: 1 READY};  {type: 2 QUERY, data: text} -> {type: 3 RESULT, data: {items, suggest}}
// Without the prebuilt index (e.g. `kb serve`), it hands over to the theme's own worker, given as ?fallback=.
// Every string it returns is HTML-escaped in the index; it only adds <mark> around matched words.
"use strict";

var STOP = new Set(("a able about across after all almost also am among an and any are as at be because been but by can " +
  "cannot could dear did do does either else ever every for from get got had has have he her hers him his how " +
  "however i if in into is it its just least let like likely may me might most must my neither no nor not of " +
  "off often on only or other our own rather said say says she should since so some than that the their them " +
  "then there these they this tis to too twas us vs wants was we were what when where which while who whom " +
  "why will with would yet you your").split(" "));

// Mirrors stem() in generator/site/search_index.py, rule for rule.
function kbStem(word) {
  var w = word;
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  if (w.length > 4 && w.endsWith("ies")) return w.slice(0, -3) + "y";
  if (/(sses|ches|shes|xes|zes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  var suffixes = ["ing", "ed"];
  for (var i = 0; i < suffixes.length; i++) {
    var suffix = suffixes[i];
    var base = w.slice(0, -suffix.length);
    if (w.endsWith(suffix) && base.length >= 3 && /[aeiouy]/.test(base)) {
      w = base;
      if (w.length >= 4 && w[w.length - 1] === w[w.length - 2] && "lsz".indexOf(w[w.length - 1]) < 0) w = w.slice(0, -1);
      return w;
    }
  }
  if (w.endsWith("e") && w.length >= 4) w = w.slice(0, -1);
  return w;
}

// Mirrors tokens() in generator/site/search_index.py: camelCase words also give their parts.
function kbTokens(text) {
  var folded = text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
  var words = folded.match(/[A-Za-z0-9]+/g) || [];
  var out = [];
  for (var i = 0; i < words.length; i++) {
    var lower = words[i].toLowerCase();
    if (!STOP.has(lower)) out.push(kbStem(lower));
    if (/[a-z][A-Z]/.test(words[i])) {
      var parts = words[i].match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) || [];
      for (var j = 0; parts.length > 1 && j < parts.length; j++) {
        var part = parts[j].toLowerCase();
        if (!STOP.has(part)) out.push(kbStem(part));
      }
    }
  }
  return out;
}

var index = null;   // the loaded index, with decoded postings cached per term
var fallback = null;

function indexURL() {
  return new URL("../search/kb-search-index.json", self.location.href).href;
}

var loading = (typeof fetch === "function" && typeof document === "undefined")
  ? fetch(indexURL()).then(function (r) { if (!r.ok) throw new Error("no prebuilt index"); return r.json(); })
      .then(function (data) { index = prepare(data); }, function () { index = null; })
  : Promise.resolve();

function prepare(data) {
  data.cache = new Map();
  data.titleWords = new Map();
  return data;
}

// Decoded postings of term number t: [section, score, section, score, ...].
function postings(t) {
  var hit = index.cache.get(t);
  if (hit) return hit;
  var s = index.postings[t], out = new Array((s.length / 5) * 2);
  for (var i = 0, j = 0; i < s.length; i += 5, j += 2) {
    out[j] = parseInt(s.substr(i, 3), 36);
    out[j + 1] = parseInt(s.substr(i + 3, 2), 36);
  }
  index.cache.set(t, out);
  return out;
}

// First index of a sorted array whose entry is >= key.
function lowerBound(list, key) {
  var lo = 0, hi = list.length;
  while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid] < key) lo = mid + 1; else hi = mid; }
  return lo;
}

// The index terms a query word stands for: itself (weight 1), and words it begins (less, the shorter the prefix).
function expand(word) {
  var out = [], terms = index.terms;
  var at = lowerBound(terms, word);
  if (terms[at] === word) out.push([at, 1]);
  if (word.length < 2 && out.length) return out;
  var limit = word.length < 3 ? 12 : 60;
  for (var i = at; i < terms.length && out.length < limit && terms[i].startsWith(word); i++) {
    if (terms[i] !== word) out.push([i, 0.35 + 0.4 * word.length / terms[i].length]);
  }
  return out;
}

// Wrap the words of escaped HTML text whose stem is one of the matched index terms in <mark>.
function highlight(text, stems) {
  if (!stems.size) return text;
  return text.replace(/&(?:[a-z]+|#\d+);|[A-Za-z0-9\u00c0-\u024f]+/g, function (m) {
    if (m[0] === "&" && m[m.length - 1] === ";") return m;
    var folded = (/^[\x00-\x7f]*$/.test(m) ? m : m.normalize("NFKD").replace(/[^\x00-\x7f]/g, "")).toLowerCase();
    return !STOP.has(folded) && stems.has(kbStem(folded)) ? "<mark>" + m + "</mark>" : m;
  });
}

function search(query) {
  var words = kbTokens(query);
  var unique = Array.from(new Set(words));
  if (!unique.length) return { items: [] };
  var docScore = new Map();   // section -> [score, matched-word bitmask]
  var matched = unique.map(function () { return []; });
  unique.forEach(function (word, w) {
    var best = new Map();
    expand(word).forEach(function (pair) {
      var list = postings(pair[0]);
      matched[w].push(index.terms[pair[0]]);
      for (var i = 0; i < list.length; i += 2) {
        var v = list[i + 1] * pair[1];
        if (!(best.get(list[i]) >= v)) best.set(list[i], v);
      }
    });
    best.forEach(function (v, d) {
      var entry = docScore.get(d);
      if (!entry) docScore.set(d, [v, 1 << w]);
      else { entry[0] += v; entry[1] |= 1 << w; }
    });
  });
  // Pages: best section plus a share of the others, times the square of the share of query words found.
  var pages = new Map();
  docScore.forEach(function (entry, d) {
    var p = index.docs[d][0];
    var page = pages.get(p);
    if (!page) pages.set(p, page = { best: 0, rest: 0, mask: 0, docs: [] });
    if (entry[0] > page.best) { page.rest += page.best; page.best = entry[0]; } else page.rest += entry[0];
    page.mask |= entry[1];
    page.docs.push([d, entry[0], entry[1]]);
  });
  var key = words.join(" ");
  var tier = new Map();
  (index.aliases[key] || []).forEach(function (p) { tier.set(p, 1); });
  (index.titles[key] || []).forEach(function (p) { tier.set(p, 2); });
  tier.forEach(function (t, p) { if (!pages.has(p)) pages.set(p, { best: 0, rest: 0, mask: (1 << unique.length) - 1, docs: [] }); });
  var ranked = [];
  pages.forEach(function (page, p) {
    var found = 0;
    for (var w = 0; w < unique.length; w++) if (page.mask & (1 << w)) found++;
    var cover = found / unique.length;
    page.score = (page.best + 0.25 * Math.min(page.rest, page.best)) * cover * cover;
    var lead = index.pages[p][3];
    if (lead === key || lead.startsWith(key + " ")) page.score *= 1.5;  // the query is how the title begins
    else if (inTitle(p, unique)) page.score *= 1.3;  // every query word is in the title
    page.tier = tier.get(p) || 0;
    page.id = p;
    ranked.push(page);
  });
  ranked.sort(function (a, b) { return b.tier - a.tier || b.score - a.score || a.id - b.id; });
  ranked = ranked.slice(0, 50);
  var stems = new Set([].concat.apply([], matched));
  var items = ranked.map(function (page) { return group(page, unique, stems); });
  var suggest;
  var last = kbTokens(query.split(/\s+/).pop() || "").pop();
  if (last && items.length) {
    var title = index.pages[ranked[0].id][1].replace(/&[a-z]+;/g, " ").toLowerCase().match(/[a-z0-9]+/g) || [];
    var completion = title.filter(function (t) { return t.startsWith(last) && t !== last; })[0];
    if (completion) suggest = [completion];
  }
  return suggest ? { items: items, suggest: suggest } : { items: items };
}

// Whether every query word is a word of page p's title (the last one may be a word being typed).
function inTitle(p, unique) {
  var words = index.titleWords.get(p);
  if (!words) index.titleWords.set(p, words = kbTokens(index.pages[p][1].replace(/&[a-z]+;/g, " ")));
  return unique.every(function (w, i) {
    return words.some(function (t) { return t === w || (i === unique.length - 1 && t.startsWith(w)); });
  });
}

// One result group as the theme draws it: the page first, then its matching sections, best first.
function group(page, unique, stems) {
  var info = index.pages[page.id];
  var location = info[0];
  var scale = page.score > 0 ? 1 / Math.max(page.best, 1) : 0;
  var docs = page.docs.sort(function (a, b) { return b[1] - a[1]; }).slice(0, 6);
  var out = [];
  var hasTop = false;
  docs.forEach(function (entry) {
    var doc = index.docs[entry[0]];
    var terms = {};
    unique.forEach(function (word, w) { terms[word] = !!(entry[2] & (1 << w)); });
    var result = {
      location: doc[1] ? location + "#" + doc[1] : location,
      title: highlight(doc[1] ? doc[2] : info[1], stems),
      text: highlight(doc[3], stems),
      score: entry[1] * scale * 100,
      terms: terms,
    };
    if (!doc[1]) { hasTop = true; if (info[2].length) result.tags = info[2].map(function (t) { return highlight(t, stems); }); }
    out.push(result);
  });
  if (!hasTop) {
    var terms = {};
    unique.forEach(function (word) { terms[word] = false; });
    var head = { location: location, title: highlight(info[1], stems), text: "", score: 0, terms: terms };
    if (info[2].length) head.tags = info[2].map(function (t) { return highlight(t, stems); });
    out.push(head);
  }
  // The theme shows the page entry as the group's head; keep it first when it scores best.
  out.sort(function (a, b) { return b.score - a.score; });
  return out;
}

function handle(message) {
  switch (message.type) {
    case 0:
      return loading.then(function () {
        if (index) return { type: 1 };
        return useFallback(message);
      });
    case 2:
      try {
        return Promise.resolve({ type: 3, data: search(String(message.data || "")) });
      } catch (e) {
        console.warn("kb-search: query failed", e);
        return Promise.resolve({ type: 3, data: { items: [] } });
      }
    default:
      return Promise.reject(new TypeError("Invalid message type"));
  }
}

// No prebuilt index: load the theme's own worker into this one and let it handle everything from now on.
function useFallback(message) {
  var url = new URL(self.location.href).searchParams.get("fallback");
  if (!url) return Promise.resolve({ type: 1 });
  fallback = true;
  importScripts(new URL(url, self.location.href).href);
  self.dispatchEvent(new MessageEvent("message", { data: message }));
  return Promise.resolve(null);
}

if (typeof document === "undefined") {
  self.addEventListener("message", function (event) {
    if (fallback) return;
    handle(event.data).then(function (reply) { if (reply) self.postMessage(reply); });
  });
}
