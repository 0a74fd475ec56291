"""The `kb` command: a thin adapter over the pipeline and the core."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from . import pipeline
from .core.model import Corpus
from .errors import KbError, Problem
from .settings import Settings, load_settings

Handler = Callable[[argparse.Namespace, Settings], int]


def github_annotation(problem: Problem) -> str:
    """Format a problem as a GitHub Actions error annotation."""

    def esc(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    return f"::error file={esc(problem.path, True)},line={problem.line}::{esc(problem.message)}"


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the tree (or the named files) and print every problem."""
    only: list[Path] | None = None
    if args.paths:
        only = []
        for p in map(Path, args.paths):
            only.extend(sorted([*p.rglob("*.md"), *p.rglob("*.yaml")]) if p.is_dir() else [p])
    corpus = pipeline.check(settings, only)
    n = corpus.numbers
    if settings.vectors_cache.is_file():
        from .embeddings.duplicates import near_duplicates  # cached vectors only: never the model

        dups = near_duplicates(settings, corpus, {p.resolve() for p in only} if only else None)
        warnings, note = dups.warnings, dups.note
    else:
        warnings, note = [], "near-duplicate check skipped: no cached vectors (run `kb build` once)"
    if note:
        print(f"kb check: {note}", file=sys.stderr)
    if args.json:
        report = {
            "concepts": len(corpus.concepts),
            "paths": len(corpus.paths),
            "errors": [p.as_dict() for p in corpus.problems],
            "numbers": n.as_dict(),
        }
        print(json.dumps({**report, "warnings": [w.as_dict() for w in warnings]}, indent=2))
    elif args.format == "github":
        for problem in corpus.problems:
            print(github_annotation(problem))
        for warning in warnings:
            print(github_annotation(warning).replace("::error ", "::warning ", 1))
    else:
        for problem in corpus.problems:
            print(problem)
        for warning in warnings:
            print(f"{warning.path}:{warning.line}: warning: {warning.message}", file=sys.stderr)
        status = "ok" if not corpus.problems else f"{len(corpus.problems)} problem(s)"
        print(
            f"kb check: {len(corpus.concepts)} concepts, {len(corpus.paths)} paths, {n.total} figures "
            f"({n.checked} checked, {n.cited} cited, {n.failed} failed): {status}",
            file=sys.stderr,
        )
    return 1 if corpus.problems else 0


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    """Validate, relate, write decks and the docs tree, then build the site."""
    result = pipeline.build(
        settings, engine=args.engine, decks=not args.no_decks, quiet=args.quiet, force=args.force, offline=not args.no_offline
    )
    if result.decks is not None:
        print(f"kb: {result.decks.total_cards} cards in {len(result.decks.decks)} decks", file=sys.stderr)
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
    print(f"kb: built {settings.site_dir.relative_to(settings.root)}/ with {args.engine} ({steps})", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the wiki with live reload: concept edits regenerate the docs tree, the engine reloads the page."""
    from .site.docs_tree import CONFIG_FILE
    from .site.engines import serve

    related = pipeline.write_docs_only(settings)
    pipeline.watch_sources(settings, related)
    serve(settings.build_dir / CONFIG_FILE, args.addr)
    return 0


def cmd_deck(args: argparse.Namespace, settings: Settings) -> int:
    """Write the Anki decks (one for everything, one per domain)."""
    corpus = pipeline.load_valid(settings)
    notes = pipeline.make_notes(settings, corpus, pipeline.relate(settings, corpus))
    summary = pipeline.write_decks(settings, corpus, notes, Path(args.out).resolve() if args.out else None)
    for deck in summary.decks:
        print(f"{deck.cards:6d}  {deck.file}")
    for kind, count in summary.by_kind.items():
        print(f"{kind}: {count}", file=sys.stderr)
    return 0


def cmd_related(args: argparse.Namespace, settings: Settings) -> int:
    """Print related lists as the site shows them, the computed neighbours, suggestions for writers, or an evaluation."""
    from .core.related import TEXT_MODES

    if args.model:
        if not args.sha256:
            raise KbError("--model needs --sha256: the weights are verified before use")
        settings = settings.model_copy(update={"embedding_model": args.model, "embedding_sha256": args.sha256})
    if args.eval:
        modes = tuple(args.modes.split(",")) if args.modes else None
        unknown = [m for m in modes or () if m not in TEXT_MODES]
        if unknown:
            raise KbError(f"unknown text mode(s) {', '.join(unknown)}; known: {', '.join(TEXT_MODES)}")
        from .embeddings.evaluate import added_beyond_curated, evaluate, format_table, load_judgements

        corpus = pipeline.load_valid(settings)
        evaluation = evaluate(settings, corpus, Path(args.eval), **({"modes": modes} if modes else {}))
        found = pipeline.relate(settings, corpus)
        evaluation.added = added_beyond_curated(corpus, load_judgements(Path(args.eval), corpus), found)
        print("\n".join(format_table(evaluation)))
        return 0
    corpus = pipeline.load_valid(settings)
    result = pipeline.relate(settings, corpus)
    if args.suggest:
        return print_suggestions(result.unlinked, corpus, args.json)
    data = result.lists if args.source == "site" else result.computed
    if args.json:
        print(json.dumps(data, indent=2, sort_keys=True))
    else:
        for slug, items in sorted(data.items()):
            print(f"{slug}: {', '.join(items)}")
    return 0


def print_suggestions(similar: dict[str, list[tuple[str, float]]], corpus: Corpus, as_json: bool) -> int:
    """Per concept, the computed neighbours it does not link yet, strongest first, for a writer to accept or ignore."""
    if as_json:
        print(json.dumps({s: [[o, round(v, 3)] for o, v in items] for s, items in sorted(similar.items()) if items}, indent=2))
        return 0
    print("score: embedding cosine fused with TF-IDF cosine, on the cosine scale (above 1 when the wording overlaps unusually)")
    for slug, items in sorted(similar.items()):
        if items:
            print(f"{slug} ({corpus.concepts[slug].path}): not linked yet")
            for other, score in items:
                print(f"  {score:.3f}  {other:<36} {corpus.concepts[other].title}")
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Print the current figures (concepts, cards per kind, checked and cited figures)."""
    from .authoring.readme_stats import corpus_stats, update_readme

    stats = corpus_stats(pipeline.load_valid(settings))
    if args.readme:
        changed = update_readme(settings.root / "README.md", stats)
        print("README.md figures updated" if changed else "README.md figures already current")
    elif args.json:
        print(json.dumps(stats, indent=2))
    else:
        figures = stats["figures"]
        print(
            f"{stats['concepts']} concepts ({stats['planned']} planned), {stats['cards']} Anki cards, "
            f"{figures['total']} figures: {figures['checked']} checked, {figures['cited']} cited"
        )
    return 0


def cmd_planned(args: argparse.Namespace, settings: Settings) -> int:
    """List planned concepts, or prune the ones already written."""
    from .authoring.planned import prune_planned

    corpus = pipeline.check(settings)
    if args.prune:
        removed = prune_planned(settings.concepts_dir, set(corpus.concepts))
        print(f"removed {len(removed)} written concept(s) from planned.yaml" + (f": {', '.join(removed)}" if removed else ""))
        return 0
    for p in corpus.planned.values():
        print(f"{p.slug}\t{p.domain}\t{p.title}")
    return 0


def cmd_new(args: argparse.Namespace, settings: Settings) -> int:
    """Scaffold a new concept file and show the nearest existing concepts."""
    from .authoring.scaffold import create_concept

    return create_concept(settings, args.title, args.domain, use_embeddings=not args.no_embeddings)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `kb` with every subcommand."""
    from .site.engines import ENGINES

    parser = argparse.ArgumentParser(prog="kb", description="ML system design knowledge base generator")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate concept files and recompute every numeric check")
    check.add_argument("paths", nargs="*", help="files or folders to check (default: the whole tree)")
    check.add_argument("--json", action="store_true", help="print a JSON report")
    check.add_argument("--format", choices=["text", "github"], default="text", help="output format")
    check.set_defaults(handler=cmd_check)
    build = sub.add_parser("build", help="validate, write decks and the docs tree, build the site into site/")
    build.add_argument("--engine", choices=ENGINES, default="mkdocs", help="site engine (zensical is optional)")
    build.add_argument("--no-decks", action="store_true", help="skip the Anki decks")
    build.add_argument("--no-offline", action="store_true", help="skip the zipped offline copy (a second MkDocs build)")
    build.add_argument("--quiet", action="store_true", help="only warnings from the engine")
    build.add_argument("--force", action="store_true", help="run the engine even when the site is up to date")
    build.set_defaults(handler=cmd_build)
    serve = sub.add_parser("serve", help="serve the wiki with live reload")
    serve.add_argument("--addr", default="127.0.0.1:8000")
    serve.set_defaults(handler=cmd_serve)
    deck = sub.add_parser("deck", help="write the Anki decks")
    deck.add_argument("--out", default=None, help="output folder (default: build/decks)")
    deck.set_defaults(handler=cmd_deck)
    related = sub.add_parser("related", help="related concepts by text similarity (embeddings and TF-IDF)")
    related.add_argument("--json", action="store_true")
    related.add_argument("--source", choices=["site", "embedding"], default="site", help="curated-first lists, or computed only")
    related.add_argument("--suggest", action="store_true", help="per concept, the strongest neighbours it does not link yet")
    related.add_argument(
        "--eval", metavar="FILE", help="recall@5 and @10 of each method against a judged set (tuned and held-out half)"
    )
    related.add_argument("--modes", metavar="M,M", help="with --eval: these text modes (default: the shipped one)")
    related.add_argument("--model", metavar="DIR", help="another local sentence-transformers model (for comparisons)")
    related.add_argument("--sha256", metavar="HEX", help="with --model: the expected sha256 of its model.safetensors")
    related.set_defaults(handler=cmd_related)
    stats = sub.add_parser("stats", help="current figures of the knowledge base")
    stats.add_argument("--json", action="store_true")
    stats.add_argument("--readme", action="store_true", help="rewrite the figures block of README.md")
    stats.set_defaults(handler=cmd_stats)
    planned = sub.add_parser("planned", help="list planned concepts; --prune drops the written ones")
    planned.add_argument("--prune", action="store_true")
    planned.set_defaults(handler=cmd_planned)
    new = sub.add_parser("new", help="scaffold a new concept file")
    new.add_argument("title")
    new.add_argument("--domain", required=True)
    new.add_argument("--no-embeddings", action="store_true", help="find neighbours by title words only")
    new.set_defaults(handler=cmd_new)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kb` console script."""
    args = build_parser().parse_args(argv)
    try:
        handler: Handler = args.handler
        return handler(args, load_settings())
    except KbError as exc:
        print(f"kb: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug in kb itself: say so briefly; KB_DEBUG=1 shows the traceback
        if os.environ.get("KB_DEBUG"):
            raise
        print(f"kb: internal error: {type(exc).__name__}: {exc} (set KB_DEBUG=1 for the traceback)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
