/* Study paths, progress, practice and mock interviews.
 *
 * Everything stays in this browser: progress is kept in localStorage, nothing is sent anywhere, and
 * the data (paths, questions, case studies) comes from the site's own assets/data/learn-*.js files,
 * which work over http and from file:// alike. Text from content files is only ever set as text.
 * Works with Material's instant navigation (document$) and without it.
 */
(function () {
  "use strict";

  var KEY = "kb-learn-v1";
  var MOCK_KEY = "kb-learn-mock-v1";
  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var CARD_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var BOX_DAYS = [0, 1, 3, 7, 16, 35]; // box n returns after BOX_DAYS[n] days
  var DAY = 86400000;
  var MINUTE = 60000;
  var self = document.currentScript;
  var ROOT = new URL("../", self ? self.src : location.href); // this file is <site>/assets/learn.js

  // ---- data files: kbLearnData("name", payload) -------------------------------------------------
  var loaded = {};
  var waiting = {};
  window.kbLearnData = function (name, payload) {
    loaded[name] = payload;
    (waiting[name] || []).forEach(function (w) { w.resolve(payload); });
    waiting[name] = [];
  };
  function data(name) {
    return new Promise(function (resolve, reject) {
      if (loaded[name]) return resolve(loaded[name]);
      var first = !waiting[name] || waiting[name].length === 0;
      (waiting[name] = waiting[name] || []).push({ resolve: resolve, reject: reject });
      if (!first) return;
      var script = document.createElement("script");
      script.src = new URL("assets/data/learn-" + name + ".js", ROOT).href;
      script.onerror = function () {
        (waiting[name] || []).forEach(function (w) { w.reject(new Error("cannot load " + name)); });
        waiting[name] = [];
        script.remove();
      };
      document.head.appendChild(script);
    });
  }

  // A page of this site from its Markdown path; anything that would leave the site becomes "#".
  function pageUrl(P, doc) {
    var url = P.dirUrls ? doc.replace(/(^|\/)index\.md$/, "$1").replace(/\.md$/, "/") : doc.replace(/\.md$/, ".html");
    var href = new URL(url, ROOT).href;
    return href.indexOf(ROOT.href) === 0 ? href : "#";
  }

  // ---- state: what the learner knows, their practice boxes, their mock interviews --------------
  function empty() {
    return { version: 1, known: {}, cards: {}, mocks: [], prefs: {} };
  }
  function num(x) {
    return typeof x === "number" && isFinite(x) && x >= 0;
  }
  // Keep only well-formed entries: a stored or imported file is never trusted as it is.
  function clean(raw) {
    if (!raw || typeof raw !== "object" || raw.version !== 1) throw new Error("not a progress file of this site (version 1)");
    var out = empty();
    Object.keys(raw.known || {}).forEach(function (slug) {
      if (SLUG.test(slug) && num(raw.known[slug])) out.known[slug] = raw.known[slug];
    });
    Object.keys(raw.cards || {}).forEach(function (id) {
      var c = raw.cards[id];
      if (!CARD_ID.test(id) || !c || typeof c !== "object") return;
      var box = Math.round(c.box);
      if (!(box >= 1 && box <= 5) || !num(c.due)) return;
      out.cards[id] = { box: box, due: c.due, seen: num(c.seen) ? Math.round(c.seen) : 1, last: num(c.last) ? c.last : 0 };
    });
    (Array.isArray(raw.mocks) ? raw.mocks : []).slice(-200).forEach(function (m) {
      if (m && SLUG.test(m.c) && num(m.at)) out.mocks.push({ c: m.c, at: m.at, done: m.done === true });
    });
    var prefs = raw.prefs && typeof raw.prefs === "object" ? raw.prefs : {};
    ["path", "domain", "level", "mockCase"].forEach(function (k) {
      if (typeof prefs[k] === "string" && (prefs[k] === "" || SLUG.test(prefs[k]))) out.prefs[k] = prefs[k];
    });
    return out;
  }
  function load() {
    try {
      var text = localStorage.getItem(KEY);
      return text ? clean(JSON.parse(text)) : empty();
    } catch (e) {
      return empty();
    }
  }
  function save(state) {
    try {
      localStorage.setItem(KEY, JSON.stringify(state));
      return true;
    } catch (e) {
      return false;
    }
  }
  function update(change) {
    var state = load();
    change(state);
    save(state);
    refresh();
    return state;
  }
  function merge(into, other) {
    Object.keys(other.known).forEach(function (s) {
      into.known[s] = Math.max(into.known[s] || 0, other.known[s]);
    });
    Object.keys(other.cards).forEach(function (id) {
      var mine = into.cards[id];
      if (!mine || other.cards[id].last >= mine.last) into.cards[id] = other.cards[id];
    });
    var seen = {};
    into.mocks = into.mocks.concat(other.mocks).filter(function (m) {
      var k = m.c + "@" + m.at;
      return seen[k] ? false : (seen[k] = true);
    }).sort(function (a, b) { return a.at - b.at; }).slice(-200);
    Object.keys(other.prefs).forEach(function (k) {
      if (!(k in into.prefs)) into.prefs[k] = other.prefs[k];
    });
    return into;
  }

  // ---- small DOM helpers (text only) -------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "hidden") node.hidden = !!attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function button(text, cls, onClick) {
    var b = el("button", { type: "button", class: "md-button " + (cls || "") , text: text });
    b.addEventListener("click", onClick);
    return b;
  }
  // Content text with `code` spans and $math$ (as the wiki reads them), built from text nodes only.
  var INLINE = /(`+)([^`]+?)\1|\$(?![\s$])((?:\\.|[^\\$`])*?[^\s\\$`])\$/g;
  function rich(node, text) {
    node.textContent = "";
    var pos = 0;
    text.replace(INLINE, function (match, ticks, code, tex, offset) {
      node.appendChild(document.createTextNode(text.slice(pos, offset)));
      if (code !== undefined) node.appendChild(el("code", { text: code }));
      else {
        var span = el("span", { class: "kb-math" });
        try {
          window.katex.render(tex, span, { throwOnError: false, trust: false });
        } catch (e) {
          span.textContent = match;
        }
        node.appendChild(span);
      }
      pos = offset + match.length;
      return match;
    });
    node.appendChild(document.createTextNode(text.slice(pos)));
    return node;
  }
  function plural(n, noun) {
    return n + " " + noun + (n === 1 ? "" : "s");
  }
  function days(ms) {
    var d = Math.round(ms / DAY);
    return d <= 0 ? "today" : d === 1 ? "tomorrow" : "in " + d + " days";
  }
  function clock(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    var m = Math.floor(s / 60);
    return (m < 10 ? "0" : "") + m + ":" + (s % 60 < 10 ? "0" : "") + (s % 60);
  }

  // ---- progress on paths --------------------------------------------------------------------------
  function pathOf(P, slug) {
    return P.paths.filter(function (p) { return p.slug === slug; })[0];
  }
  function written(P, items) {
    return items.filter(function (s) { return P.concepts[s]; });
  }
  function progress(P, state, path, stage) {
    var stages = stage === undefined ? path.stages : [path.stages[stage]];
    var items = written(P, [].concat.apply([], stages.map(function (s) { return s.items; })));
    var done = items.filter(function (s) { return state.known[s]; }).length;
    return { done: done, total: items.length };
  }
  function nextItem(P, state, path) {
    for (var i = 0; i < path.stages.length; i++) {
      var items = written(P, path.stages[i].items);
      for (var j = 0; j < items.length; j++) if (!state.known[items[j]]) return { slug: items[j], stage: i };
    }
    return null;
  }
  function drawBar(node, done, total) {
    var pct = total ? Math.round((100 * done) / total) : 0;
    var bar = node.querySelector(".kb-progress__bar");
    var label = node.querySelector(".kb-progress__label");
    if (bar) bar.style.width = pct + "%";
    if (label) label.textContent = done + " of " + plural(total, "page") + " · " + pct + "%";
    node.setAttribute("role", "progressbar");
    node.setAttribute("aria-valuemin", "0");
    node.setAttribute("aria-valuemax", String(total));
    node.setAttribute("aria-valuenow", String(done));
    node.classList.toggle("kb-progress--done", total > 0 && done === total);
  }
  function conceptLink(P, slug) {
    var c = P.concepts[slug];
    return el("a", { href: pageUrl(P, c.d), text: c.t });
  }
  function drawNext(P, state, node, path) {
    var next = nextItem(P, state, path);
    node.textContent = "";
    node.hidden = false;
    if (!next) {
      node.appendChild(el("strong", { text: "Path complete: " }));
      node.appendChild(document.createTextNode("every page is marked. Rehearse with a "));
      node.appendChild(el("a", { href: pageUrl(P, "mock.md"), text: "mock interview" }));
      node.appendChild(document.createTextNode("."));
      return;
    }
    var stage = path.stages[next.stage];
    node.appendChild(el("strong", { text: "Next: " }));
    node.appendChild(conceptLink(P, next.slug));
    node.appendChild(document.createTextNode(" · stage " + (next.stage + 1) + ", "));
    node.appendChild(el("a", { href: pageUrl(P, path.d) + "#" + stage.anchor, text: stage.title }));
  }
  function drawContinue(P, state, node) {
    var best = null;
    P.paths.forEach(function (path) {
      var last = 0;
      written(P, [].concat.apply([], path.stages.map(function (s) { return s.items; }))).forEach(function (s) {
        last = Math.max(last, state.known[s] || 0);
      });
      if (last && (!best || last > best.last)) best = { path: path, last: last };
    });
    node.hidden = !best;
    if (!best) return;
    var p = progress(P, state, best.path);
    node.textContent = "";
    node.appendChild(el("strong", { text: "Continue: " }));
    node.appendChild(el("a", { href: pageUrl(P, best.path.d), text: best.path.title }));
    node.appendChild(document.createTextNode(" (" + p.done + " of " + p.total + " pages). "));
    var next = nextItem(P, state, best.path);
    if (next) {
      node.appendChild(document.createTextNode("Next up: "));
      node.appendChild(conceptLink(P, next.slug));
    }
  }

  function drawMarks(P, state) {
    document.querySelectorAll("[data-kb-mark]").forEach(function (b) {
      var slug = b.getAttribute("data-kb-mark");
      var on = !!state.known[slug];
      b.hidden = false;
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.classList.toggle("kb-mark--on", on);
      b.textContent = on ? "✓ I can explain this" : "I can explain this";
      if (!b.kbWired) {
        b.kbWired = true;
        b.addEventListener("click", function () {
          update(function (s) {
            if (s.known[slug]) delete s.known[slug];
            else s.known[slug] = Date.now();
          });
        });
      }
    });
    document.querySelectorAll("[data-kb-item]").forEach(function (span) {
      var slug = span.getAttribute("data-kb-item");
      if (!P.concepts[slug]) return;
      var box = span.querySelector("input");
      if (!box) {
        box = el("input", { type: "checkbox", class: "kb-item__check", "aria-label": "I can explain " + P.concepts[slug].t });
        box.addEventListener("change", function () {
          var on = box.checked;
          update(function (s) {
            if (on) s.known[slug] = s.known[slug] || Date.now();
            else delete s.known[slug];
          });
        });
        span.appendChild(box);
      }
      box.checked = !!state.known[slug];
      var li = span.closest("li");
      if (li) li.classList.toggle("kb-done", box.checked);
    });
  }

  function drawProgress(P, state) {
    document.querySelectorAll("[data-kb-progress]").forEach(function (node) {
      var path = pathOf(P, node.getAttribute("data-kb-progress"));
      if (!path) return;
      var stage = node.getAttribute("data-kb-stage");
      var p = progress(P, state, path, stage === null ? undefined : Number(stage));
      drawBar(node, p.done, p.total);
    });
    document.querySelectorAll("[data-kb-next]").forEach(function (node) {
      var path = pathOf(P, node.getAttribute("data-kb-next"));
      if (path) drawNext(P, state, node, path);
    });
    document.querySelectorAll("[data-kb-continue]").forEach(function (node) {
      drawContinue(P, state, node);
    });
  }

  // ---- export, import, reset ------------------------------------------------------------------------
  function summaryText(state) {
    var known = Object.keys(state.known).length;
    var cards = Object.keys(state.cards).length;
    var mocks = state.mocks.filter(function (m) { return m.done; }).length;
    return plural(known, "page") + " marked “I can explain this”, " + plural(cards, "practice question") + " in your boxes, " + plural(mocks, "mock interview") + " finished.";
  }
  function exportFile() {
    var state = load();
    var blob = new Blob([JSON.stringify(state, null, 1)], { type: "application/json" });
    var a = el("a", { href: URL.createObjectURL(blob), download: "mlsd-progress-" + new Date().toISOString().slice(0, 10) + ".json" });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function drawTools(P) {
    document.querySelectorAll("[data-kb-tools]").forEach(function (box) {
      var summary = box.querySelector("[data-kb-summary]");
      if (summary) summary.textContent = summaryText(load());
      if (box.kbWired) return;
      box.kbWired = true;
      var message = el("p", { class: "kb-tools__message", role: "status" });
      var file = el("input", { type: "file", accept: "application/json,.json", class: "kb-tools__file", "aria-label": "Progress file to import" });
      file.addEventListener("change", function () {
        var f = file.files && file.files[0];
        if (!f) return;
        var reader = new FileReader();
        reader.onload = function () {
          try {
            var incoming = clean(JSON.parse(String(reader.result)));
            var state = update(function (s) { merge(s, incoming); });
            message.textContent = "Imported. You now have " + summaryText(state);
          } catch (e) {
            message.textContent = "Not imported: " + e.message + ".";
          }
          file.value = "";
        };
        reader.readAsText(f);
      });
      var buttons = el("p", { class: "kb-tools__buttons" }, [
        button("Export progress", "md-button--primary kb-export", exportFile),
        button("Import progress", "kb-import", function () { file.click(); }),
        button("Reset", "kb-reset", function () {
          if (window.confirm("Forget every mark, practice box and mock interview kept in this browser?")) {
            update(function (s) { s.known = {}; s.cards = {}; s.mocks = []; });
            message.textContent = "Progress reset.";
          }
        }),
      ]);
      box.appendChild(buttons);
      box.appendChild(file);
      box.appendChild(message);
    });
  }

  // ---- practice: questions, self-grades, Leitner boxes ----------------------------------------
  function practice(app, P, Q) {
    var state = load();
    var prefs = state.prefs;
    var filters = el("form", { class: "kb-practice__filters" });
    function select(name, label, options, value) {
      var s = el("select", { name: name, class: "kb-select" });
      options.forEach(function (o) {
        var opt = el("option", { value: o[0], text: o[1] });
        if (o[0] === value) opt.selected = true;
        s.appendChild(opt);
      });
      filters.appendChild(el("label", { class: "kb-field" }, [el("span", { text: label }), s]));
      return s;
    }
    var pathSel = select("path", "Path", [["", "Any path"]].concat(P.paths.map(function (p) { return [p.slug, p.title]; })), prefs.path || "");
    var domainSel = select("domain", "Domain", [["", "Any domain"]].concat(P.domains.map(function (d) { return [d.slug, d.title]; })), prefs.domain || "");
    var levelSel = select("level", "Level", [["", "Any level"], ["core", "Core"], ["advanced", "Advanced"]], prefs.level || "");
    var counts = el("p", { class: "kb-practice__counts", role: "status" });
    var card = el("div", { class: "kb-card", hidden: true });
    var meta = el("p", { class: "kb-card__meta" });
    var question = el("p", { class: "kb-card__q" });
    var reveal = button("Show the answer", "md-button--primary kb-reveal", function () { show(); });
    var answer = el("div", { class: "kb-card__a", hidden: true });
    var grades = el("p", { class: "kb-card__grades", hidden: true }, [
      button("Again", "kb-grade", function () { grade("again"); }),
      button("Hard", "kb-grade", function () { grade("hard"); }),
      button("Good", "md-button--primary kb-grade", function () { grade("good"); }),
    ]);
    grades.querySelectorAll("button").forEach(function (b, i) { b.setAttribute("data-kb-grade", ["again", "hard", "good"][i]); });
    card.appendChild(meta);
    card.appendChild(question);
    card.appendChild(reveal);
    card.appendChild(answer);
    card.appendChild(grades);
    var empty = el("div", { class: "kb-card kb-card--empty", hidden: true });
    app.textContent = "";
    app.appendChild(filters);
    app.appendChild(counts);
    app.appendChild(card);
    app.appendChild(empty);
    app.appendChild(el("p", { class: "kb-keys", text: "Keys: space shows the answer; 1 Again, 2 Hard, 3 Good." }));

    var queue = [];
    var current = null;
    var ahead = false;
    var byId = {};
    Q.forEach(function (q) { byId[q.id] = q; });

    function matching() {
      var path = pathOf(P, pathSel.value);
      var inPath = null;
      if (path) {
        inPath = {};
        path.stages.forEach(function (s) { s.items.forEach(function (i) { inPath[i] = true; }); });
      }
      return Q.filter(function (q) {
        var c = P.concepts[q.c];
        if (!c) return false;
        if (inPath && !inPath[q.c]) return false;
        if (domainSel.value && c.dom !== domainSel.value) return false;
        if (levelSel.value && c.lvl !== levelSel.value) return false;
        return true;
      });
    }
    function shuffle(list) {
      for (var i = list.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var t = list[i];
        list[i] = list[j];
        list[j] = t;
      }
      return list;
    }
    function rebuild() {
      var s = load();
      var now = Date.now();
      var pool = matching();
      var due = pool.filter(function (q) { return s.cards[q.id] && s.cards[q.id].due <= now; });
      var fresh = shuffle(pool.filter(function (q) { return !s.cards[q.id]; }));
      var later = pool.filter(function (q) { return s.cards[q.id] && s.cards[q.id].due > now; });
      due.sort(function (a, b) { return s.cards[a.id].due - s.cards[b.id].due; });
      later.sort(function (a, b) { return s.cards[a.id].due - s.cards[b.id].due; });
      queue = due.concat(fresh).concat(ahead ? later : []).map(function (q) { return q.id; });
      counts.textContent = pool.length + " questions match: " + due.length + " due, " + fresh.length + " new, " + later.length + " scheduled later.";
      next();
    }
    function next() {
      current = queue.shift() || null;
      card.hidden = !current;
      empty.hidden = !!current;
      if (!current) {
        var s = load();
        var dues = matching().filter(function (q) { return s.cards[q.id]; }).map(function (q) { return s.cards[q.id].due; });
        var upcoming = dues.length ? Math.min.apply(null, dues) : 0;
        empty.textContent = "";
        empty.appendChild(el("p", { text: upcoming ? "Nothing due here. The next question comes back " + days(upcoming - Date.now()) + "." : "No question matches these filters." }));
        if (upcoming) empty.appendChild(button("Practise ahead anyway", "kb-ahead", function () { ahead = true; rebuild(); }));
        return;
      }
      var q = byId[current];
      var c = P.concepts[q.c];
      var box = load().cards[q.id];
      card.setAttribute("data-kb-card", q.id);
      meta.textContent = (box ? "Box " + box.box + " of 5" : "New question") + " · " + c.lvl;
      rich(question, q.q);
      answer.hidden = true;
      grades.hidden = true;
      reveal.hidden = false;
      reveal.focus({ preventScroll: true });
    }
    function show() {
      if (!current) return;
      var q = byId[current];
      answer.textContent = "";
      answer.appendChild(rich(el("p"), q.a));
      var from = el("p", { class: "kb-card__from" }, ["From ", conceptLink(P, q.c)]);
      answer.appendChild(from);
      answer.hidden = false;
      grades.hidden = false;
      reveal.hidden = true;
    }
    function grade(how) {
      if (!current || grades.hidden) return;
      var id = current;
      var now = Date.now();
      update(function (s) {
        var c = s.cards[id] || { box: 0, due: now, seen: 0, last: 0 };
        if (how === "again") {
          c.box = 1;
          c.due = now; // due again at once: first in the next session
        } else if (how === "hard") {
          c.box = Math.max(1, c.box);
          c.due = now + DAY;
        } else {
          c.box = Math.min(5, c.box + 1);
          c.due = now + BOX_DAYS[c.box] * DAY;
        }
        c.seen += 1;
        c.last = now;
        s.cards[id] = c;
      });
      if (how === "again") queue.splice(Math.min(3, queue.length), 0, id); // comes back a few questions later
      next();
    }
    [pathSel, domainSel, levelSel].forEach(function (s) {
      s.addEventListener("change", function () {
        update(function (st) {
          st.prefs.path = pathSel.value;
          st.prefs.domain = domainSel.value;
          st.prefs.level = levelSel.value;
        });
        ahead = false;
        rebuild();
      });
    });
    keys = function (e) {
      if (!app.isConnected || e.target.closest("input, select, textarea") || e.altKey || e.ctrlKey || e.metaKey) return;
      if ((e.key === " " || e.key === "Enter") && !reveal.hidden && !card.hidden && e.target === reveal) return; // the button handles it
      if (e.key === " " && !card.hidden && !reveal.hidden) {
        e.preventDefault();
        show();
      } else if (!grades.hidden && (e.key === "1" || e.key === "2" || e.key === "3")) {
        grade(["again", "hard", "good"][Number(e.key) - 1]);
      }
    };
    rebuild();
  }
  var keys = null;
  document.addEventListener("keydown", function (e) {
    if (keys) keys(e);
  });

  // ---- mock interview: a 45-minute timer through the framework's phases ------------------------
  var ticker = null;
  function mock(app, P, M) {
    var cases = M.cases.filter(function (c) { return P.concepts[c.slug]; });
    app.textContent = "";
    if (!cases.length) {
      app.appendChild(el("p", { text: "No case studies yet." }));
      return;
    }
    var total = M.phases.reduce(function (t, p) { return t + p.minutes * MINUTE; }, 0);
    var setup = el("div", { class: "kb-mock__setup" });
    var pick = el("select", { class: "kb-select", name: "case" }, [el("option", { value: "", text: "A random case study" })]);
    cases.forEach(function (c) { pick.appendChild(el("option", { value: c.slug, text: P.concepts[c.slug].t })); });
    var preferred = load().prefs.mockCase;
    if (preferred && P.concepts[preferred]) pick.value = preferred;
    setup.appendChild(el("label", { class: "kb-field" }, [el("span", { text: "Case study" }), pick]));
    setup.appendChild(button("Start the 45-minute interview", "md-button--primary kb-mock-start", function () {
      var slug = pick.value || cases[Math.floor(Math.random() * cases.length)].slug;
      update(function (s) { s.prefs.mockCase = pick.value; });
      var run = { c: slug, start: Date.now(), paused: null, pausedFor: 0, skipped: 0 };
      try { localStorage.setItem(MOCK_KEY, JSON.stringify(run)); } catch (e) { /* private mode: the timer still runs */ }
      current = run;
      draw();
      app.scrollIntoView({ block: "start" });
    }));
    var run = el("div", { class: "kb-mock__run", hidden: true });
    var title = el("h2", { class: "kb-mock__case" });
    var problem = el("p", { class: "kb-mock__problem" });
    var phases = el("ol", { class: "kb-mock__phases" });
    M.phases.forEach(function (p) {
      phases.appendChild(el("li", { "data-kb-phase": p.key }, [el("span", { text: p.title }), el("small", { text: " · " + p.minutes + " min" })]));
    });
    var now = el("p", { class: "kb-mock__clock", role: "timer", "aria-live": "off" });
    var phaseBar = el("span", { class: "kb-progress" }, [el("span", { class: "kb-progress__bar" })]);
    var promptsTitle = el("h3", { class: "kb-mock__cover" });
    var prompts = el("ul", { class: "kb-mock__prompts" });
    var pause = button("Pause", "kb-mock-pause", function () {
      var t = Date.now();
      if (current.paused === null) current.paused = t;
      else {
        current.pausedFor += t - current.paused;
        current.paused = null;
      }
      keep();
      draw();
    });
    var skip = button("Next phase", "kb-mock-next", function () {
      var at = elapsed();
      var end = 0;
      for (var i = 0; i < M.phases.length; i++) {
        end += M.phases[i].minutes * MINUTE;
        if (at < end) break;
      }
      current.skipped += end - at;
      keep();
      draw();
    });
    var stop = button("Stop", "kb-mock-stop", function () {
      finish(false);
    });
    [title, phases, now, phaseBar, problem, promptsTitle, prompts, el("p", { class: "kb-mock__buttons" }, [pause, skip, stop])].forEach(function (n) {
      run.appendChild(n);
    });
    var end = el("div", { class: "kb-mock__end", hidden: true });
    app.appendChild(setup);
    app.appendChild(run);
    app.appendChild(end);

    var current = null;
    var shownPhase = null;
    try {
      var saved = JSON.parse(localStorage.getItem(MOCK_KEY) || "null");
      if (saved && SLUG.test(saved.c) && num(saved.start) && P.concepts[saved.c]) current = saved;
    } catch (e) {
      current = null;
    }
    function keep() {
      try { localStorage.setItem(MOCK_KEY, JSON.stringify(current)); } catch (e) { /* ignore */ }
    }
    function elapsed() {
      var t = current.paused !== null ? current.paused : Date.now();
      return t - current.start - current.pausedFor + current.skipped;
    }
    function caseData(slug) {
      return M.cases.filter(function (c) { return c.slug === slug; })[0];
    }
    function finish(done) {
      var c = current;
      try { localStorage.removeItem(MOCK_KEY); } catch (e) { /* ignore */ }
      current = null;
      update(function (s) { s.mocks.push({ c: c.c, at: c.start, done: done }); });
      run.hidden = true;
      setup.hidden = false;
      if (!done) {
        end.hidden = true;
        return;
      }
      end.textContent = "";
      end.hidden = false;
      end.appendChild(el("h2", { text: "Time is up" }));
      end.appendChild(el("p", { text: "Compare your design with the worked one: requirements, framing, data, models, evaluation, serving and monitoring." }));
      var open = el("a", { class: "md-button md-button--primary kb-mock-open", href: pageUrl(P, P.concepts[c.c].d), text: "Open the worked design: " + P.concepts[c.c].t });
      end.appendChild(el("p", {}, [open]));
      open.focus({ preventScroll: true });
    }
    function draw() {
      if (!current) {
        setup.hidden = false;
        run.hidden = true;
        return;
      }
      var at = elapsed();
      if (at >= total) return finish(true);
      setup.hidden = true;
      end.hidden = true;
      run.hidden = false;
      var c = caseData(current.c);
      if (title.getAttribute("data-kb-case") !== current.c) {
        title.setAttribute("data-kb-case", current.c);
        title.textContent = P.concepts[current.c].t;
        rich(problem, c.problem);
        shownPhase = null;
      }
      var start = 0;
      var phase = M.phases[0];
      for (var i = 0; i < M.phases.length; i++) {
        phase = M.phases[i];
        if (at < start + phase.minutes * MINUTE) break;
        start += phase.minutes * MINUTE;
      }
      var left = start + phase.minutes * MINUTE - at;
      app.setAttribute("data-kb-phase", phase.key);
      phases.querySelectorAll("li").forEach(function (li) {
        var k = li.getAttribute("data-kb-phase");
        var idx = M.phases.map(function (p) { return p.key; }).indexOf(k);
        li.className = k === phase.key ? "is-current" : idx < M.phases.indexOf(phase) ? "is-done" : "";
      });
      now.textContent = clock(left) + " left in " + phase.title + " · " + clock(total - at) + " in total" + (current.paused !== null ? " · paused" : "");
      phaseBar.querySelector(".kb-progress__bar").style.width = Math.round((100 * (at - start)) / (phase.minutes * MINUTE)) + "%";
      pause.textContent = current.paused !== null ? "Resume" : "Pause";
      if (shownPhase !== phase.key) {
        shownPhase = phase.key;
        promptsTitle.textContent = "Cover now: " + phase.title;
        prompts.textContent = "";
        phase.prompts.concat(c.prompts[phase.key] || []).forEach(function (p) {
          prompts.appendChild(rich(el("li"), p));
        });
      }
    }
    draw();
    ticker = setInterval(function () {
      if (!app.isConnected) return stopTicker();
      if (current) draw();
    }, 1000);
  }
  function stopTicker() {
    if (ticker !== null) clearInterval(ticker);
    ticker = null;
  }

  // ---- wiring -------------------------------------------------------------------------------------
  var P = null;
  function refresh() {
    if (!P) return;
    var state = load();
    drawMarks(P, state);
    drawProgress(P, state);
    drawTools(P);
  }
  function fail(app, what) {
    app.textContent = "";
    app.appendChild(el("p", { class: "kb-error", text: "Could not load the " + what + " of this site." }));
  }
  function init() {
    stopTicker();
    keys = null;
    var needsData = document.querySelector("[data-kb-mark], [data-kb-progress], [data-kb-next], [data-kb-continue], [data-kb-tools], [data-kb-app]");
    if (!needsData) return;
    data("paths").then(function (paths) {
      P = paths;
      refresh();
      document.querySelectorAll('[data-kb-app="practice"]').forEach(function (app) {
        data("questions").then(function (Q) { practice(app, P, Q); }, function () { fail(app, "questions"); });
      });
      document.querySelectorAll('[data-kb-app="mock"]').forEach(function (app) {
        data("mock").then(function (M) { mock(app, P, M); }, function () { fail(app, "case studies"); });
      });
    }, function () {
      document.querySelectorAll("[data-kb-app]").forEach(function (app) { fail(app, "study data"); });
    });
  }
  window.addEventListener("storage", function (e) {
    if (e.key === KEY) refresh();
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { init(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
