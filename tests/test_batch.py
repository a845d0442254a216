"""Map calls through a batch service: submit, status, collect into the cache, expiry, cancel.

The service is tests/fake_batch.py on 127.0.0.1; the engine's live client is a stub that
counts the calls it gets, so "nothing asked twice" is a count.
"""

from __future__ import annotations

import dataclasses
import json

import httpx2
import openai
import pytest
from conftest import serving
from fake_batch import FakeBatchService
from llm_stub import chat_reply, passage_sentences, stub_client, verbatim_notes

from briefgen import batch
from briefgen.cache import Cache
from briefgen.chunking import chunk_article
from briefgen.engines.cached import CachedEngine
from briefgen.engines.llm import LLMEngine
from briefgen.ledger import Ledger, Price, format_usd

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
SECRET = "sk-test-do-not-keep-1234567890"


@pytest.fixture
def live():
    calls = []

    def handler(request):
        body = json.loads(request.content)
        calls.append(body)
        return chat_reply(verbatim_notes(passage_sentences(body) or []))

    engine = LLMEngine(stub_client(handler), model="stand-in")
    return engine, calls


@pytest.fixture
def pairs(sample_articles):
    articles = list(sample_articles.values())[:2]
    return [(c, a) for a in articles for c in chunk_article(a)]


def run(service: FakeBatchService, body):
    with serving(service.handler()) as httpd:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        client = openai.OpenAI(base_url=url, api_key=SECRET, max_retries=0)
        return body(client)


def submitted(client, engine, cache, pairs, state):
    lines, chunks = batch.uncached_requests(engine, cache, pairs)
    return batch.submit(client, state, lines, chunks, engine), lines


def test_submit_writes_one_line_per_uncached_chunk(tmp_path, live, pairs):
    engine, _ = live
    service = FakeBatchService()
    with Cache.in_folder(tmp_path) as cache:
        pending, lines = run(service, lambda c: submitted(c, engine, cache, pairs, tmp_path))
    assert len(lines) == len({batch.map_request(engine, c, a)["custom_id"] for c, a in pairs})
    sent = [json.loads(x) for x in service.uploads[0].splitlines()]
    assert [x["custom_id"] for x in sent] == [x["custom_id"] for x in lines]
    assert all(x["url"] == "/v1/chat/completions" and x["method"] == "POST" for x in sent)
    kept = batch.load_pending(tmp_path)
    assert kept.batch_id == pending.batch_id and set(kept.chunks) == {x["custom_id"] for x in sent}


def test_status_moves_and_collect_waits_until_done(tmp_path, live, pairs, sample_articles):
    engine, _ = live
    service = FakeBatchService(steps=("validating", "in_progress", "in_progress", "completed"))
    with Cache.in_folder(tmp_path) as cache:

        def body(client):
            submitted(client, engine, cache, pairs, tmp_path)
            first = batch.collect(client, tmp_path, cache, sample_articles)
            second = batch.collect(client, tmp_path, cache, sample_articles)
            third = batch.collect(client, tmp_path, cache, sample_articles)
            return first, second, third

        first, second, third = run(service, body)
    assert first is None and second is None
    assert third.status == "completed" and third.stored == len(service.uploads[0].splitlines())
    assert third.failed == [] and batch.load_pending(tmp_path) is None


def test_collected_notes_serve_the_map_with_no_live_call(tmp_path, live, pairs, sample_articles):
    engine, calls = live
    with Cache.in_folder(tmp_path) as cache:

        def body(client):
            submitted(client, engine, cache, pairs, tmp_path)
            while batch.collect(client, tmp_path, cache, sample_articles) is None:
                pass

        run(FakeBatchService(), body)
        cached = CachedEngine(engine, cache)
        notes = [cached.extract(c, a) for c, a in pairs]
    assert calls == []
    assert any(n.claims for n in notes)
    assert [(n.article_id, n.chunk_index) for n in notes] == [(a.id, c.index) for c, a in pairs]


