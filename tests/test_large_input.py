"""Articles too large to be news are skipped unread, with the reason; the limit is a setting.

How long a large article takes to read is shown by benchmarks/large_input.py, not timed here.
"""

from __future__ import annotations

import io
import json

from click.testing import CliRunner
from conftest import SAMPLE

from briefgen.cli import main
from briefgen.config import load_settings
from briefgen.ingest import DEFAULT_MAX_ARTICLE_BYTES, article_size_limit, load

STORY = sorted(SAMPLE.glob("*.txt"))[0].read_text()


def sparse(path, size: int):
    """A file of `size` bytes that costs no disk and no time (its bytes are never read)."""
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


def test_a_file_over_the_default_limit_is_skipped_with_the_reason(tmp_path):
    (tmp_path / "story.txt").write_text(STORY)
    sparse(tmp_path / "dump.txt", 52_400_000)
    loaded = load([str(tmp_path)])
    assert [a.path for a in loaded.articles] == [str(tmp_path / "story.txt")]
    [skipped] = loaded.skipped
    assert skipped.path == str(tmp_path / "dump.txt")
    assert skipped.reason == "too large: 52.4 MB > 10 MB limit, see max_article_bytes"


def test_the_limit_is_inclusive_and_can_be_changed(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    size = story.stat().st_size
    with article_size_limit(size):
        assert len(load([str(story)]).articles) == 1  # exactly at the limit: read
    with article_size_limit(size - 1):
        loaded = load([str(story)])
    assert not loaded.articles
    assert loaded.skipped[0].reason.startswith(f"too large: {size / 1e3:.1f} kB > ")
    # Outside the block the default is back.
    assert len(load([str(story)]).articles) == 1


def test_standard_input_over_the_limit_is_skipped_too():
    with article_size_limit(100):
        loaded = load(["-"], stdin=io.BytesIO(STORY.encode()))
    assert not loaded.articles
    [skipped] = loaded.skipped
    assert skipped.path == "-" and skipped.reason.startswith("too large: ")
    assert skipped.reason.endswith("> 100 bytes limit, see max_article_bytes")


def test_max_article_bytes_comes_from_the_environment_or_the_file(tmp_path):
    assert load_settings(env={}, cwd=tmp_path).max_article_bytes == DEFAULT_MAX_ARTICLE_BYTES
    env = {"BRIEFGEN_MAX_ARTICLE_BYTES": "20000000"}
    assert load_settings(env=env, cwd=tmp_path).max_article_bytes == 20_000_000
    (tmp_path / "briefgen.toml").write_text("max_article_bytes = 1000\n")
    assert load_settings(env={}, cwd=tmp_path).max_article_bytes == 1000


def test_make_skips_a_large_article_and_briefs_the_rest(tmp_path, monkeypatch):
    folder = tmp_path / "articles"
    folder.mkdir()
    for story in sorted(SAMPLE.glob("*.txt")):
        (folder / story.name).write_text(story.read_text())
    big = folder / "huge.txt"
    big.write_text(STORY * 4)
    monkeypatch.setenv("BRIEFGEN_MAX_ARTICLE_BYTES", str(len(STORY.encode()) * 2))
    result = CliRunner().invoke(main, ["make", "--engine", "extractive", str(folder)])
    assert "huge.txt" in result.stderr and "see max_article_bytes" in result.stderr
    assert result.stdout.strip()  # the brief of the other five
    monkeypatch.setenv("BRIEFGEN_MAX_ARTICLE_BYTES", "0")
    refused = CliRunner().invoke(main, ["make", "--engine", "extractive", str(folder)])
    assert refused.exit_code == 2 and "BRIEFGEN_MAX_ARTICLE_BYTES" in refused.output


def test_sources_skips_a_large_article_as_make_does(tmp_path, monkeypatch):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY)
    (folder / "huge.txt").write_text(STORY * 4)
    monkeypatch.setenv("BRIEFGEN_MAX_ARTICLE_BYTES", str(len(STORY.encode()) * 2))
    result = CliRunner().invoke(main, ["sources", "--format", "json", str(folder)])
    skipped = [s for s in json.loads(result.stdout)["skipped"] if s["path"].endswith("huge.txt")]
    assert skipped and "see max_article_bytes" in skipped[0]["reason"]
