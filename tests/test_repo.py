"""The repository's own contracts: workflows, README figures, Makefile targets, ignored build output."""

from __future__ import annotations

import re
import subprocess

import yaml

from generator.authoring.readme_stats import corpus_stats, render_block
from generator.core.load import load_corpus

from .conftest import ROOT


def _workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def _run_lines(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def test_workflows_are_valid_and_call_commands_that_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    ci, pages = _workflow("ci.yml"), _workflow("pages.yml")
    assert {"pull_request", "push"} <= set(ci[True])  # YAML 1.1 reads the key 'on' as True
    commands = "\n".join(_run_lines(ci) + _run_lines(pages))
    for target in re.findall(r"make (\w[\w-]*)", commands):
        assert target in targets, target
    from generator.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for command in re.findall(r"kb (\w+)", commands):
        assert command in sub.choices, command
    assert "kb check --format github" in commands
    assert any(step.get("uses", "").startswith("actions/deploy-pages") for step in pages["jobs"]["deploy"]["steps"])


def test_workflows_are_hardened_for_untrusted_pull_requests() -> None:
    for name in ("ci.yml", "pages.yml"):
        text = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
        workflow = _workflow(name)
        assert "pull_request_target" not in text, name
        assert workflow["permissions"] == {"contents": "read"}, name
        for job in workflow["jobs"].values():
            assert "timeout-minutes" in job, name
            for step in job["steps"]:
                assert "timeout-minutes" in step, (name, step)
                uses = step.get("uses")
                if uses:
                    assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), f"{name}: {uses} is not pinned by commit"
    pages = _workflow("pages.yml")
    assert set(pages[True]) == {"push", "workflow_dispatch"} and pages[True]["push"]["branches"] == ["main"]
    assert all(job.get("if") == "github.ref == 'refs/heads/main'" for job in pages["jobs"].values())


def test_pre_commit_config_is_valid() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h["id"] for repo in config["repos"] for h in repo["hooks"]]
    assert {"ruff", "kb-check"} <= set(hooks)


def test_readme_has_two_setup_commands_and_current_figures() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("##", 1)[0]
    assert re.findall(r"^make \w+", setup, re.M) == ["make build", "make test"]
    stats = corpus_stats(load_corpus(ROOT, ROOT / "concepts", run_checks=False))
    assert render_block(stats) in readme, "README figures are stale: run `.venv/bin/kb stats --readme`"


def test_build_output_is_ignored() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert not [p for p in tracked if p.startswith(("site/", ".venv/", "build/", ".cache/")) or p.endswith(".apkg")]


def test_every_generator_file_is_tracked() -> None:
    tracked = set(
        subprocess.run(["git", "ls-files", "generator"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    )
    on_disk = {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "generator").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }
    assert not on_disk - tracked, "an ignore rule hides part of the package from a fresh clone"