def test_error_lines_are_asked_again_live(tmp_path, live, pairs, sample_articles):
    engine, calls = live
    with Cache.in_folder(tmp_path) as cache:
        first_key = batch.map_request(engine, *pairs[0])["custom_id"]
        service = FakeBatchService(fail={first_key})

        def body(client):
            submitted(client, engine, cache, pairs, tmp_path)
            while (got := batch.collect(client, tmp_path, cache, sample_articles)) is None:
                pass
            return got

        got = run(service, body)
        assert got.failed == [first_key] and not cache.has(first_key)
        cached = CachedEngine(engine, cache)
        for c, a in pairs:
            cached.extract(c, a)
    assert len(calls) == 1  # only the failed chunk went live


def test_expired_batch_keeps_what_finished(tmp_path, live, pairs, sample_articles):
    engine, _ = live
    service = FakeBatchService(steps=("validating", "in_progress", "expired"), finish=1)
    with Cache.in_folder(tmp_path) as cache:

        def body(client):
            submitted(client, engine, cache, pairs, tmp_path)
            while (got := batch.collect(client, tmp_path, cache, sample_articles)) is None:
                pass
            # The rest is asked again next time: a new batch carries only those.
            return got, batch.uncached_requests(engine, cache, pairs)[0]

        got, again = run(service, body)
    assert got.status == "expired" and got.stored == 1
    assert sorted(x["custom_id"] for x in again) == sorted(got.failed)
    assert len(got.failed) == len(service.uploads[0].splitlines()) - 1


def test_cancel(tmp_path, live, pairs, sample_articles):
    engine, _ = live
    with Cache.in_folder(tmp_path) as cache:

        def body(client):
            pending, _ = submitted(client, engine, cache, pairs, tmp_path)
            batch.cancel(client, pending)
            return batch.collect(client, tmp_path, cache, sample_articles)

        got = run(FakeBatchService(), body)
    assert got.status == "cancelled" and got.stored == 0 and got.failed


def test_results_file_from_run_batch(tmp_path, live, pairs, sample_articles):
    """vLLM's run_batch writes the same output lines: collect --from reads them."""
    engine, _ = live
    service = FakeBatchService(steps=("completed",))
    with Cache.in_folder(tmp_path) as cache:

        def body(client):
            pending, _ = submitted(client, engine, cache, pairs, tmp_path)
            service.finish_batch(service.batches[pending.batch_id], answered=None)
            out = service.batches[pending.batch_id]["output_file_id"]
            return service.files[out]["content"]

        results = tmp_path / "results.jsonl"
        results.write_bytes(run(service, body))
        got = batch.collect_file(results, tmp_path, cache, sample_articles)
        assert got.stored == len(results.read_text().splitlines()) and got.failed == []


def test_batch_price_is_half_the_list_price():
    assert batch.batch_price(Price(2.0, 8.0)) == Price(1.0, 4.0)


def test_collected_answers_are_priced_at_the_batch_share(tmp_path, live, pairs, sample_articles):
    engine, _ = live
    with Cache.in_folder(tmp_path) as cache:

        def body(client):
            submitted(client, engine, cache, pairs, tmp_path)
            while (got := batch.collect(client, tmp_path, cache, sample_articles)) is None:
                pass
            return got

        got = run(FakeBatchService(), body)
    prices = {"stand-in": Price(2.0, 8.0)}
    live_ledger = Ledger()
    for r in got.ledger.records:
        live_ledger.record(dataclasses.replace(r, mode="json_schema"))
    assert got.ledger.records and got.ledger.cost(prices) == pytest.approx(
        live_ledger.cost(prices) / 2
    )
    assert format_usd(got.ledger.cost(prices)) in got.ledger.summary(prices)


def test_no_secret_in_the_state_folder(tmp_path, live, pairs):
    engine, _ = live
    service = FakeBatchService()
    with Cache.in_folder(tmp_path) as cache:
        run(service, lambda c: submitted(c, engine, cache, pairs, tmp_path))
    assert any(SECRET in h.get("authorization", "") for h in service.headers)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes()


