"""Several servers of one model (issue 16, item 4): briefgen/pool.py and base_url lists.

The servers are real ones on 127.0.0.1 (each on a free port), so the calls go through the
openai client and httpx as they would to remote endpoints, and each server counts what it
was sent. Each answers as a careful model would (the first sentences of a passage as facts,
a brief restating the first finding), so a whole `briefgen make` runs through.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest
from conftest import SAMPLE, serving
from llm_stub import chat_reply, first_finding_brief, passage_sentences, verbatim_notes

from briefgen import llm_client
from briefgen.cli import main
from briefgen.config import load_settings
from briefgen.errors import ConfigError, EndpointError
from briefgen.pool import ClientPool, safe_urls, split_urls

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

MODEL = "m"
ENDPOINT_FAILED = 4  # exit_codes: the endpoint could not answer


class Server:
    """A capable model server on 127.0.0.1; `fail_after` N answers, it answers 500 to every
    later request (a server going down mid-run); `delay` seconds before each answer, so
    that concurrent calls overlap."""

    def __init__(self, fail_after: int | None = None, delay: float = 0.02) -> None:
        self.fail_after = fail_after
        self.delay = delay
        self.chats = 0  # chat requests received
        self.lock = threading.Lock()
        state = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length"))))
                with state.lock:
                    state.chats += 1
                    fail = state.fail_after is not None and state.chats > state.fail_after
                time.sleep(state.delay)
                if fail:
                    status, data = 500, json.dumps({"error": {"message": "down"}}).encode()
                else:
                    sentences = passage_sentences(body)
                    last = body["messages"][-1]["content"]
                    text = (
                        verbatim_notes(sentences)
                        if sentences is not None
                        else first_finding_brief(last)
                    )
                    status, data = 200, chat_reply(text).content
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self._serving = serving(Handler)
        self.url = ""

    def __enter__(self) -> Server:
        httpd = self._serving.__enter__()
        self.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        return self

    def __exit__(self, *exc) -> None:
        self._serving.__exit__(*exc)


def closed_url(password: str = "") -> str:
    """An endpoint nobody listens on (a port bound, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    user = f"user:{password}@" if password else ""
    return f"http://{user}127.0.0.1:{port}/v1"


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    """Backoff waits of 0 s: where the calls go is tested, not the time."""
    monkeypatch.setattr(llm_client, "RetryWait", lambda: lambda _state: 0.0)


def make(runner, base_url: str, state, *extra: str):
    env = {"OPENAI_API_KEY": None, "BRIEFGEN_API_KEY": None, "OPENAI_BASE_URL": None,
           "BRIEFGEN_BASE_URL": None}  # fmt: skip
    args = ["make", "--engine", "llm", "--base-url", base_url, "--model", MODEL,
            "--cache", str(state), "--as-of", "2025-10-27", "-f", "json", *extra, str(SAMPLE)]  # fmt: skip
    return runner.invoke(main, args, env=env)


def brief_of(result) -> dict:
    """The brief without what differs between runs (timings, the run's own numbers)."""
    assert result.exit_code == 0, result.stderr
    brief = json.loads(result.stdout)
    return {k: brief[k] for k in ("headline", "bottom_line", "key_points") if k in brief}


def logged_endpoints(state) -> list[str]:
    """The endpoint of every answered call in the run log (briefgen.runlog.LOG_FILE)."""
    (log,) = state.rglob("log.db")
    with sqlite3.connect(log) as conn:
        rows = conn.execute("SELECT endpoint FROM calls WHERE endpoint IS NOT NULL").fetchall()
    return [row[0] for row in rows]


@pytest.fixture
def alone_brief(runner, tmp_path):
    """The brief one server alone gives, to compare the pool's with."""
    with Server() as server:
        return brief_of(make(runner, server.url, tmp_path / "alone"))


# ---------------------------------------------------------------- end to end


def test_calls_are_spread_over_both_servers(runner, tmp_path, alone_brief):
    with Server() as a, Server() as b:
        result = make(runner, f"{a.url},{b.url}", tmp_path / "state", "-j", "4")
        assert brief_of(result) == alone_brief
        assert a.chats >= 1 and b.chats >= 1, (a.chats, b.chats)
    # The log says which endpoint answered each call, without credentials.
    assert set(logged_endpoints(tmp_path / "state")) == {a.url, b.url}


def test_one_down_from_the_start_its_calls_go_to_the_other(runner, tmp_path, alone_brief):
    with Server() as b:
        result = make(runner, f"{closed_url()} {b.url}", tmp_path / "state", "-j", "4")
        assert brief_of(result) == alone_brief
        assert b.chats >= 1


def test_one_failing_mid_run_its_calls_go_to_the_other(runner, tmp_path, alone_brief):
    with Server(fail_after=2) as a, Server() as b:
        result = make(runner, f"{a.url}, {b.url}", tmp_path / "state", "-j", "4")
        assert brief_of(result) == alone_brief
        assert a.chats > 2  # it did fail, after answering
    assert set(logged_endpoints(tmp_path / "state")) <= {a.url, b.url}


def test_all_down_fails_with_exit_4_naming_every_endpoint(runner, tmp_path):
    first, second = closed_url("pw1secret"), closed_url("pw2secret")
    result = make(runner, f"{first},{second}", tmp_path / "state")
    assert result.exit_code == ENDPOINT_FAILED, result.stderr
    for url in (first, second):
        assert safe_urls(url) in result.stderr
    assert "pw1secret" not in result.stderr and "pw2secret" not in result.stderr


def test_the_cache_key_does_not_depend_on_which_server_answered(runner, tmp_path):
    state = tmp_path / "state"
    with Server(fail_after=0) as a, Server() as b:
        # a fails everything: b answers every call.
        first = brief_of(make(runner, f"{a.url},{b.url}", state, "-j", "2"))
        assert b.chats >= 1
        a.fail_after, a.chats = None, 0
        # a alone, now up, finds every answer in the cache.
        again = brief_of(make(runner, a.url, state))
        assert a.chats == 0
    assert again == first


# ---------------------------------------------------------------- the pool itself


class FakeClient:
    """A client of one endpoint, as ClientPool uses it."""

    def __init__(self, name: str, context: int | None = None, fail: bool = False):
        self.base_url = self.endpoint = name
        self.model, self.timeout, self.max_retry_seconds = MODEL, 60.0, 120.0
        self.context, self.fail, self.calls, self.on_call = context, fail, 0, None
        self.gate = threading.Event()

    def pace(self):
        return None

    def context_size(self):
        return self.context

    def complete(self, messages, **kwargs):
        self.calls += 1
        if self.fail:
            raise EndpointError(f"{self.base_url} failed: connection", base_url=self.base_url)
        self.gate.wait(5)
        return self.base_url


def test_the_pool_reports_the_smallest_context():
    pool = ClientPool([FakeClient("a", 8192), FakeClient("b"), FakeClient("c", 4096)])
    assert pool.context_size() == 4096
    assert ClientPool([FakeClient("a")]).context_size() is None


def test_the_least_busy_endpoint_is_chosen():
    a, b = FakeClient("a"), FakeClient("b")
    pool = ClientPool([a, b])
    threads = [threading.Thread(target=pool.complete, args=([],), kwargs={
        "schema": {}, "schema_name": "x", "max_tokens": 1}) for _ in range(4)]  # fmt: skip
    for t in threads:
        t.start()
    time.sleep(0.2)
    a.gate.set(), b.gate.set()
    for t in threads:
        t.join(5)
    assert (a.calls, b.calls) == (2, 2)


def test_a_failed_endpoint_is_set_aside():
    now = [0.0]
    a, b = FakeClient("a", fail=True), FakeClient("b")
    b.gate.set()
    pool = ClientPool([a, b], clock=lambda: now[0])
    args = {"schema": {}, "schema_name": "x", "max_tokens": 1}
    assert [pool.complete([], **args) for _ in range(3)] == ["b"] * 3
    assert a.calls == 1  # tried once, then set aside
    now[0] = 121.0  # its cool-down over, it is tried again
    pool.complete([], **args)
    assert a.calls == 2


def test_all_failing_names_every_endpoint():
    pool = ClientPool([FakeClient("http://a/v1", fail=True), FakeClient("http://b/v1", fail=True)])
    with pytest.raises(EndpointError, match=r"http://a/v1, http://b/v1"):
        pool.complete([], schema={}, schema_name="x", max_tokens=1)


# ---------------------------------------------------------------- the setting


def test_several_urls_by_commas_whitespace_or_a_toml_list(tmp_path):
    urls = ["http://a:1/v1", "http://u:p@b:2/v1?api-key=k,2"]
    assert split_urls("http://a:1/v1, http://u:p@b:2/v1?api-key=k,2") == urls
    assert split_urls("http://a:1/v1\n http://u:p@b:2/v1?api-key=k,2") == urls
    assert split_urls(urls) == urls
    (tmp_path / "briefgen.toml").write_text(f"base_url = {json.dumps(urls)}\n")
    settings = load_settings(env={}, cwd=tmp_path, config_file=tmp_path / "briefgen.toml")
    assert split_urls(settings.base_url) == urls
    assert safe_urls(settings.base_url) == "http://a:1/v1, http://b:2/v1"


def test_a_bad_url_in_the_list_is_named_without_credentials(tmp_path):
    (tmp_path / "briefgen.toml").write_text('base_url = ["http://u:pw9@a/v1", "ftp://b"]\n')
    with pytest.raises(ConfigError) as raised:
        load_settings(env={}, cwd=tmp_path, config_file=tmp_path / "briefgen.toml")
    assert "ftp://b" in str(raised.value) and "pw9" not in str(raised.value)
