"""The LLM engine on well-formed answers: briefs a capable model would write, from cassettes.

The cassettes in tests/cassettes/authored/ are not recordings: their map answers come from
briefgen's extractive rules and their briefs were written by hand (answers.yaml), with some
points wrong on purpose. They show what the engine does with a good answer (each audience's
brief, cited by finding numbers) and with a bad one (a made-up quote, a figure no source
gives): nothing that fails verification reaches the reader, and the run counts it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLE

from briefgen.cli import main

BASE_URL = "http://127.0.0.1:8101/v1"
AUTHORED = Path(__file__).resolve().parent / "cassettes" / "authored"


def make(runner, audience: str, fmt: str = "json"):
    args = ["make", "--engine", "llm", "--base-url", BASE_URL, "--model", "smollm2",
            "-j", "4", "-a", audience, "-f", fmt, str(SAMPLE)]  # fmt: skip
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.stderr + str(result.exception)
    return result


def calls(stderr: str) -> int:
    return int(re.search(r"(\d+) calls \(", stderr).group(1))


@pytest.mark.vcr(str(AUTHORED / "sample_exec.yaml"))
def test_exec_brief_keeps_verified_points_and_drops_the_rest(runner, sample_articles):
    result = make(runner, "exec")
    brief = json.loads(result.stdout)
    assert (
        brief["headline"]
        == "US and China reach tentative trade framework as Trump and Xi meet in Busan"
    )
    texts = [p["text"] for p in brief["key_points"]]
    # The made-up quotation was sent back once and fixed with words really quoted.
    assert not any("historic victory" in t for t in texts)
    assert any(t.endswith('Bessent replied, "No, I\'m not."') for t in texts)
    # The tonnage no source gives failed twice: dropped, and the footer says so.
    assert not any("25 million" in t for t in texts)
    assert brief["provenance"]["points_dropped"] == 1
    assert "dropped 1" in result.stderr
    # Citations are recomputed from what a point's words rest on: the Busan point cites the
    # articles that tell of the summit, whatever the model gave.
    busan = next(p for p in brief["key_points"] if "Busan" in p["text"])
    by_n = {s["n"]: s["article_id"] for s in brief["sources"]}
    telling = {
        n for n, a in by_n.items() if "choreographed summit in Busan" in sample_articles[a].text
    }
    assert set(busan["citations"]) == telling
    # 15 map calls (one re-asked after the schema-breaking answer), the brief and one revision.
    # Each answer is a call and one HTTP request: the endpoint never failed, nothing was resent.
    assert re.search(r"(\d+) calls \(\1 new, 0 cached\), \1 HTTP requests \(0 retries\), "
                     r"[\d,]+ prompt \+ [\d,]+ completion", result.stderr)  # fmt: skip


@pytest.mark.vcr(str(AUTHORED / "sample_exec.yaml"))
def test_made_up_quote_in_notes_is_dropped(runner):
    result = make(runner, "exec")
    brief = json.loads(result.stdout)
    shown = json.dumps(brief)
    # The quote note on a sentence without a quotation named a speaker: it is not shown.
    assert all(q["speaker"] != "Donald Trump" or q["text"] in shown for q in brief["quotes"])
    assert re.search(r"notes kept \d+, dropped [1-9]", result.stderr)
