"""Previews change nothing, and state stays small: when `make` records a brief, what "new" is
measured against (--since, --compare-to), the same edition never recorded twice, manifests
pruned to `keep_manifests`, and `briefgen history`.

The harbour pair: the council's article is published first, then the mayor's arrives with
findings of its own.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import E2E_DATA

from briefgen.cli import main
from briefgen.exit_codes import ExitCode

HARBOUR = E2E_DATA / "harbour"


def run(runner, *args, env=None):
    return runner.invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def manifests(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "state").glob("manifests/*/*/*.json"))


def brief_json(runner, *args) -> dict:
    """An analyst brief in JSON; {} when -o took it to a file."""
    r = run(runner, "make", "-q", "-a", "analyst", "-f", "json", *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout) if r.stdout.strip() else {}


def new_points(brief: dict) -> int:
    return sum(p["new"] for p in [*brief["bottom_line"], *brief["key_points"]])


@pytest.fixture
def folder(runner, tmp_path) -> Path:
    """The council's article, published once (analyst, JSON); the mayor's then arrives."""
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(HARBOUR / "council.md", articles)
    r = run(runner, "make", "-q", "-a", "analyst", "-f", "json",
            "-o", tmp_path / "first.json", articles)  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert len(manifests(tmp_path)) == 1
    shutil.copy(HARBOUR / "mayor.txt", articles)
    return articles


def test_a_preview_records_nothing_and_the_published_brief_still_shows_what_is_new(
    runner, tmp_path, folder
):
    (first,) = manifests(tmp_path)
    preview = brief_json(runner, folder)
    assert manifests(tmp_path) == [first]  # the preview kept nothing
    assert preview["provenance"]["previous_brief"] and new_points(preview) > 0
    published = brief_json(runner, "-o", tmp_path / "news.json", folder)
    assert published == {}  # -o writes the file, not standard output
    brief = json.loads((tmp_path / "news.json").read_text(encoding="utf-8"))
    assert new_points(brief) == new_points(preview) > 0
    assert brief["provenance"]["previous_brief"] == preview["provenance"]["previous_brief"]
    assert any("1 article added" in line for line in brief["provenance"]["changes"])
    assert len(manifests(tmp_path)) == 2


def test_the_same_edition_again_adds_no_file_and_keeps_its_new_marks(runner, tmp_path, folder):
    md = tmp_path / "news.md"
    for target in (tmp_path / "news.json", md, md):
        r = run(runner, "make", "-a", "analyst", "-o", target, folder)
        assert r.exit_code == 0, r.stderr
    assert "not recorded again" in r.stderr
    assert len(manifests(tmp_path)) == 2
    text = md.read_text(encoding="utf-8")
    assert "**New**" in text and "Since the last brief" in text
    rows = json.loads(run(runner, "history", "--json", folder).stdout)["briefs"]
    assert [len(r["outputs"]) for r in rows] == [2, 1]
    assert rows[0]["outputs"] == [str(tmp_path / "news.json"), str(md)]
    assert rows[0]["articles"] == 2 and rows[1]["articles"] == 1
    assert rows[0]["new_points"] > 0 and rows[1]["new_points"] == 0


def test_record_and_no_record_override_the_default(runner, tmp_path, folder):
    brief_json(runner, "--no-record", "-o", tmp_path / "news.json", folder)
    assert len(manifests(tmp_path)) == 1
    brief_json(runner, "--record", folder)
    assert len(manifests(tmp_path)) == 2
    rows = json.loads(run(runner, "history", "--json", folder).stdout)["briefs"]
    assert rows[0]["outputs"] == []


def test_since_and_compare_to_choose_what_new_is_measured_against(runner, tmp_path, folder):
    (first,) = manifests(tmp_path)
    brief_json(runner, "-o", tmp_path / "news.json", folder)
    default = brief_json(runner, folder)
    # The last edition is this one: it is measured against the one before, like the default.
    assert new_points(default) > 0
    for option in (["--compare-to", first], ["--since", first], ["--since", "2999-01-01"]):
        chosen = brief_json(runner, *option, folder)
        assert chosen["provenance"]["previous_brief"] is not None, option
    assert new_points(brief_json(runner, "--compare-to", first, folder)) == new_points(default)
    r = run(runner, "make", "-a", "analyst", "-f", "json", "--since", "2000-01-01", folder)
    assert r.exit_code == 0
    assert "nothing is marked new" in r.stderr
    assert json.loads(r.stdout)["provenance"]["previous_brief"] is None


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--since", "last tuesday"], "--since 'last tuesday'"),
        (["--since", "2025-01-01", "--compare-to", "MANIFEST"], "give one"),
    ],
)
def test_a_bad_since_is_a_usage_error(runner, tmp_path, folder, args, said):
    args = [str(manifests(tmp_path)[0]) if a == "MANIFEST" else a for a in args]
    r = run(runner, "make", *args, folder)
    assert r.exit_code == ExitCode.USAGE
    assert said in r.stderr and r.stdout == ""


def test_a_damaged_manifest_to_compare_to_is_named(runner, tmp_path, folder):
    damaged = tmp_path / "damaged.json"
    damaged.write_text("{not json", encoding="utf-8")
    r = run(runner, "make", "--compare-to", damaged, folder)
    assert r.exit_code == ExitCode.USAGE
    assert f"{damaged} is not a brief manifest" in r.stderr


def test_manifests_are_pruned_to_keep_manifests(runner, tmp_path, folder):
    # Another --as-of is another edition (the watch list's buckets move), so each is kept.
    env = {"BRIEFGEN_KEEP_MANIFESTS": "2"}
    for day in ("2025-10-01", "2025-10-02", "2025-10-03"):
        r = run(runner, "make", "-q", "--as-of", day, "-o", tmp_path / "b.md", folder, env=env)
        assert r.exit_code == 0, r.stderr
    kept = manifests(tmp_path)
    exec_kept = [p for p in kept if p.parent.name == "exec"]
    assert len(exec_kept) == 2
    rows = json.loads(run(runner, "history", "--json", "-a", "exec", folder).stdout)["briefs"]
    assert [r["as_of"] for r in rows] == ["2025-10-03", "2025-10-02"]


def test_history_lists_recorded_briefs_and_says_when_there_are_none(runner, tmp_path, folder):
    table = run(runner, "history", folder)
    assert table.exit_code == 0
    assert "analyst" in table.stdout and str(tmp_path / "first.json") in table.stdout
    assert manifests(tmp_path)[0].name in table.stdout
    (tmp_path / "other").mkdir()
    none = run(runner, "history", tmp_path / "other")
    assert none.exit_code == 0 and "recorded" in none.stdout
    missing = run(runner, "history", tmp_path / "nowhere")
    assert missing.exit_code == ExitCode.NO_INPUT and "does not exist" in missing.stderr