def test_make_batch_then_make_again_uses_the_batch(tmp_path):
    """make --batch sends the map as a batch and exits 75; run again until the batch is
    done, and the brief is made with no map call asked live."""
    from click.testing import CliRunner
    from conftest import SAMPLE

    from briefgen.cli import main

    service = FakeBatchService()
    env = {"OPENAI_API_KEY": SECRET, "BRIEFGEN_API_KEY": None, "OPENAI_BASE_URL": None}
    with serving(service.handler()) as httpd:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        args = ["make", "--batch", "--engine", "llm", "--base-url", url, "--model", "m",
                "--cache", str(tmp_path), "--as-of", "2025-10-27", str(SAMPLE)]  # fmt: skip
        runs = [CliRunner().invoke(main, args, env=env) for _ in range(4)]
    codes = [r.exit_code for r in runs]
    assert codes[0] == batch.EXIT_BATCH_PENDING and "batch_1" in runs[0].stderr
    assert 0 in codes, [r.stderr for r in runs]
    done = runs[codes.index(0)]
    assert "collected batch (completed)" in done.stderr and done.stdout.strip()
    assert service.live_maps == 0 and service.live_others >= 1
    assert len(service.batches) == 1  # nothing asked twice
    # The batch's calls are a run of their own in the run log, at the batch's mode and price.
    (sent,) = logged_batches(tmp_path)
    (only,) = service.batches.values()
    sent_lines = service.files[only["input_file_id"]]["content"].splitlines()
    assert sent["calls_new"] == len(sent_lines) > 0
    assert sent["modes"] == {batch.BATCH_MODE} and sent["prompt_tokens"] > 0


def logged_batches(state) -> list[dict]:
    """The runs of audience "batch" in the run log, with the modes of their calls."""
    import sqlite3

    (log,) = state.rglob("log.db")
    with sqlite3.connect(log) as conn:
        conn.row_factory = sqlite3.Row
        runs = [dict(r) for r in conn.execute("SELECT * FROM runs WHERE audience = 'batch'")]
        for run in runs:
            rows = conn.execute("SELECT mode FROM calls WHERE run_id = ?", (run["id"],))
            run["modes"] = {row[0] for row in rows}
    return runs


def test_a_chunk_cut_off_in_the_batch_is_asked_live_not_batched_again(tmp_path):
    """An answer cut off at max_tokens would be cut off again in the next batch, and
    make --batch would exit 75 for ever: that chunk goes to the live map instead (which
    splits a cut-off chunk in halves), and the brief is made."""
    from click.testing import CliRunner
    from conftest import SAMPLE

    from briefgen.cli import main

    service = FakeBatchService(steps=("validating", "completed"), cut_off=1)
    env = {"OPENAI_API_KEY": None, "BRIEFGEN_API_KEY": None, "OPENAI_BASE_URL": None}
    with serving(service.handler()) as httpd:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        args = ["make", "--batch", "--engine", "llm", "--base-url", url, "--model", "m",
                "--cache", str(tmp_path), "--as-of", "2025-10-27", str(SAMPLE)]  # fmt: skip
        sent = CliRunner().invoke(main, args, env=env)
        made = CliRunner().invoke(main, args, env=env)
    assert sent.exit_code == batch.EXIT_BATCH_PENDING
    assert made.exit_code == 0, made.stderr
    assert "1 chunks whose batch answers were unusable are asked live" in made.stderr
    assert len(service.batches) == 1 and service.live_maps >= 1
    assert len(batch.load_live(tmp_path)) == 1


def test_follow_batch_waits_for_the_batch_then_all_is_cached(tmp_path):
    """follow --batch's wait: looks again until the batch is collected, then every map
    answer is in the cache (so the brief it makes next asks no map call live)."""
    import threading

    from conftest import SAMPLE

    from briefgen.cli_batch import batch_map_waiting

    service = FakeBatchService(steps=("validating", "in_progress", "finalizing", "completed"))
    with serving(service.handler()) as httpd:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        options = {"engine": "llm", "model": "m", "base_url": url, "concurrency": None,
                   "max_attempts": None, "config_file": None, "prompts": None,
                   "cache": str(tmp_path), "no_cache": False}  # fmt: skip
        done = batch_map_waiting([str(SAMPLE)], True, options, threading.Event(), poll=0.01)
        again = batch_map_waiting([str(SAMPLE)], True, options, threading.Event(), poll=0.01)
    assert done and again
    assert len(service.batches) == 1 and service.live_maps == 0
    assert batch.load_pending(tmp_path) is None


