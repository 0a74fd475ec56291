"""The site's search index, prebuilt: Material's search_index.json turned into the compact index that
assets/kb-search.js answers from without building anything in the browser.

What is indexed: every page and section the theme indexes, less the link lists (Sources, Related,
Referenced by), diagram sources, LaTeX markup and the alias line (aliases are their own field).
Each (term, section) pair carries its precomputed BM25 score (title, aliases and text scored apart,
then weighted), so a query is a few lookups. The tokenizer and stemmer here are mirrored, rule for
rule, by kb-search.js; tests/test_search.py checks that both give the same tokens.

Pure text in, text out: no MkDocs import. Every string in the index is HTML-escaped (the theme shows
titles, tags and text as HTML).
"""

from __future__ import annotations

import html
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

INDEX_FILE = "kb-search-index.json"
VERSION = 1
LINK_SECTIONS = frozenset({"related-concepts", "similar-concepts", "referenced-by", "sources", "on-study-paths"})
STOP_WORDS = frozenset(
    """a able about across after all almost also am among an and any are as at be because been but by can
    cannot could dear did do does either else ever every for from get got had has have he her hers him his how
    however i if in into is it its just least let like likely may me might most must my neither no nor not of
    off often on only or other our own rather said say says she should since so some than that the their them
    then there these they this tis to too twas us vs wants was we were what when where which while who whom
    why will with would yet you your""".split()
)
FIELDS = {"title": 6.0, "tags": 5.0, "heading": 2.0, "text": 1.0}  # page title, aliases, section heading, text
K1 = 1.2
B = {"title": 0.5, "tags": 0.5, "heading": 0.3, "text": 0.6}
EXCERPT = 320  # characters of a section's text shown under a result
MAX_SCORE = 36**2 - 1  # stored scores are scaled to 1..1295: two base-36 digits
DOC_DIGITS = 3  # a section's number in base 36: up to 46,655 sections

_CASED = re.compile(r"[A-Za-z0-9]+")
_HUMP = re.compile(r"[a-z][A-Z]")  # camelCase inside a word: PagedAttention, FlashAttention
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_MERMAID = re.compile(r"<pre><code>\s*(?:flowchart|graph|sequenceDiagram|classDiagram|stateDiagram|erDiagram|gantt|pie|mindmap)\b.*?</pre>", re.S)
_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
_LATEX_SYMBOLS = {
    "times": "×", "cdot": "·", "approx": "≈", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠",
    "sim": "~", "pm": "±", "infty": "∞", "to": "→", "rightarrow": "→", "sum": "Σ", "prod": "Π", "sqrt": "√",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "theta": "θ", "lambda": "λ",
    "mu": "μ", "sigma": "σ", "tau": "τ", "pi": "π", "ell": "ℓ", "in": "∈", "mid": "|", "lfloor": "⌊", "rfloor": "⌋",
    "lceil": "⌈", "rceil": "⌉", "log": "log", "ln": "ln", "exp": "exp", "max": "max", "min": "min", "arg": "arg",
}


def tokens(text: str) -> list[str]:
    """Search tokens of a text: accents dropped, lowercase ASCII words and numbers, stop words out, stemmed.

    `FP16/BF16/FP8` gives fp16, bf16, fp8; `k-means` gives k, mean; `PagedAttention` gives pagedattention,
    pag, attention. Mirrored by kbTokens() in kb-search.js.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return [t for word in _CASED.findall(folded) for t in _word_tokens(word)]


@lru_cache(maxsize=131072)
def _word_tokens(word: str) -> tuple[str, ...]:
    lower = word.lower()
    out = [] if lower in STOP_WORDS else [stem(lower)]
    parts = _CAMEL.findall(word) if _HUMP.search(word) else []
    out += [stem(p.lower()) for p in parts if len(parts) > 1 and p.lower() not in STOP_WORDS]
    return tuple(out)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer (plurals, -ing, -ed, final e); words with digits or of 3 letters or fewer stay."""
    w = word
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        base = w[: -len(suffix)]
        if w.endswith(suffix) and len(base) >= 3 and any(v in base for v in "aeiouy"):
            w = base
            if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            return w
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]
    return w


