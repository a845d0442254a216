"""Faults that must not bite: an endpoint failing every call, the cost line counting HTTP
requests, and briefgen's own outputs told from articles by their exact provenance marker.

The failing endpoint is a real HTTP server on 127.0.0.1 answering 500 to everything; the
tests count the requests it gets (never the time taken: waits are switched off)."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE, serving

from briefgen import llm_client
from briefgen.cli import main
from briefgen.engines.llm import LLMEngine
from briefgen.errors import EndpointError
from briefgen.ledger import DEFAULT_PRICES, CallRecord, Ledger
from briefgen.llm_client import LLMClient
from briefgen.pipeline import read_corpus

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

SCHEMA = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
MESSAGES = [{"role": "user", "content": "Say a."}]
RETRIES = 6  # LLMClient's default max_retries: one call sends at most 7 requests


ANSWER = {
    "id": "c", "object": "chat.completion", "created": 0, "model": "m",
    "choices": [{"index": 0, "finish_reason": "stop",
                 "message": {"role": "assistant", "content": '{"a": "x"}'}}],
    "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8},
}  # fmt: skip


class FailingServer:
    """An OpenAI-compatible address on 127.0.0.1 that answers 500 to every request, or to
    the first `failures` only, then a valid answer."""

    def __init__(self, failures: int | None = None) -> None:
        self.requests = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with server._lock:
                    server.requests += 1
                    fail = failures is None or server.requests <= failures
                answer = {"error": {"message": "internal error"}} if fail else ANSWER
                body = json.dumps(answer).encode()
                self.send_response(500 if fail else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST  # noqa: N815 - the context probes (/props, /models) fail too

            def log_message(self, *args) -> None:
                pass

        self._serving = serving(Handler)
        self.url = ""

    def __enter__(self) -> FailingServer:
        httpd = self._serving.__enter__()
        self.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        return self

    def __exit__(self, *exc) -> None:
        self._serving.__exit__(*exc)


@pytest.fixture
def failing():
    with FailingServer() as server:
        yield server


@pytest.fixture
def no_waiting(monkeypatch):
    """Backoff waits of 0 s: the count of requests is what is tested, not the time."""
    monkeypatch.setattr(llm_client, "RetryWait", lambda: lambda _state: 0.0)


def client_for(server: FailingServer, memory: dict) -> LLMClient:
    return LLMClient(base_url=server.url, api_key=None, model="m", mode_memory=memory)


def call(client: LLMClient) -> BaseException | None:
    try:
        client.complete(MESSAGES, schema=SCHEMA, schema_name="a", max_tokens=10)
    except EndpointError as error:
        return error
    return None


@pytest.mark.parametrize("mode_known", [False, True], ids=["first-run", "mode-remembered"])
def test_an_endpoint_failing_everything_costs_one_retry_budget_whatever_the_threads(
    failing, no_waiting, mode_known
):
    # With the mode known every thread sends at once; without it the first call probes and
    # the others queue behind it. Either way the retries are the endpoint's, not each call's.
    memory = {}
    if mode_known:
        memory[f"{failing.url}#m"] = "json_schema"
    client = client_for(failing, memory)
    threads = 4
    with ThreadPoolExecutor(max_workers=threads) as pool:
        errors = list(pool.map(lambda _: call(client), range(12)))
    assert all(isinstance(e, EndpointError) for e in errors)
    # One call's budget, a first request of each thread sent before it knew, one probe.
    assert failing.requests <= (RETRIES + 1) + threads + 1
    # Every call says the same: the error of the call that gave up.
    assert {str(e) for e in errors} == {str(errors[0])}
    assert "HTTP 500" in str(errors[0]) and "giving up" in str(errors[0])
    # What each call sent is counted (the cost line's HTTP requests), and adds up.
    assert sum(e.requests for e in errors) == failing.requests


def test_once_known_failing_a_call_sends_nothing(failing, no_waiting):
    client = client_for(failing, {})
    first = call(client)
    assert first is not None and first.requests == RETRIES + 1
    probe = call(client)  # the next call tries once: one bad request must not stop a run
    assert probe.requests == 1 and str(probe) == str(first)
    sent = failing.requests
    later = [call(client) for _ in range(5)]
    assert failing.requests == sent
    assert all(e.requests == 0 and str(e) == str(first) for e in later)


def test_a_known_failing_endpoint_is_tried_again_after_the_cool_down(failing, no_waiting):
    client = client_for(failing, {})
    now = [0.0]
    client._circuit._clock = lambda: now[0]
    call(client), call(client)
    sent = failing.requests
    call(client)
    assert failing.requests == sent  # known failing: nothing sent
    now[0] += client.max_retry_seconds + 1
    assert call(client).requests == 1  # cooled down: one probe
    assert failing.requests == sent + 1


def test_the_map_step_at_j4_gives_up_within_one_budget(failing, no_waiting):
    client = client_for(failing, {})
    engine = LLMEngine(client, model="m", context_tokens=8192)
    with pytest.raises(EndpointError, match="HTTP 500"):
        read_corpus([str(SAMPLE)], engine=engine, concurrency=4)  # 15 chunks
    assert failing.requests <= (RETRIES + 1) + 4 + 1
    failed = [r for r in engine.ledger.records if not r.ok]
    assert sum(r.requests for r in failed) == failing.requests
    assert engine.ledger.http_requests == failing.requests


def test_briefgen_make_at_j4_against_a_500_endpoint(failing, no_waiting, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "make",
            "--engine",
            "llm",
            "--base-url",
            failing.url,
            "--model",
            "m",
            "-j",
            "4",
            "--no-cache",
            str(SAMPLE),
        ],  # fmt: skip
    )
    assert "HTTP 500" in result.output + (result.stderr if result.stderr_bytes else "")
    # The map calls, the synthesis and the context probes (GET) all included.
    assert failing.requests <= (RETRIES + 1) + 4 + 1 + 2


# ---------------------------------------------------------------- the cost line


def record(requests: int, ok: bool = True, cached: bool = False) -> CallRecord:
    return CallRecord(
        kind="extract", model="gpt-4o-mini", mode="json_schema", prompt_tokens=100,
        completion_tokens=10, seconds=1.0, ok=ok, cached=cached, requests=requests,
    )  # fmt: skip


def test_the_cost_line_shows_http_requests_and_retries():
    ledger = Ledger()
    ledger.record(record(1))
    ledger.record(record(3))  # answered after two transient faults
    ledger.record(record(7, ok=False))  # gave up after seven
    ledger.record(record(1, cached=True))  # a cached answer sent nothing
    line = ledger.summary(DEFAULT_PRICES)
    assert line.startswith("3 calls (2 new, 1 cached, 1 given up), 11 HTTP requests (8 retries)")
    one = Ledger()
    one.record(record(1))
    assert "1 HTTP request (0 retries)" in one.summary(DEFAULT_PRICES)


def test_a_retried_answer_counts_its_requests(no_waiting):
    # The client tells the engine's ledger what each answer took (Completion.requests).
    seen = []
    with FailingServer(failures=2) as flaky:
        client = LLMClient(
            base_url=flaky.url, api_key=None, model="m", mode_memory={}, on_call=seen.append
        )
        assert call(client) is None
        assert call(client) is None
    assert [c.requests for c in seen] == [3, 1] and flaky.requests == 4


# ---------------------------------------------------------------- briefgen's own outputs

QUOTING = """Tools that write the news