def test_follow_batch_wait_ends_when_stopped(tmp_path):
    import threading

    from conftest import SAMPLE

    from briefgen.cli_batch import batch_map_waiting

    stop = threading.Event()
    stop.set()
    service = FakeBatchService(steps=("validating", "in_progress"))  # never done
    with serving(service.handler()) as httpd:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        options = {"engine": "llm", "model": "m", "base_url": url, "concurrency": None,
                   "max_attempts": None, "config_file": None, "prompts": None,
                   "cache": str(tmp_path), "no_cache": False}  # fmt: skip
        assert not batch_map_waiting([str(SAMPLE)], True, options, stop, poll=0.01)
    assert batch.load_pending(tmp_path) is not None  # kept for the next look


def test_batch_write_and_collect_from_a_results_file(tmp_path):
    """The vLLM flow by the CLI: write the JSONL, (run_batch, here the fake), collect --from;
    then make asks no map call live."""
    from click.testing import CliRunner
    from conftest import SAMPLE

    from briefgen.cli import main

    service = FakeBatchService()
    env = {"OPENAI_API_KEY": None, "BRIEFGEN_API_KEY": None, "OPENAI_BASE_URL": None}
    requests = tmp_path / "requests.jsonl"
    with serving(service.handler()) as httpd:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        common = ["--engine", "llm", "--base-url", url, "--model", "m", "--cache", str(tmp_path)]
        wrote = CliRunner().invoke(
            main, ["batch", "write", *common, "--to", str(requests), str(SAMPLE)], env=env
        )
        assert wrote.exit_code == 0, wrote.stderr
        # What run_batch would write: the fake answers each line of the file.
        upload = service.add_file(requests.read_bytes(), "batch")
        created = service.create(
            {"endpoint": batch.ENDPOINT, "completion_window": "24h", "input_file_id": upload["id"]}
        )
        service.finish_batch(created, answered=None)
        results = tmp_path / "results.jsonl"
        results.write_bytes(service.files[created["output_file_id"]]["content"])
        got = CliRunner().invoke(
            main, ["batch", "collect", *common, "--from", str(results), str(SAMPLE)], env=env
        )
        made = CliRunner().invoke(
            main, ["make", *common, "--as-of", "2025-10-27", str(SAMPLE)], env=env
        )
    lines = requests.read_text().splitlines()
    assert lines and f"{len(lines)} answers cached, 0 to ask again" in got.stdout
    assert made.exit_code == 0 and made.stdout.strip()
    assert service.live_maps == 0
    (collected,) = logged_batches(tmp_path)
    assert collected["calls_new"] == len(lines)


def test_plain_make_collects_a_finished_batch_first(tmp_path):
    from click.testing import CliRunner
    from conftest import SAMPLE

    from briefgen.cli import main

    service = FakeBatchService(steps=("validating", "completed"))
    env = {"OPENAI_API_KEY": None, "BRIEFGEN_API_KEY": None, "OPENAI_BASE_URL": None}
    with serving(service.handler()) as httpd:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        common = ["--engine", "llm", "--base-url", url, "--model", "m", "--cache", str(tmp_path),
                  "--as-of", "2025-10-27", str(SAMPLE)]  # fmt: skip
        sent = CliRunner().invoke(main, ["make", "--batch", *common], env=env)
        made = CliRunner().invoke(main, ["make", *common], env=env)
    assert sent.exit_code == batch.EXIT_BATCH_PENDING
    assert made.exit_code == 0 and "collected batch (completed)" in made.stderr
    assert service.live_maps == 0 and len(service.batches) == 1