def _latex(expr: str) -> str:
    """LaTeX math as readable text: \\times -> ×, \\frac{a}{b} -> (a)/(b), braces and spacing commands dropped."""
    out = re.sub(r"\\(?:mathrm|text|mathbf|mathit|operatorname|textbf|mathcal|boldsymbol)\s*\{([^{}]*)\}", r"\1", expr)
    for _ in range(3):
        out = re.sub(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)", out)
    out = re.sub(r"\\([A-Za-z]+)", lambda m: _LATEX_SYMBOLS.get(m.group(1), "" if m.group(1) in ("left", "right", "quad", "qquad") else m.group(1)), out)
    out = re.sub(r"\\[,;:! ]", " ", out).replace("\\\\", " ").replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", out).strip()


def plain_text(fragment: str) -> str:
    """The visible text of an indexed HTML fragment: diagram sources, tags and math markup removed, entities decoded."""
    text = _MERMAID.sub(" ", fragment)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _MATH.sub(lambda m: _latex(m.group(1) or m.group(2)), text)
    return re.sub(r"\s+", " ", text).strip()


def _page_intro(fragment: str) -> str:
    """A concept page's intro without the meta line (domain · level · tags), the alias line and the box label."""
    seen = 0

    def keep(match: re.Match[str]) -> str:
        nonlocal seen
        inner = plain_text(match.group(1))
        seen += 1
        if seen == 1 and re.search(r" · (?:core|advanced)\b", inner):
            return " "
        return " " if inner.startswith("Also known as:") or inner == "Definition" else match.group(0)

    return _PARAGRAPH.sub(keep, fragment)


