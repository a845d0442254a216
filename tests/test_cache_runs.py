"""The cache, proven by counting the requests replayed from a cassette.

tests/cassettes/authored/cache_sequence.yaml holds each request of a producer's day once
(tests/cache_steps.py; author.py wrote it by running those steps against one cache). Record
mode is "none", so a call the cache should have saved has no answer to replay and fails the
test; the counts below say how many calls each step made.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import cache_steps as steps
import pytest

from briefgen.chunking import chunk_article
from briefgen.cli import main
from briefgen.engines.llm import CHUNK_TOKENS, LLMEngine
from briefgen.ingest import load

CASSETTE = str(Path(__file__).resolve().parent / "cassettes" / "authored" / "cache_sequence.yaml")


def chunks_in(*paths: Path) -> int:
    """How many map calls the LLM engine makes on these files (one per chunk)."""
    articles = load([str(p) for p in paths]).articles
    return sum(len(chunk_article(a, CHUNK_TOKENS)) for a in articles)


def calls_line(stderr: str) -> tuple[int, int]:
    new, cached = re.search(r"calls? \((\d+) new, (\d+) cached", stderr).groups()
    return int(new), int(cached)


@pytest.fixture
def day(tmp_path, monkeypatch, runner, vcr):
    """Runs `briefgen make` on a folder with one cache; each run returns the requests it
    replayed, its result and its brief."""
    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "state"))
    folder = steps.first_four(tmp_path / "articles")

    def run(prompts: Path | None = None, extra: tuple[str, ...] = ()):
        before = vcr.play_count
        result = runner.invoke(main, [*steps.make_args(folder, prompts)[:-1], *extra, str(folder)])
        return vcr.play_count - before, result

    run.folder = folder
    return run


@pytest.mark.vcr(CASSETTE)
def test_rerun_makes_no_call_and_one_article_costs_its_chunks(day, tmp_path):
    first_four = chunks_in(*steps.FIRST_FOUR)
    requests, result = day()
    assert result.exit_code == 0, result.stderr
    assert requests == first_four + 1  # a call per chunk, and the synthesis
    assert calls_line(result.stderr) == (first_four + 1, 0)
    brief = json.loads(result.stdout)

    requests, again = day()
    assert again.exit_code == 0, again.stderr
    assert requests == 0
    assert calls_line(again.stderr) == (0, first_four + 1)
    assert "0 prompt + 0 completion tokens" in again.stderr
    rebuilt = json.loads(again.stdout)
    for b in (brief, rebuilt):
        b["provenance"].pop("generated_at")
    assert rebuilt["headline"] == brief["headline"]
    assert rebuilt["key_points"] == brief["key_points"]

    steps.add_fifth(day.folder)
    requests, added = day()
    assert added.exit_code == 0, added.stderr
    assert requests == chunks_in(steps.FIFTH) + 1
    assert calls_line(added.stderr) == (chunks_in(steps.FIFTH) + 1, first_four)
    assert len(json.loads(added.stdout)["sources"]) == 5


@pytest.mark.vcr(CASSETTE)
def test_an_edited_prompt_redoes_only_what_it_feeds(day, tmp_path):
    assert day()[1].exit_code == 0
    steps.add_fifth(day.folder)
    assert day()[1].exit_code == 0
    all_chunks = chunks_in(*steps.FIRST_FOUR, steps.FIFTH)
    prompts = steps.copy_prompts(tmp_path / "prompts")

    # An unedited copy of the prompts is the same prompts: nothing to redo.
    requests, result = day(prompts)
    assert (requests, result.exit_code) == (0, 0), result.stderr

    steps.edit_brief_prompt(prompts)
    requests, result = day(prompts)
    assert result.exit_code == 0, result.stderr
    assert requests == 1  # the synthesis alone: no chunk is read again
    assert calls_line(result.stderr) == (1, all_chunks)

    steps.edit_extract_prompt(prompts)
    requests, result = day(prompts)
    assert result.exit_code == 0, result.stderr
    # Every chunk is read again; the notes come out the same, so the findings do, and the
    # synthesis they feed is still cached.
    assert requests == all_chunks
    assert calls_line(result.stderr) == (all_chunks, 1)


@pytest.mark.vcr(CASSETTE)
@pytest.mark.parametrize("stop", [KeyboardInterrupt, RuntimeError])
def test_an_interrupted_run_resumes_without_repeating_a_call(day, tmp_path, monkeypatch, stop):
    finished = 3
    real_extract = LLMEngine.extract
    made = []

    def stopping(self, chunk, article, *args):
        if len(made) == finished:
            raise stop("stopped while reading")  # Ctrl-C, or a crash, during the map step
        made.append(chunk.index)
        return real_extract(self, chunk, article, *args)

    output = tmp_path / "brief.json"
    output.write_text("the brief of yesterday", encoding="utf-8")
    monkeypatch.setattr(LLMEngine, "extract", stopping)
    requests, result = day(extra=("-o", str(output)))
    assert result.exit_code != 0
    assert requests == finished
    # A failed run never leaves a half-written brief, nor spoils the last one.
    assert output.read_text(encoding="utf-8") == "the brief of yesterday"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".brief.json")]

    monkeypatch.setattr(LLMEngine, "extract", real_extract)
    requests, result = day(extra=("-o", str(output)))
    assert result.exit_code == 0, result.stderr
    first_four = chunks_in(*steps.FIRST_FOUR)
    assert requests == first_four - finished + 1
    assert calls_line(result.stderr) == (first_four - finished + 1, finished)
    assert json.loads(output.read_text(encoding="utf-8"))["headline"]


@pytest.mark.vcr(CASSETTE)
def test_no_cache_asks_again_and_dry_run_shows_what_is_cached(day, runner):
    assert day()[1].exit_code == 0
    planned = runner.invoke(main, [*steps.make_args(day.folder)[:-1], "--dry-run",
                                   str(day.folder)])  # fmt: skip
    assert planned.exit_code == 0, planned.stderr
    first_four = chunks_in(*steps.FIRST_FOUR)
    assert re.search(rf"extract, cached\s+{first_four}\s+0\s+0", planned.stdout)
    assert re.search(r"synthesis\s+1\s", planned.stdout)
    # --no-cache reads nothing from the cache: the first chunk's call is made again, and the
    # cassette, holding it once, has nothing left to replay.
    requests, result = day(extra=("--no-cache",))
    assert result.exit_code != 0
    assert requests == 0
    assert "already been played back" in str(result.exception)


@pytest.mark.vcr(CASSETTE)
def test_a_fully_cached_run_does_not_even_load_the_openai_client(day, tmp_path):
    import os
    import subprocess
    import sys

    assert day()[1].exit_code == 0
    # In a process of its own (this one has openai loaded): the same brief, every answer
    # cached, and the second it takes to import openai not spent.
    script = (
        "import sys\nfrom briefgen.cli import main\n"
        f"main({steps.make_args(day.folder)!r}, standalone_mode=False)\n"
        "print('openai' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "BRIEFGEN_CACHE": str(tmp_path / "state")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert calls_line(done.stderr) == (0, chunks_in(*steps.FIRST_FOUR) + 1)
    assert done.stderr.rstrip().endswith("False")
