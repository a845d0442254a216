"""The steps of the cache tests, shared by the tests and by the script that authors their
cassette (tests/cassettes/authored/author.py), so both make exactly the same requests.

A newsletter producer's day: a brief from four articles; the same brief again; a fifth
article arrives; the brief prompt is edited; the extract prompt is edited.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "trade-talks"
FIRST_FOUR = sorted(SAMPLE.glob("*.txt"))[:4]
FIFTH = sorted(SAMPLE.glob("*.txt"))[4]
BASE_URL = "http://127.0.0.1:8101/v1"
MODEL = "smollm2"
# What the edits add: a rule each, where the rules are.
BRIEF_RULE = "- Put the newest development first.\n"
EXTRACT_RULE = "- Prefer claims that name who did what.\n"


def make_args(folder: Path, prompts: Path | None = None) -> list[str]:
    """briefgen make, the LLM engine, one call at a time (the order of calls is then fixed)."""
    args = ["make", "--engine", "llm", "--base-url", BASE_URL, "--model", MODEL, "-j", "1",
            "-a", "exec", "-f", "json", "--as-of", "2025-10-27"]  # fmt: skip
    if prompts is not None:
        args += ["--prompts", str(prompts)]
    return [*args, str(folder)]


def first_four(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in FIRST_FOUR:
        shutil.copy(path, folder / path.name)
    return folder


def add_fifth(folder: Path) -> Path:
    shutil.copy(FIFTH, folder / FIFTH.name)
    return folder / FIFTH.name


def copy_prompts(target: Path) -> Path:
    from briefgen.resources import prompts_dir

    shutil.copytree(prompts_dir(), target)
    return target


def _add_rule(path: Path, rule: str) -> None:
    """A rule added at the end of the system message (before the user marker)."""
    text = path.read_text(encoding="utf-8")
    head, marker, tail = text.partition("\n=== user ===\n")  # the line, not its mention
    path.write_text(head.rstrip("\n") + "\n" + rule + marker + tail, encoding="utf-8")


def edit_brief_prompt(prompts: Path) -> None:
    _add_rule(prompts / "brief-exec.j2", BRIEF_RULE)


def edit_extract_prompt(prompts: Path) -> None:
    _add_rule(prompts / "extract.j2", EXTRACT_RULE)
