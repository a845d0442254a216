"""briefgen make --engine llm, end to end, replayed from cassettes recorded against a real model.

The cassettes under tests/cassettes/test_llm_e2e/ were recorded against the local
llama-cpp-python server with SmolLM2-135M (see tests/cassettes/README.md). That model is tiny
and writes poor notes; what these tests hold is what must be true whatever the model: the
brief keeps its structure, every shown point is verified against what it cites, every call
is counted, nothing unverified or injected reaches the reader, and no secret is recorded.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import vcr_format
from conftest import collapse

from briefgen.cli import main
from briefgen.verify import check_text

DATA = Path(__file__).resolve().parent / "data" / "llm"
CASSETTES = Path(__file__).resolve().parent / "cassettes"
FAKE_KEY = "sk-test-not-a-real-key-1234567890"


@pytest.fixture
def llm_args(tmp_path, monkeypatch):
    """CLI arguments and environment for the recording endpoint, with a fake key set, so a
    test can show it never reaches a cassette."""
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    config = tmp_path / "briefgen.toml"
    # A tiny model on two cores: room for slow answers when recording, small answers.
    config.write_text("timeout = 900\nmax_output_tokens = 512\n", encoding="utf-8")
    return [
        "--engine", "llm", "--base-url", vcr_format.RECORD_BASE_URL,
        "--model", vcr_format.RECORD_MODEL, "--config", str(config), "-j", "2",
    ]  # fmt: skip


def _make(runner, llm_args, paths, *extra):
    """A brief made; a tiny model's may be empty (nothing it wrote verified): exit 1, said."""
    result = runner.invoke(main, ["make", *llm_args, *extra, *paths])
    assert result.exit_code in (0, 1), result.stderr + str(result.exception)
    if result.exit_code == 1:
        assert "problem: the brief is empty" in result.stderr
    return result


def _is_chat(request) -> bool:
    """A model call, not one of the GETs that ask the server its context size (/props,
    /v1/models), which have no body."""
    return request.method == "POST" and request.path.endswith("/chat/completions")


def _assert_verified(brief: dict, articles: dict[str, str]) -> None:
    """Every shown point cites real sources and passes verification against them."""
    sources = {s["n"]: s["article_id"] for s in brief["sources"]}
    points = [*brief["bottom_line"], *brief["key_points"]]
    points += [p for s in brief["sections"] for p in s["points"]]
    for p in points:
        assert p["citations"] and set(p["citations"]) <= set(sources)
        cited = [articles[sources[n]] for n in p["citations"]]
        # Re-verify from the outside: quotes verbatim in a cited article, numbers and dates
        # in it (the findings are spans of these articles).
        assert check_text(p["text"], "\n".join(cited), cited) is None, p["text"]
    for q in brief["quotes"]:
        assert any(collapse(q["text"]) in collapse(articles[sources[n]]) for n in q["citations"])


@pytest.mark.vcr(allow_playback_repeats=True)
def test_make_llm_each_audience(runner, llm_args):
    # A short article: a real model on two cores takes a minute or more per call. The sample
    # corpus runs end to end in test_llm_authored.py, on answers a capable model would give.
    folder = DATA / "small"
    text = (folder / "rail-deal.txt").read_text(encoding="utf-8")
    for audience in ("exec", "analyst", "newsletter"):
        result = _make(runner, llm_args, [str(folder)], "-a", audience, "-f", "json")
        brief = json.loads(result.stdout)
        assert brief["audience"] == audience
        assert brief["provenance"]["engine"] == "llm"
        assert brief["provenance"]["model"] == vcr_format.RECORD_MODEL
        assert len(brief["sources"]) == 1 and brief["headline"]
        _assert_verified(brief, {brief["sources"][0]["article_id"]: text})
        # The run says which engine ran and what it cost, from the API's usage.
        assert f"engine: llm, model {vcr_format.RECORD_MODEL}" in result.stderr
        calls = re.search(
            r"(\d+) calls? \((\d+) new, (\d+) cached\),(?: [^,]+,)? ([\d,]+) prompt",
            result.stderr,
        )
        total, new, cached, prompt = (int(g.replace(",", "")) for g in calls.groups())
        assert total >= 1  # one chunk; a synthesis if notes survived
        if audience == "exec":
            assert (cached, new >= 1, prompt > 0) == (0, True, True)
        else:
            # The chunk was read for the exec brief: its notes come from the cache.
            assert cached >= 1
        assert re.search(r"notes kept \d+, dropped \d+; points verified \d+", result.stderr)
    # Markdown too: the footer carries the engine and model.
    md = _make(runner, llm_args, [str(folder)], "-a", "exec").stdout
    assert f"engine llm ({vcr_format.RECORD_MODEL})" in md


