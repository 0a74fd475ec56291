"""The prebuilt search index (generator/site/search_index.py), on small Material-format inputs."""

from __future__ import annotations

import json
from pathlib import Path

from generator.site.search_index import INDEX_FILE, build_index, names, plain_text, tokens, write_search_index

MATERIAL = {
    "config": {"lang": ["en"], "separator": "[\\s\\-/]+", "pipeline": ["stopWordFilter"], "fields": {}},
    "docs": [
        {
            "location": "training/mixed-precision/",
            "title": "Mixed precision (FP16/BF16/FP8, loss scaling)",
            "text": "<p>Training \u00b7 core \u00b7 #precision</p> <p>Also known as: AMP, BF16 training</p> <p>Definition</p>"
            "<p>Mixed precision keeps weights in \\(2 \\times\\) fewer bytes.</p>",
            "tags": ["AMP", "BF16 training", "<b>bold</b> & co"],
            "boost": 3,
        },
        {
            "location": "training/mixed-precision/#how-it-works",
            "title": "How it works",
            "text": '<p>Loss scaling \\(\\frac{a}{b}\\) avoids underflow.</p> <pre><code>flowchart LR\n  A["FP32 master"] --&gt; B</code></pre>',
            "tags": ["AMP"],
            "boost": 3,
        },
        {"location": "training/mixed-precision/#sources", "title": "Sources", "text": "<p>Micikevicius et al. 2018</p>"},
        {"location": "llm-serving/paged-attention/", "title": "PagedAttention &amp; vLLM", "text": "<p>Paging the KV cache.</p>"},
    ],
}


def test_tokens_split_slashes_and_camel_case_and_fold_plurals() -> None:
    assert tokens("FP16/BF16/FP8") == ["fp16", "bf16", "fp8"]
    assert tokens("PagedAttention") == ["pagedattention", "pag", "attention"]
    assert tokens("the caches and caching of queries") == ["cach", "cach", "query"]
    assert tokens("Fréchet") == ["frechet"]
    assert tokens("bf16 vs fp16") == ["bf16", "fp16"]


def test_plain_text_drops_markup_math_delimiters_and_diagram_sources() -> None:
    text = plain_text(MATERIAL["docs"][1]["text"])  # type: ignore[index]
    assert text == "Loss scaling (a)/(b) avoids underflow."
    assert plain_text("<p>\\(2 \\times 3 \\le n\\)</p>") == "2 × 3 ≤ n"


def test_names_are_the_title_its_alternatives_and_the_aliases() -> None:
    titles, aliases = names("Pedestrian detection / perception for self-driving (BEV)", ["PD"])
    assert " ".join(tokens("pedestrian detection")) in titles
    assert " ".join(tokens("perception for self-driving")) in titles
    assert "bev" in aliases and "pd" in aliases


def test_index_leaves_out_link_lists_and_the_alias_line_and_escapes_text() -> None:
    index = build_index(MATERIAL)
    assert [p[0] for p in index["pages"]] == ["training/mixed-precision/", "llm-serving/paged-attention/"]  # type: ignore[index]
    anchors = [d[1] for d in index["docs"]]  # type: ignore[attr-defined]
    assert "sources" not in anchors and "how-it-works" in anchors
    top = next(d for d in index["docs"] if d[1] == "")  # type: ignore[attr-defined]
    assert top[3] == "Mixed precision keeps weights in 2 × fewer bytes.", "no meta line, alias line or box label"
    assert index["pages"][0][2][2] == "&lt;b&gt;bold&lt;/b&gt; &amp; co"  # type: ignore[index]
    assert index["pages"][1][1] == "PagedAttention &amp; vLLM"  # type: ignore[index]
    assert index["aliases"]["bf16 train"] == [0]  # type: ignore[index]
    assert index["titles"][" ".join(tokens("Mixed precision"))] == [0]  # type: ignore[index]
    terms = index["terms"]
    assert terms == sorted(terms) and "bf16" in terms and "micikevicius" not in terms  # type: ignore[operator]


def test_write_search_index_leaves_other_formats_alone(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    source = tmp_path / "search" / "search_index.json"
    source.write_text(json.dumps({"items": [{"url": "x"}]}), encoding="utf-8")
    assert write_search_index(tmp_path) is False
    assert json.loads(source.read_text(encoding="utf-8")) == {"items": [{"url": "x"}]}
    source.write_text(json.dumps(MATERIAL), encoding="utf-8")
    assert write_search_index(tmp_path) is True
    assert json.loads(source.read_text(encoding="utf-8"))["docs"] == []
    assert "<" not in (tmp_path / "search" / INDEX_FILE).read_text(encoding="utf-8")
