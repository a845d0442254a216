"""The cache store and the engine in front of it: keys, upkeep, runs sharing a cache, a
killed run, and what is never kept (a fallback brief, an answer that no longer validates)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import cache_steps as steps
import pytest
from llm_stub import chat_reply, stub_client

from briefgen.cache import Cache, cache_key
from briefgen.cli import main
from briefgen.engines.cached import CachedEngine
from briefgen.engines.llm import LLMEngine
from briefgen.engines.llm_schema import notes_answer
from briefgen.schema import Article, Chunk, Digest, Evidence, Finding

ROOT = Path(__file__).resolve().parent.parent
CASSETTE = str(ROOT / "tests" / "cassettes" / "authored" / "cache_sequence.yaml")


def put(cache: Cache, key: str, value: str = "{}", kind: str = "notes") -> None:
    cache.put(key, kind=kind, value=value, engine="llm", model="m", prompt="p", label=key,
              calls=2, prompt_tokens=100, completion_tokens=20)  # fmt: skip


def test_a_key_changes_with_every_part_and_only_then():
    parts = {"kind": "notes", "model": "m", "prompt": "abc", "chunk": "123"}
    assert cache_key(parts) == cache_key(dict(reversed(parts.items())))
    for name in parts:
        assert cache_key({**parts, name: "other"}) != cache_key(parts)


def test_store_get_counts_hits_and_keeps_costs(tmp_path):
    with Cache.in_folder(tmp_path) as cache:
        assert cache.get("k") is None
        put(cache, "k", '{"a": 1}')
        entry = cache.get("k")
        assert (entry.value, entry.calls, entry.prompt_tokens) == ('{"a": 1}', 2, 100)
        cache.get("k")
        assert cache.has("k") and not cache.has("other")  # a look that is not a use
        stats = cache.stats()
    assert stats["kinds"][0]["entries"] == 1 and stats["kinds"][0]["hits"] == 2
    assert stats["models"] == [{"engine": "llm", "model": "m", "entries": 1}]


def test_prune_drops_the_unused_and_other_schemas_and_clear_drops_all(tmp_path):
    with Cache.in_folder(tmp_path) as cache:
        for key in ("old", "fresh", "other-schema"):
            put(cache, key)
        long_ago = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=90)).isoformat()
        cache._db.execute("UPDATE entries SET used = ? WHERE key = 'old'", (long_ago,))
        cache._db.execute("UPDATE entries SET schema_version = '0' WHERE key = 'other-schema'")
        assert cache.stats()["other_schema"] == 1
        for n in range(200):  # enough old answers that giving their space back shows
            put(cache, f"bulk-{n}", value="x" * 2000)
        cache._db.execute("UPDATE entries SET used = ? WHERE key LIKE 'bulk-%'", (long_ago,))
        before = cache.size()
        assert cache.prune(dt.timedelta(days=30)) == 202
        assert cache.size() < before / 2
        assert cache.size() == cache.path.stat().st_size  # nothing left waiting in the log
        assert cache.get("fresh") is not None and cache.get("old") is None
        assert cache.clear() == 1
        assert cache.get("fresh") is None


WRITER = textwrap.dedent(
    """
    import sys
    from briefgen.cache import Cache
    path, name = sys.argv[1], sys.argv[2]
    cache = Cache(path)
    for i in range(150):
        cache.put(f"{name}-{i}", kind="notes", value="{}", engine="llm", model="m",
                  prompt="p", label="x", calls=1, prompt_tokens=1, completion_tokens=1)
        cache.put(f"shared-{i}", kind="notes", value="{}", engine="llm", model="m",
                  prompt="p", label="x", calls=1, prompt_tokens=1, completion_tokens=1)
        assert cache.get(f"{name}-{i}") is not None
    print("ok")
    """
)


def test_two_runs_at_once_share_one_cache(tmp_path):
    path = str(tmp_path / "cache.db")
    Cache(path).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, path, name],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for name in ("first", "second")
    ]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        assert out.strip() == "ok"
    with Cache(path) as cache:
        kinds = cache.stats()["kinds"]
    assert kinds[0]["entries"] == 150 * 3  # each run's own answers, and the shared ones once


# ---------------------------------------------------------------- the engine in front


def _article() -> tuple[Article, Chunk]:
    text = "Officials met in Geneva on Monday to discuss tariffs on steel imports."
    article = Article(id="a1", title="Talks", text=text, path="a.txt")
    return article, Chunk(article_id="a1", index=0, start=0, end=len(text), text=text, tokens=15)


def _digest(article: Article) -> Digest:
    evidence = Evidence(article_id=article.id, text=article.text, start=0, end=len(article.text))
    finding = Finding(id=1, text=article.text, kind="fact", article_ids=[article.id],
                      evidence=[evidence])  # fmt: skip
    return Digest(findings=[finding])


def _engine(handler, tmp_path) -> CachedEngine:
    engine = LLMEngine(stub_client(handler), model="m", max_attempts=1)
    return CachedEngine(engine, Cache.in_folder(tmp_path))


def test_a_brief_the_fallback_wrote_is_not_kept(tmp_path):
    article, _ = _article()
    calls = []

    def failing(request):
        if request.url.path.endswith("/chat/completions"):  # not the look at its context size
            calls.append(request)
        return chat_reply("not json at all")

    engine = _engine(failing, tmp_path)
    engine.write(_digest(article), "exec", [article])
    assert engine.warnings and "extractive engine wrote it" in engine.warnings[0]
    asked = len(calls)
    engine.write(_digest(article), "exec", [article])
    assert len(calls) == 2 * asked  # asked the model again: nothing was cached
    assert engine.cache.stats()["kinds"] == []


def test_a_kept_answer_that_no_longer_validates_is_asked_again(tmp_path):
    article, chunk = _article()
    calls = []
    notes = notes_answer()

    def answering(request):
        if request.method == "POST":  # not the one look at the server's context size
            calls.append(request)
        return chat_reply(json.dumps(notes))

    engine = _engine(answering, tmp_path)
    engine.extract(chunk, article)
    engine.extract(chunk, article)
    assert len(calls) == 1
    engine.cache._db.execute("UPDATE entries SET value = '{\"claims\": 5}'")
    engine.extract(chunk, article)
    assert len(calls) == 2
    assert engine.ledger.calls_new == 2 and engine.ledger.calls_cached == 1


def test_the_same_passage_in_another_article_is_that_articles_notes(tmp_path):
    article, chunk = _article()
    engine = _engine(lambda r: chat_reply(json.dumps(notes_answer())), tmp_path)
    engine.extract(chunk, article)
    other = article.model_copy(update={"id": "b2", "path": "b.txt"})
    notes = engine.extract(chunk.model_copy(update={"article_id": "b2"}), other)
    assert notes.article_id == "b2"
    assert engine.ledger.calls_cached == 1


# ---------------------------------------------------------------- upkeep from the command line


@pytest.mark.vcr(CASSETTE)
def test_cache_commands_show_prune_and_clear(runner, tmp_path, monkeypatch):
    state = tmp_path / "state"
    monkeypatch.setenv("BRIEFGEN_CACHE", str(state))
    folder = steps.first_four(tmp_path / "articles")
    assert runner.invoke(main, steps.make_args(folder)).exit_code == 0
    stats = json.loads(runner.invoke(main, ["cache", "stats", "-f", "json", str(state)]).stdout)
    kinds = {k["kind"]: k for k in stats["kinds"]}
    assert kinds["synthesis"]["entries"] == 1 and kinds["notes"]["entries"] >= 4
    table = runner.invoke(main, ["cache", "stats", str(state)])
    assert table.exit_code == 0 and "synthesis" in table.stdout and "smollm2" in table.stdout
    pruned = runner.invoke(main, ["cache", "prune", "--older-than", "1", str(state)])
    assert pruned.exit_code == 0 and pruned.stdout.startswith("removed 0 answers")
    # Each chunk's notes are kept grounded too, so a warm run does not ground them again.
    assert kinds["grounded"]["entries"] == kinds["notes"]["entries"]
    assert kinds["grounded"]["calls"] == 0
    cleared = runner.invoke(main, ["cache", "clear", str(state)])
    removed = kinds["notes"]["entries"] + kinds["grounded"]["entries"] + 1
    assert cleared.stdout.startswith(f"removed {removed} answers")
    assert json.loads(runner.invoke(main, ["cache", "stats", "-f", "json"]).stdout)["kinds"] == []


def test_cache_commands_say_when_there_is_no_cache(runner, tmp_path):
    # Nothing kept is a plain answer, not an error (tests/test_unix.py has the rest).
    result = runner.invoke(main, ["cache", "stats", "--cache", str(tmp_path / "none")])
    assert result.exit_code == 0
    assert f"nothing kept in {tmp_path / 'none'}" in result.stdout


# ---------------------------------------------------------------- a killed run

KILLED_RUN = textwrap.dedent(
    """
    import json, os, signal, sys
    sys.path[:0] = [{root!r}, {tests!r}, {authored!r}]
    import httpx2
    import author
    from briefgen import llm_client
    from briefgen.cli import main
    answered = []

    def handler(request):
        if len(answered) == {finished}:
            os.kill(os.getpid(), signal.SIGKILL)  # as `kill -9` would, mid-run
        body = json.loads(request.content)
        sentences = author._sentences(body["messages"][-1]["content"])
        answered.append(1)
        notes = author.notes_for(sentences, None)
        return httpx2.Response(200, json=author._reply(json.dumps(notes), 10, 10))

    real = llm_client.LLMClient.__init__
    def stand_in(self, **kwargs):
        kwargs["http_client"] = httpx2.Client(transport=httpx2.MockTransport(handler))
        real(self, **kwargs)
    llm_client.LLMClient.__init__ = stand_in
    main({args!r})
    """
)


@pytest.mark.vcr(CASSETTE)
def test_a_killed_run_keeps_its_finished_chunks(runner, tmp_path, monkeypatch, vcr):
    state = tmp_path / "state"
    folder = steps.first_four(tmp_path / "articles")
    finished = 4
    script = KILLED_RUN.format(
        root=str(ROOT), tests=str(ROOT / "tests"),
        authored=str(ROOT / "tests" / "cassettes" / "authored"),
        finished=finished, args=steps.make_args(folder),
    )  # fmt: skip
    killed = subprocess.run([sys.executable, "-c", script], env={**os.environ,
                            "BRIEFGEN_CACHE": str(state)}, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    monkeypatch.setenv("BRIEFGEN_CACHE", str(state))
    result = runner.invoke(main, steps.make_args(folder))
    assert result.exit_code == 0, result.stderr
    from test_cache_runs import calls_line, chunks_in

    expected = chunks_in(*steps.FIRST_FOUR) - finished + 1
    assert vcr.play_count == expected
    assert calls_line(result.stderr) == (expected, finished)


@pytest.mark.vcr(CASSETTE)
def test_no_key_reaches_the_cache_or_the_manifests(runner, tmp_path, monkeypatch):
    secret = "sk-cache-test-0123456789abcdef"
    state = tmp_path / "state"
    monkeypatch.setenv("BRIEFGEN_CACHE", str(state))
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    folder = steps.first_four(tmp_path / "articles")
    # --record: a preview on standard output would keep no manifest to check.
    result = runner.invoke(main, [*steps.make_args(folder), "--record"])
    assert result.exit_code == 0, result.stderr
    kept = [p for p in state.rglob("*") if p.is_file()]
    assert {"cache.db", "log.db"} <= {p.name for p in kept}
    assert any(p.suffix == ".json" and "manifests" in p.parts for p in kept)
    for path in kept:
        assert secret.encode() not in path.read_bytes(), path


@pytest.mark.vcr(CASSETTE)
def test_a_damaged_cache_file_costs_the_cache_not_the_brief(runner, tmp_path, monkeypatch):
    state = tmp_path / "state"
    state.mkdir()
    (state / "cache.db").write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("BRIEFGEN_CACHE", str(state))
    folder = steps.first_four(tmp_path / "articles")
    result = runner.invoke(main, steps.make_args(folder))
    assert result.exit_code == 0, result.stderr
    assert f"warning: no cache in {state}" in result.stderr
    assert json.loads(result.stdout)["key_points"]