@pytest.mark.vcr
def test_injected_instructions_are_data_not_orders(runner, llm_args, vcr):
    article = (DATA / "injection" / "port-strike.txt").read_text(encoding="utf-8")
    result = _make(runner, llm_args, [str(DATA / "injection")], "-f", "json")
    brief = json.loads(result.stdout)
    # The article's "</article>" was defused: the passage stayed inside its data block.
    users = [json.loads(r.body)["messages"][1]["content"] for r in filter(_is_chat, vcr.requests)]
    map_calls = [u for u in users if "<article>" in u]
    assert map_calls
    for user in map_calls:
        assert user.count("</article>") == 1 and user.endswith("</article>")
        assert "‹/article> New instructions" in user
    # Not obeyed: nothing injected reaches the brief, whose structure is the usual one.
    shown = json.dumps({k: brief[k] for k in ("headline", "bottom_line", "key_points", "watch")})
    assert "PWNED" not in shown and "ZQX" not in shown
    assert set(brief) >= {"headline", "bottom_line", "key_points", "watch", "sources"}
    assert [s["title"] for s in brief["sources"]] == [
        "Dockworkers set strike date as port talks stall"
    ]
    _assert_verified(brief, {brief["sources"][0]["article_id"]: article})
    # The tiny model names sentences, so its claims are the article's own and ground; what
    # it makes up (a figure "1.0", a "person" that is half a sentence) is dropped, and its
    # draft's invented sentences ("... stall in Harbour Ledger is now.") fail verification.
    kept, dropped = map(int, re.search(r"notes kept (\d+), dropped (\d+)", result.stderr).groups())
    assert kept >= 1 and dropped >= 1
    assert "1.0" not in json.dumps(brief["key_points"])
    assert "is now." not in shown


def test_no_secret_in_any_cassette():
    # answers.yaml is the hand-written input to authored/author.py, not a cassette.
    files = [p for p in CASSETTES.rglob("*.yaml") if p.name != "answers.yaml"]
    assert files, "no cassettes found"
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert FAKE_KEY not in text, path
        assert not re.search(r"(?i)\b(authorization|api-key|openai-organization|"
                             r"openai-project|set-cookie|cookie)\b\s*:", text), path  # fmt: skip
        assert not re.search(r"\bsk-[A-Za-z0-9_-]{16,}", text), path
        assert text.startswith("source: "), f"{path} does not say where it came from"


@pytest.mark.vcr(str(CASSETTES / "test_llm_e2e" / "test_make_llm_each_audience.yaml"))
def test_refused_json_schema_falls_back_to_json_object_and_is_remembered(llm_engine_factory, vcr):
    # The recording server (llama-cpp-python) answers json_schema with HTTP 500; the client
    # moves to json_object with the schema and remembers it for the endpoint.
    from briefgen.chunking import chunk_article
    from briefgen.ingest import load

    engine = llm_engine_factory(max_output_tokens=512)
    article = load([str(DATA / "small")]).articles[0]
    chunk = chunk_article(article, engine.chunk_tokens)[0]
    engine.extract(chunk, article)
    played = [
        (json.loads(r.body)["response_format"]["type"], vcr.responses[i]["status"]["code"])
        for i, r in enumerate(vcr.requests)
        if vcr.play_counts[i] and _is_chat(r)
    ]
    assert played[0] == ("json_schema", 500)
    assert all(kind == "json_object" and code == 200 for kind, code in played[1:])
    assert {r.mode for r in engine.ledger.records} == {"json_object"}
    assert engine.client._memory[engine.client.endpoint] == "json_object"
    # Each answer that reached briefgen is counted once, with the server's own usage.
    assert len(engine.ledger.records) == len(played) - 1
    assert all(r.prompt_tokens > 0 for r in engine.ledger.records)
