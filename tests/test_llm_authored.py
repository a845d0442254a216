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
from conftest import SAMPLE, collapse

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
        brief["headline"] == "US and China reach tentative trade framework before Trump-Xi summit"
    )
    texts = [p["text"] for p in brief["key_points"]]
    # The made-up quotation was sent back once and fixed with words really quoted.
    assert not any("historic victory" in t for t in texts)
    assert 'Bessent said the talks had produced "a very substantial framework".' in texts
    # The tonnage no source gives failed twice: dropped, and the footer says so.
    assert not any("25 million" in t for t in texts)
    assert brief["provenance"]["points_dropped"] == 1
    assert "points verified 7, dropped 1" in result.stderr
    # Citations come from the finding numbers the model gave: the two findings on the
    # leaders' meeting are told by articles [3] and [4] (hand-checked), and only by them.
    meeting = next(p for p in brief["key_points"] if "October 30" in p["text"])
    assert len(meeting["finding_ids"]) == 2 and meeting["citations"] == [3, 4]
    # The pause on rare earths and the soybeans is told by [4] and [5] (of the notes the
    # model kept: at most eight claims a chunk): as the corroborated sentence of the bottom
    # line it now opens it, ahead of the single-source framework sentence.
    pause = brief["bottom_line"][0]
    assert "pause its rare-earth licensing regime" in pause["text"]
    assert pause["citations"] == [4, 5] and pause["corroboration"] == 2
    # 15 map calls, the brief, and one revision: all counted, with tokens from usage.
    assert calls(result.stderr) == 17
    assert re.search(
        r"17 calls \(17 new, 0 cached\), [\d,]+ prompt \+ [\d,]+ completion", result.stderr
    )


@pytest.mark.vcr(str(AUTHORED / "sample_exec.yaml"))
def test_made_up_quote_in_notes_is_dropped(runner):
    result = make(runner, "exec")
    brief = json.loads(result.stdout)
    shown = json.dumps(brief)
    assert "surrendered on every point" not in shown
    assert re.search(r"notes kept \d+, dropped [1-9]", result.stderr)


@pytest.mark.vcr(str(AUTHORED / "sample_analyst.yaml"))
def test_analyst_brief_from_the_model(runner, sample_articles):
    brief = json.loads(make(runner, "analyst").stdout)
    assert brief["headline"].startswith("US-China trade truce takes shape")
    assert len(brief["bottom_line"]) == 3 and len(brief["key_points"]) == 8
    # Summaries are keyed by the prompt's article numbers and land on the right sources.
    summaries = {s["title"]: s["summary"] for s in brief["article_summaries"]}
    assert len(summaries) == 5
    assert summaries["China and US agree to recent trade talks"].startswith(
        "The United States and China announced plans"
    )
    # The analyst extras come from the digest, whatever the model wrote.
    assert brief["quotes"] and brief["entities"]
    by_n = {s["n"]: s["article_id"] for s in brief["sources"]}
    for q in brief["quotes"]:
        assert any(
            collapse(q["text"]) in collapse(sample_articles[by_n[n]].text) for n in q["citations"]
        )


@pytest.mark.vcr(str(AUTHORED / "sample_newsletter.yaml"))
def test_newsletter_sections_from_the_model(runner, vcr):
    result = make(runner, "newsletter", fmt="md")
    md = result.stdout
    assert md.startswith("# A fragile US-China trade truce, just before Trump meets Xi")
    for heading in ("What happened", "Why it matters", "What comes next"):
        assert f"## {heading}" in md
    assert "worth $660 billion a year" in md
    assert "engine llm (smollm2)" in md
    # 15 map calls, one of them asked twice (its first answer broke the schema), the brief;
    # nothing failed verification, so no revision.
    assert calls(result.stderr) == 17
    played = [json.loads(r.body) for i, r in enumerate(vcr.requests) if vcr.play_counts[i]]
    reasks = [b for b in played if b["messages"][-1]["content"].startswith("Your answer has")]
    assert len(reasks) == 1
    reask = reasks[0]["messages"]
    assert "kind" in reask[-1]["content"]  # the validation error, fed back
    assert reask[-2]["role"] == "assistant"  # after the invalid answer itself
