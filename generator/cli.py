"""The `kb` command: a thin adapter over the generator's core modules."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from .problems import KbError, Problem
from .project import Settings, load_settings

Handler = Callable[[argparse.Namespace, Settings], int]


def _corpus(settings: Settings, only: list[Path] | None = None):  # type: ignore[no-untyped-def]
    from .validate import load_corpus

    return load_corpus(settings.root, settings.concepts_dir, only=only)


def github_annotation(problem: Problem) -> str:
    """Format a problem as a GitHub Actions error annotation."""

    def esc(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    return f"::error file={esc(problem.path, True)},line={problem.line}::{esc(problem.message)}"


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the tree (or the named files) and print every problem."""
    only = [Path(p) for p in args.paths] if args.paths else None
    if only:
        expanded: list[Path] = []
        for p in only:
            expanded.extend(sorted(p.rglob("*.md")) if p.is_dir() else [p])
        only = expanded
    corpus = _corpus(settings, only)
    if args.json:
        out = {
            "concepts": len(corpus.concepts),
            "errors": [p.as_dict() for p in corpus.problems],
            "numbers": corpus.numbers.as_dict(),
        }
        print(json.dumps(out, indent=2))
    elif args.format == "github":
        for problem in corpus.problems:
            print(github_annotation(problem))
    else:
        for problem in corpus.problems:
            print(problem)
        n = corpus.numbers
        status = "ok" if not corpus.problems else f"{len(corpus.problems)} problem(s)"
        print(
            f"kb check: {len(corpus.concepts)} concepts, {n.total} figures "
            f"({n.checked} checked, {n.cited} cited, {n.failed} failed): {status}",
            file=sys.stderr,
        )
    return 1 if corpus.problems else 0


def cmd_planned(args: argparse.Namespace, settings: Settings) -> int:
    """List planned concepts, or prune the ones already written."""
    from .planned import prune_planned

    corpus = _corpus(settings)
    if args.prune:
        removed = prune_planned(settings.concepts_dir, set(corpus.concepts))
        print(f"removed {len(removed)} written concept(s) from planned.yaml" + (f": {', '.join(removed)}" if removed else ""))
        return 0
    for p in corpus.planned.values():
        print(f"{p.slug}\t{p.domain}\t{p.title}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `kb` with every subcommand."""
    parser = argparse.ArgumentParser(prog="kb", description="ML system design knowledge base generator")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate concept files and recompute every numeric check")
    check.add_argument("paths", nargs="*", help="files or folders to check (default: the whole tree)")
    check.add_argument("--json", action="store_true", help="print a JSON report")
    check.add_argument("--format", choices=["text", "github"], default="text", help="output format")
    check.set_defaults(handler=cmd_check)
    planned = sub.add_parser("planned", help="list planned concepts; --prune drops the written ones")
    planned.add_argument("--prune", action="store_true")
    planned.set_defaults(handler=cmd_planned)
    from . import cli_more

    cli_more.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kb` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        handler: Handler = args.handler
        return handler(args, settings)
    except KbError as exc:
        print(f"kb: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug in kb itself: say so briefly; KB_DEBUG=1 shows the traceback
        import os

        if os.environ.get("KB_DEBUG"):
            raise
        print(f"kb: internal error: {type(exc).__name__}: {exc} (set KB_DEBUG=1 for the traceback)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
