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


def test_the_read_limit_cuts_at_a_paragraph_break_then_a_sentence_then_a_space():
    from briefgen.ingest import within_read_limit

    text = "First paragraph here.\n\nSecond one. Third sentence goes on and on"
    assert within_read_limit(text, len(text)) == text
    assert within_read_limit(text, 40) == "First paragraph here.\n\n"
    one_paragraph = "Alpha beta gamma. Delta epsilon zeta eta theta iota kappa"
    assert within_read_limit(one_paragraph, 30) == "Alpha beta gamma. "
    no_sentence = "word " * 10
    assert within_read_limit(no_sentence, 23) == "word word word word "


def test_an_article_over_the_read_limit_is_briefed_on_its_start_and_named(tmp_path, monkeypatch):
    from briefgen import ingest

    folder = tmp_path / "articles"
    folder.mkdir()
    # The sample story, then a paragraph with a distinctive figure past the limit.
    late = "\n\nThe port authority said 987,654 containers were held at the docks.\n"
    (folder / "long.txt").write_text(STORY + late)
    monkeypatch.setattr(ingest, "READ_LIMIT_CHARS", len(STORY) + 5)
    [article] = ingest.load([str(folder / "long.txt")]).articles
    assert "987,654" not in article.text and article.unread_chars > len(late) - 10
    result = CliRunner().invoke(main, ["make", "--engine", "extractive", str(folder)])
    assert result.exit_code == 0, result.output
    assert "long.txt: read in part" in result.stderr
    assert "987,654" not in result.stdout
    listing = CliRunner().invoke(main, ["sources", "--format", "json", str(folder)])
    [entry] = json.loads(listing.stdout)["articles"]
    assert entry["unread_chars"] == article.unread_chars
    monkeypatch.setattr(ingest, "READ_LIMIT_CHARS", 10 * len(STORY))
    whole = CliRunner().invoke(main, ["make", "--engine", "extractive", str(folder)])
    assert "read in part" not in whole.stderr