A newsroom in Leeds said on Monday that it had tried an automatic summariser for a week.
Its editors found a line reading "Generated by briefgen 0.9" at the foot of every draft.
"We kept the footer so readers know a program helped," the managing editor said.
"""


def sample_copy(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for story in sorted(SAMPLE.glob("*.txt")):
        (folder / story.name).write_text(story.read_text())
    return folder


def test_an_article_quoting_the_footer_phrase_is_read_as_an_article(tmp_path):
    from briefgen.ingest import load

    (tmp_path / "quoting.txt").write_text(QUOTING)
    (tmp_path / "quoting.md").write_text(
        "# Tools that write the news\n\n" + QUOTING + "\nThe trial ends next month.\n"
    )
    loaded = load([str(tmp_path)])
    assert len(loaded.articles) == 2 and not loaded.skipped
    assert all("Generated by briefgen 0.9" in a.text for a in loaded.articles)


def test_a_feed_whose_entry_quotes_the_phrase_keeps_every_entry(tmp_path):
    from briefgen.ingest import load

    items = "".join(
        f"<item><title>Story {n}</title><description>{body}</description></item>"
        for n, body in enumerate(
            ["The port reopened on Monday after a week of strikes by dockworkers there.",
             "Its footer read Generated by briefgen 1.0, the newsroom's editor said today.",
             "Ministers met in Geneva on Tuesday to talk about the shipping fees again."]
        )
    )  # fmt: skip
    (tmp_path / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    )
    assert len(load([str(tmp_path)]).articles) == 3


def test_a_lookalike_footer_is_just_text(tmp_path):
    # Our footer's words with a no-break space, and no marker: not ours, so read, and its
    # words are text like any other (and so are the marker's words out of their line).
    from briefgen.ingest import load

    body = QUOTING.replace('"Generated by briefgen 0.9"', "the words")
    (tmp_path / "nbsp.md").write_text(
        body + "\nGenerated by\u00a0briefgen 1.0 · engine extractive · 5 articles read\n"
    )
    (tmp_path / "inline.txt").write_text(
        body.replace("the words", "the comment <!-- briefgen:brief v1 --> in its page")
    )
    loaded = load([str(tmp_path)])
    assert len(loaded.articles) == 2 and not loaded.skipped


@pytest.mark.parametrize(
    "args",
    [
        ["make", "-a", "newsletter", "-f", "md", "-o", "{out}.md"],
        ["make", "-a", "newsletter", "-f", "html", "-o", "{out}.html"],
        ["make", "-a", "analyst", "-f", "md", "-o", "{out}.md"],
        ["watchlist", "-f", "json", "-o", "{out}.json"],
    ],
    ids=["newsletter-md", "newsletter-html", "analyst-md", "watchlist-json"],
)
def test_briefgens_own_outputs_are_known_by_their_marker(tmp_path, args):
    from briefgen.ingest import load

    folder = sample_copy(tmp_path)
    out = str(folder / "mine")
    args = [a.replace("{out}", out) for a in args]
    made = CliRunner().invoke(main, [*args, "--engine", "extractive", str(folder)])
    assert made.exit_code in (0, 1), made.output
    written = args[-1]
    if written.endswith((".md", ".html")):
        assert "<!-- briefgen:brief v1 -->\n" in Path(written).read_text()
    loaded = load([str(folder)])
    assert len(loaded.articles) == 5
    assert [s.path for s in loaded.skipped] == [written]


def test_a_calendar_briefgen_wrote_is_known_by_its_prodid(tmp_path):
    import io

    from briefgen.ingest import load

    folder = sample_copy(tmp_path)
    made = CliRunner().invoke(main, ["watchlist", "-f", "ics", "--engine", "extractive",
                                     str(folder)])  # fmt: skip
    assert "PRODID:-//briefgen//" in made.stdout
    ours = load(["-"], stdin=io.BytesIO(made.stdout.encode()))
    assert not ours.articles and ours.skipped[0].reason.startswith("a brief made by briefgen")
    other = made.stdout.replace("PRODID:-//briefgen//", "PRODID:-//other//")
    assert not load(["-"], stdin=io.BytesIO(other.encode())).skipped  # read as text


def test_json_records_that_only_look_like_a_brief_are_read(tmp_path):
    from briefgen.ingest import load

    record = {"schema_version": "2.0", "title": "Port reopens", "text": QUOTING,
              "provenance": "wire"}  # fmt: skip
    (tmp_path / "records.json").write_text(json.dumps(record))
    assert len(load([str(tmp_path)]).articles) == 1