def test_a_service_that_is_down_is_an_endpoint_error(tmp_path):
    import socket

    from click.testing import CliRunner
    from conftest import SAMPLE

    from briefgen.cli import main
    from briefgen.exit_codes import ExitCode

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    env = {"OPENAI_API_KEY": SECRET, "BRIEFGEN_API_KEY": None, "OPENAI_BASE_URL": None}
    args = ["make", "--batch", "--engine", "llm", "--base-url", f"http://127.0.0.1:{port}/v1",
            "--model", "m", "--cache", str(tmp_path), str(SAMPLE)]  # fmt: skip
    got = CliRunner().invoke(main, args, env=env)
    assert got.exit_code == ExitCode.ENDPOINT and "batch service" in got.stderr
    assert SECRET not in got.stderr and batch.load_pending(tmp_path) is None


def test_batch_status_and_cancel_on_the_command_line(tmp_path):
    from click.testing import CliRunner
    from conftest import SAMPLE

    from briefgen.cli import main

    service = FakeBatchService(steps=("validating", "in_progress", "completed"))
    env = {"OPENAI_API_KEY": None, "BRIEFGEN_API_KEY": None, "OPENAI_BASE_URL": None}
    with serving(service.handler()) as httpd:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        common = ["--engine", "llm", "--base-url", url, "--model", "m", "--cache", str(tmp_path),
                  str(SAMPLE)]  # fmt: skip

        def batch_cmd(*args):
            return CliRunner().invoke(main, ["batch", *args, *common], env=env)

        assert batch_cmd("status").stdout == "no batch waiting\n"
        sent = CliRunner().invoke(main, ["make", "--batch", *common], env=env)
        assert sent.exit_code == batch.EXIT_BATCH_PENDING
        status = batch_cmd("status")
        assert status.exit_code == 0 and status.stdout.startswith("batch_1: ")
        cancelled = batch_cmd("cancel")
    assert cancelled.exit_code == 0 and cancelled.stdout == "batch_1: cancelled\n"


def _limit_and_temperature(engine, pairs) -> tuple[set[str], bool]:
    body = batch.map_request(engine, *pairs[0])["body"]
    return {k for k in ("max_tokens", "max_completion_tokens") if k in body}, "temperature" in body


def test_a_batch_for_openai_caps_answers_by_the_name_its_models_all_take(pairs):
    """OpenAI's reasoning models refuse max_tokens, and a batch line learns of a refusal
    only when the batch is done: lines for api.openai.com carry max_completion_tokens;
    other servers (vLLM's run_batch, llama.cpp) get the max_tokens they know."""
    never = lambda request: pytest.fail("no live call")  # noqa: E731
    openai_engine = LLMEngine(
        stub_client(never, base_url="https://api.openai.com/v1", temperature=0),
        model="gpt-x",
        context_tokens=8192,
    )
    local_engine = LLMEngine(
        stub_client(never, temperature=0), model="stand-in", context_tokens=8192
    )
    assert _limit_and_temperature(openai_engine, pairs) == ({"max_completion_tokens"}, True)
    assert _limit_and_temperature(local_engine, pairs) == ({"max_tokens"}, True)


def test_a_batch_line_carries_what_live_calls_to_its_endpoint_learned(pairs):
    """A live call refused max_tokens and a temperature, then was answered: the batch lines
    for that endpoint are sent as the live call was in the end."""
    refusals = iter(
        [
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            "Unsupported value: 'temperature' does not support 0 with this model.",
        ]
    )

    def handler(request):
        for message in refusals:
            return httpx2.Response(400, json={"error": {"message": message}})
        return chat_reply(verbatim_notes(passage_sentences(json.loads(request.content)) or []))

    engine = LLMEngine(
        stub_client(handler, base_url="http://learns.test/v1", temperature=0),
        model="picky",
        context_tokens=8192,
    )
    assert _limit_and_temperature(engine, pairs) == ({"max_tokens"}, True)
    engine.extract(*pairs[0])
    assert _limit_and_temperature(engine, pairs) == ({"max_completion_tokens"}, False)