def _excerpt(text: str) -> str:
    if len(text) <= EXCERPT:
        return text
    cut = text.rfind(" ", 0, EXCERPT)
    return text[: cut if cut > EXCERPT // 2 else EXCERPT] + " …"


def names(title: str, aliases: list[str]) -> tuple[set[str], set[str]]:
    """The token keys a query must equal to name a page exactly. First: its title, whole, without its
    parenthesis, or one of its ' / ' alternatives. Second: its aliases and the items in its parenthesis."""
    bare = re.sub(r"\s*\([^)]*\)", "", title)
    first = [title, bare] + [part for part in re.split(r"\s+/\s+", bare) if part]
    second = list(aliases)
    for inner in re.findall(r"\(([^)]*)\)", title):
        second += [part for part in re.split(r",\s*|\s+/\s+|/", inner) if part]
    titles = {_key(v) for v in first} - {""}
    return titles, {_key(a) for a in second} - {""} - titles


def _key(text: str) -> str:
    return " ".join(tokens(text))


@dataclass
class _Page:
    location: str
    title: str
    tags: list[str]
    boost: float


@dataclass
class _Doc:
    page: int
    anchor: str
    heading: str
    text: str
    fields: dict[str, Counter[str]] = field(default_factory=dict)


def _docs(material: dict[str, Any]) -> tuple[list[_Page], list[_Doc]]:
    """Pages and their sections (less the link lists), from Material's index entries."""
    pages: list[_Page] = []
    where: dict[str, int] = {}
    docs: list[_Doc] = []
    entries = [e for e in material.get("docs", []) if isinstance(e, dict)]
    for entry in entries:
        location = str(entry.get("location", ""))
        if "#" not in location:
            where[location] = len(pages)
            title = html.unescape(_TAG.sub("", str(entry.get("title", ""))))
            tags = [str(t) for t in entry.get("tags", []) or []]
            pages.append(_Page(location, title, tags, float(entry.get("boost", 1) or 1)))
    for entry in entries:
        location = str(entry.get("location", ""))
        page, _, anchor = location.partition("#")
        if anchor in LINK_SECTIONS or page not in where:
            continue
        fragment = str(entry.get("text", ""))
        if not anchor:
            fragment = _page_intro(fragment)
        heading = html.unescape(_TAG.sub("", str(entry.get("title", "")))) if anchor else ""
        docs.append(_Doc(where[page], anchor, heading, plain_text(fragment)))
    return pages, docs


_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_PAIRS = [a + b for a in _B36 for b in _B36]  # every two-digit base-36 number, 0..1295


def _posting(doc: int, score: int) -> str:
    """One (section, score) entry: three base-36 digits of section number, two of score."""
    return _B36[doc // 1296] + _PAIRS[doc % 1296] + _PAIRS[score]


def _fields(page: _Page, doc: _Doc) -> dict[str, Counter[str]]:
    """Token counts per field; a page's title and aliases belong to its top section only."""
    top = not doc.anchor
    return {
        "title": Counter(tokens(page.title)) if top else Counter(),
        "tags": Counter({t: 1 for tag in page.tags for t in tokens(tag)}) if top else Counter(),
        "heading": Counter(tokens(doc.heading)),
        "text": Counter(tokens(doc.text)),
    }


def _scores(pages: list[_Page], docs: list[_Doc]) -> dict[str, list[tuple[int, float]]]:
    """BM25 of every (term, section): fields scored apart and weighted, a page's name counted once."""
    n = len(docs)
    average = {f: (sum(sum(d.fields[f].values()) for d in docs) / max(1, n)) or 1.0 for f in FIELDS}
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set().union(*(doc.fields[f].keys() for f in FIELDS)))
    idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
    raw: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, doc in enumerate(docs):
        boost = 1 + math.log(pages[doc.page].boost)
        per_field: dict[str, dict[str, float]] = {}
        for f, weight in FIELDS.items():
            counts = doc.fields[f]
            damp = K1 * (1 - B[f] + B[f] * sum(counts.values()) / average[f])
            per_field[f] = {term: weight * tf * (K1 + 1) / (tf + damp) for term, tf in counts.items()}
        for term in set().union(*per_field.values()):
            name = max(per_field["title"].get(term, 0.0), per_field["tags"].get(term, 0.0))
            score = name + per_field["heading"].get(term, 0.0) + per_field["text"].get(term, 0.0)
            raw[term].append((i, idf[term] * score * boost))
    return raw


def build_index(material: dict[str, Any]) -> dict[str, object]:
    """The compact index from Material's search_index.json content (see the module docstring)."""
    pages, docs = _docs(material)
    if len(docs) >= 36**DOC_DIGITS:
        raise ValueError(f"{len(docs)} sections: the search index holds at most {36**DOC_DIGITS - 1}")
    for doc in docs:
        doc.fields = _fields(pages[doc.page], doc)
    raw = _scores(pages, docs)
    scale = MAX_SCORE / max((s for entries in raw.values() for _, s in entries), default=1.0)
    terms = sorted(raw)
    exact_titles: dict[str, list[int]] = defaultdict(list)
    exact_aliases: dict[str, list[int]] = defaultdict(list)
    for p, page in enumerate(pages):
        titles, aliases = names(page.title, page.tags)
        for key in titles:
            exact_titles[key].append(p)
        for key in aliases:
            exact_aliases[key].append(p)
    esc = html.escape
    return {
        "v": VERSION,
        "pages": [
            [page.location, esc(page.title, quote=False), [esc(t, quote=False) for t in page.tags], _key(re.sub(r"\([^)]*\)", "", page.title))]
            for page in pages
        ],
        "docs": [[d.page, d.anchor, esc(d.heading, quote=False), esc(_excerpt(d.text), quote=False)] for d in docs],
        "terms": terms,
        "postings": ["".join(_posting(i, max(1, round(s * scale))) for i, s in raw[t]) for t in terms],
        "titles": dict(sorted(exact_titles.items())),
        "aliases": dict(sorted(exact_aliases.items())),
    }


def write_search_index(site_dir: Path) -> bool:
    """Replace a built site's search/search_index.json by the prebuilt index (and a stub the theme still loads).

    Returns False (and changes nothing) when the engine wrote no index in Material's format (another engine);
    kb-search.js then hands the search box to the engine's own worker.
    """
    source = site_dir / "search" / "search_index.json"
    if not source.is_file():
        return False
    material = json.loads(source.read_text(encoding="utf-8"))
    entries = material.get("docs") if isinstance(material, dict) else None
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) and "location" in e for e in entries):
        return False  # not Material's format (another engine's index): leave it to that engine's own search
    index = build_index(material)
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    (site_dir / "search" / INDEX_FILE).write_text(text, encoding="utf-8")
    stub = {"config": material.get("config", {}), "docs": []}
    source.write_text(json.dumps(stub, separators=(",", ":")), encoding="utf-8")
    return True
