"""No secret in any output (issue 11, item 7).

A password in the base URL (`http://user:pw@host/v1`), an `api-key` query parameter and the
API key from OPENAI_API_KEY or BRIEFGEN_API_KEY must reach the server, and nothing else: not
standard error, the run log, the cache, the endpoint memory, a manifest, a brief in any
format, an error message or a cassette. Each place has its own test, for each kind of
secret; every test looks for the secret strings in all the bytes of that place.

The server is a real one on 127.0.0.1 (started here, on a free port), so the credentials go
through the openai client and httpx exactly as they would to a remote endpoint, and the
server can say what it received.
"""

from __future__ import annotations

import base64
import json
import socket
import sqlite3
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest
import vcr_format
from conftest import SAMPLE, serving
from llm_stub import (
    chat_reply,
    first_finding_brief,
    passage_sentences,
    stub_client,
    verbatim_notes,
)
from vcr.request import Request as VcrRequest

from briefgen import llm_client, runlog
from briefgen.cli import main
from briefgen.config import load_settings, redact
from briefgen.errors import EndpointError
from briefgen.ledger import REDACTED, safe_url

# pytest-recording blocks the network for every test (--block-network); the server here is
# on this machine.
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

USER = "user"
PASSWORD = "s3cr3tpass"
QUERY_SECRET = "QUERYSECRET"
ENV_KEY = "sk-ENVKEYSECRET-0123456789"
BASIC = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
MODEL = "m"
SCHEMA = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}


# ---------------------------------------------------------------- a server on 127.0.0.1


@dataclass
class Seen:
    """One request as the server received it."""

    path: str  # with its query string
    headers: dict[str, str]


def _answer(body: dict) -> str:
    last = body["messages"][-1]["content"]
    sentences = passage_sentences(body)
    if sentences is not None:
        return verbatim_notes(sentences)
    return first_finding_brief(last)


@dataclass
class Server:
    """A capable model server, or (with `status`) one refusing every request and echoing
    back every credential it was sent, as a careless proxy's error page might."""

    status: int = 200
    refuse_request: int | None = None  # with status 200: refuse only this one (1 = the first)
    seen: list[Seen] = field(default_factory=list)
    port: int = 0

    def handle(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict, dict]:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        self.seen.append(Seen(handler.path, headers))
        body = json.loads(handler.rfile.read(int(headers.get("content-length", 0))))
        status = self.status
        if self.refuse_request == len(self.seen):
            status = 401
        if status == 200:
            reply = chat_reply(_answer(body))
            return 200, {}, json.loads(reply.content)
        auth = headers.get("authorization", "")
        decoded = ""
        if auth.startswith("Basic "):
            decoded = base64.b64decode(auth[6:]).decode()
        message = f"bad credentials {auth!r} ({decoded}) for {handler.path}"
        # Retry-After 0: a 5xx is retried, and the test should not wait for the backoff.
        return status, {"Retry-After": "0"}, {"error": {"message": message}}


@pytest.fixture(scope="module")
def server():
    yield from _serve(Server())


def _serve(state: Server):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            status, headers, body = state.handle(self)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:  # quiet
            pass

    with serving(Handler) as httpd:
        state.port = httpd.server_address[1]
        yield state


def closed_port() -> int:
    """A port nobody listens on: bound, then let go."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- the kinds of secret


@dataclass(frozen=True)
class Kind:
    """One way of configuring a secret: the base URL and environment that carry it, the
    strings that must never be shown, and how the server knows it arrived."""

    name: str
    url: str  # with {port}
    env: dict
    secrets: tuple[str, ...]

    def base_url(self, port: int) -> str:
        return self.url.format(port=port)

    def arrived(self, seen: Seen) -> bool:
        auth = seen.headers.get("authorization", "")
        query = parse_qs(urlsplit(seen.path).query)
        checks = {
            "userinfo": auth == f"Basic {BASIC}",
            "query": query.get("api-key") == [QUERY_SECRET],
            "OPENAI_API_KEY": auth == f"Bearer {ENV_KEY}",
            "BRIEFGEN_API_KEY": auth == f"Bearer {ENV_KEY}",
            # A password in the URL is the Basic credential even beside an API key (as curl
            # and httpx do it); the query parameter is sent as well.
            "all": auth == f"Basic {BASIC}" and query.get("api-key") == [QUERY_SECRET],
        }
        path_ok = urlsplit(seen.path).path == "/v1/chat/completions"
        return path_ok and checks[self.name]


PLAIN = "http://127.0.0.1:{port}/v1"
KINDS = [
    Kind("userinfo", f"http://{USER}:{PASSWORD}@127.0.0.1:{{port}}/v1", {}, (PASSWORD, BASIC)),
    Kind("query", f"{PLAIN}?api-key={QUERY_SECRET}", {}, (QUERY_SECRET,)),
    Kind("OPENAI_API_KEY", PLAIN, {"OPENAI_API_KEY": ENV_KEY}, (ENV_KEY,)),
    Kind("BRIEFGEN_API_KEY", PLAIN, {"BRIEFGEN_API_KEY": ENV_KEY}, (ENV_KEY,)),
    Kind(
        "all",
        f"http://{USER}:{PASSWORD}@127.0.0.1:{{port}}/v1?api-key={QUERY_SECRET}",
        {"OPENAI_API_KEY": ENV_KEY},
        (PASSWORD, BASIC, QUERY_SECRET, ENV_KEY),
    ),
]
by_kind = pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])


def assert_clean(data: bytes | str, kind: Kind, where: str) -> None:
    blob = data.encode() if isinstance(data, str) else data
    for secret in kind.secrets:
        assert secret.encode() not in blob, f"{kind.name}: {secret!r} in {where}"


def state_files(state: Path) -> dict[str, bytes]:
    """Every file of the state folder (WAL and shared-memory files too), by relative path."""
    return {str(p.relative_to(state)): p.read_bytes() for p in state.rglob("*") if p.is_file()}


def sqlite_text(db: Path) -> str:
    """Every table, every column, every row of a SQLite file, as text."""
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


# ---------------------------------------------------------------- briefgen make, end to end


@dataclass
class Runs:
    kind: Kind
    server: Server
    state: Path
    stdout: dict[str, str]  # what each run printed, by name
    stderr: dict[str, str]
    exit_codes: dict[str, int]


def run_make(runner, kind: Kind, port: int, state: Path, *extra: str):
    env = {"OPENAI_API_KEY": None, "BRIEFGEN_API_KEY": None, "OPENAI_BASE_URL": None}
    # --record: a preview keeps no manifest, and the manifests are among what is checked.
    args = ["make", "--engine", "llm", "--base-url", kind.base_url(port), "--model", MODEL,
            "--cache", str(state), "--as-of", "2025-10-27", "--record", *extra, str(SAMPLE)]  # fmt: skip
    return runner.invoke(main, args, env={**env, **kind.env})


@pytest.fixture(scope="module", params=KINDS, ids=[k.name for k in KINDS])
def runs(request, runner, server, tmp_path_factory) -> Runs:
    """Briefs of the sample corpus in every format and two audiences, and a dry run, against
    the capable server; the first run calls the model, later ones partly from the cache."""
    kind: Kind = request.param
    state = tmp_path_factory.mktemp(kind.name) / "state"
    server.seen.clear()
    out = Runs(kind, server, state, {}, {}, {})
    for name, extra in {
        "md": ("-f", "md"),
        "html": ("-f", "html"),
        "json": ("-f", "json"),
        "analyst": ("-a", "analyst", "-f", "json"),
        "dry-run": ("--dry-run",),
    }.items():
        result = run_make(runner, kind, server.port, state, *extra)
        out.stdout[name], out.stderr[name] = result.stdout, result.stderr
        out.exit_codes[name] = result.exit_code
        if result.exception and result.exit_code != 2:
            raise result.exception
    return out


def test_the_request_still_carries_the_credentials(runs):
    assert all(code == 0 for code in runs.exit_codes.values()), runs.stderr
    assert runs.server.seen, "no request reached the server"
    for seen in runs.server.seen:
        assert runs.kind.arrived(seen), (runs.kind.name, seen)


def test_stderr(runs):
    for name, text in runs.stderr.items():
        assert_clean(text, runs.kind, f"stderr of make {name}")
    # The engine line names the endpoint, cleaned.
    assert f"at http://127.0.0.1:{runs.server.port}/v1 " in runs.stderr["md"]


def test_the_brief_in_every_format(runs):
    for name in ("md", "html", "json", "analyst", "dry-run"):
        assert_clean(runs.stdout[name], runs.kind, f"brief ({name})")
    assert json.loads(runs.stdout["json"])["provenance"]["engine"] == "llm"


def test_the_run_log(runs):
    db = runs.state / "log.db"
    for name, data in state_files(runs.state).items():
        if name.startswith("log.db"):
            assert_clean(data, runs.kind, name)
    assert_clean(sqlite_text(db), runs.kind, "log.db, every table")
    conn = sqlite3.connect(db)
    try:
        urls = {row[0] for row in conn.execute("select base_url from runs")}
    finally:
        conn.close()
    assert urls == {f"http://127.0.0.1:{runs.server.port}/v1"}


def test_the_cache(runs):
    files = state_files(runs.state)
    assert "cache.db" in files
    for name, data in files.items():
        if name.startswith("cache.db"):
            assert_clean(data, runs.kind, name)
    assert_clean(sqlite_text(runs.state / "cache.db"), runs.kind, "cache.db, every table")


def test_the_endpoint_memory(runs):
    path = runs.state / "endpoints.json"
    assert_clean(path.read_bytes(), runs.kind, "endpoints.json")
    # Keyed by the endpoint as shown: a new password keeps what was learnt.
    endpoint = f"http://127.0.0.1:{runs.server.port}/v1#m"
    assert list(json.loads(path.read_text())) == [endpoint, f"{endpoint}#context"]


def test_the_manifests(runs):
    manifests = [p for p in runs.state.rglob("*") if p.is_file() and "manifests" in p.parts]
    assert manifests
    for path in manifests:
        assert_clean(path.read_bytes(), runs.kind, str(path))


def test_nothing_anywhere_in_the_state_folder(runs):
    for name, data in state_files(runs.state).items():
        assert_clean(data, runs.kind, name)


# ---------------------------------------------------------------- when the endpoint fails


@pytest.fixture(params=[401, 500], ids=["401", "500"])
def refusing(request):
    yield from _serve(Server(status=request.param))


@by_kind
def test_a_refusing_server_echoing_the_credentials(kind, runner, refusing, tmp_path):
    state = tmp_path / "state"
    result = run_make(runner, kind, refusing.port, state, "-f", "md")
    assert refusing.seen and all(kind.arrived(seen) for seen in refusing.seen)
    # The failure is reported (the server's words included), without what it echoed.
    assert f"HTTP {refusing.status}" in result.stderr
    assert "bad credentials" in result.stderr
    assert_clean(result.stderr, kind, "stderr")
    assert_clean(result.stdout, kind, "the brief")
    for name, data in state_files(state).items():
        assert_clean(data, kind, name)


@by_kind
def test_one_chunk_refused_midway(kind, runner, tmp_path):
    """A chunk refused, then the synthesis refused: the run goes on without the one and with
    the extractive writer for the other. The errors reach standard error, the brief's footer,
    its manifest and the log's calls, each without what the server echoed."""
    serving = _serve(Server(refuse_request=2))  # the second chunk
    midway = next(serving)
    state = tmp_path / "state"
    try:
        chunk = run_make(runner, kind, midway.port, state, "-j", "1", "--no-cache")
        assert chunk.exit_code == 1, chunk.stderr  # made, with parts missing
        assert "missing from the brief" in chunk.stderr and "HTTP 401" in chunk.stderr
        assert "bad credentials" in chunk.stdout  # the footer names the failure
        calls = len(midway.seen)  # every chunk, then the synthesis
        assert all(kind.arrived(seen) for seen in midway.seen)
        midway.seen.clear()
        midway.refuse_request = calls
        synthesis = run_make(runner, kind, midway.port, state, "-j", "1", "-f", "json")
        assert synthesis.exit_code == 0, synthesis.stderr
        assert "the model's brief could not be used" in synthesis.stdout
        assert "HTTP 401" in synthesis.stdout
        assert all(kind.arrived(seen) for seen in midway.seen)
    finally:
        serving.close()
    for result in (chunk, synthesis):
        assert_clean(result.stderr, kind, "stderr")
        assert_clean(result.stdout, kind, "the brief")
    errors = sqlite_text(state / "log.db")
    assert "HTTP 401" in errors
    assert_clean(errors, kind, "log.db, every table")
    for name, data in state_files(state).items():
        assert_clean(data, kind, name)


@by_kind
def test_connection_refused(kind, runner, tmp_path, monkeypatch):
    # No backoff between the retries: this test is about what is said, not when.
    wait = llm_client.RetryWait
    monkeypatch.setattr(llm_client, "RetryWait", lambda: wait(rng=lambda: 0.0))
    state = tmp_path / "state"
    port = closed_port()
    result = run_make(runner, kind, port, state, "-f", "md")
    assert "connection" in result.stderr
    assert f"http://127.0.0.1:{port}/v1" in result.stderr
    assert_clean(result.stderr + result.stdout, kind, "output")
    for name, data in state_files(state).items():
        assert_clean(data, kind, name)


def test_an_error_from_the_http_layer_naming_the_url_is_scrubbed():
    """httpx may put the request's URL (query and all) in its message; ours never does."""
    url = f"http://{USER}:{PASSWORD}@127.0.0.1:9/v1?api-key={QUERY_SECRET}"

    def handler(request: httpx2.Request):
        raise httpx2.ConnectError(f"cannot reach {request.url} with {request.headers}")

    client = stub_client(handler, base_url=url, api_key=ENV_KEY, max_retries=0)
    with pytest.raises(EndpointError) as err:
        client.complete([{"role": "user", "content": "hi"}], schema=SCHEMA, schema_name="r",
                        max_tokens=5)  # fmt: skip
    shown = f"{err.value} {err.value.base_url} {err.value!r} {err.value.args}"
    for secret in (PASSWORD, BASIC, QUERY_SECRET, ENV_KEY):
        assert secret not in shown
    assert err.value.base_url == "http://127.0.0.1:9/v1"
    assert client.base_url == "http://127.0.0.1:9/v1"


def test_a_status_error_echoing_every_secret_is_scrubbed():
    url = f"http://{USER}:{PASSWORD}@llm.test/v1?api-key={QUERY_SECRET}"

    def handler(request: httpx2.Request):
        echo = f"{request.url} {dict(request.headers)} {USER}:{PASSWORD}"
        return httpx2.Response(401, json={"error": {"message": echo}})

    client = stub_client(handler, base_url=url, api_key=ENV_KEY)
    with pytest.raises(EndpointError) as err:
        client.complete([{"role": "user", "content": "hi"}], schema=SCHEMA, schema_name="r",
                        max_tokens=5)  # fmt: skip
    assert err.value.status == 401
    for secret in (PASSWORD, BASIC, QUERY_SECRET, ENV_KEY):
        assert secret not in str(err.value)


# ---------------------------------------------------------------- the one helper


def test_safe_url_is_the_endpoint_as_shown_and_stored():
    assert safe_url(f"http://{USER}:{PASSWORD}@h:1/v1?api-key={QUERY_SECRET}#x") == "http://h:1/v1"
    assert safe_url("https://h/openai/deployments/d?api-version=2024-06-01") == (
        "https://h/openai/deployments/d"
    )
    assert safe_url("http://[::1/v1") == "[unparseable url]"


def test_redact_removes_every_kind_of_secret_from_text():
    url = f"http://{USER}:{PASSWORD}@h/v1?api-key={QUERY_SECRET}&api-version=1"
    settings = load_settings({"base_url": url, "model": "m"}, env={"OPENAI_API_KEY": ENV_KEY})
    text = (
        f"POST {url}: Authorization: Bearer {ENV_KEY}; Authorization: Basic {BASIC}; "
        f"then https://other:pw2@x.example/a?token=tok123&sig=sig456"
    )
    shown = redact(text, settings)
    for secret in (PASSWORD, BASIC, QUERY_SECRET, ENV_KEY, "pw2", "tok123", "sig456"):
        assert secret not in shown
    assert "h/v1" in shown and "x.example/a" in shown and REDACTED in shown
    # Words that merely look like a credential stay, and so do a URL's harmless parameters
    # wherever else their values appear.
    for plain in ("Basic idea: no key here", "the bearer instruments", "as of 2024-06-01"):
        assert redact(plain, settings) == plain
    azure = "https://h/openai/deployments/d?api-version=2024-06-01&api-key=K3Y-SECRET"
    settings = load_settings({"base_url": azure, "model": "m"}, env={})
    assert redact("json_schema as of 2024-06-01; K3Y-SECRET", settings) == (
        f"json_schema as of 2024-06-01; {REDACTED}"
    )


def test_an_old_endpoint_memory_loses_its_credentials(tmp_path):
    """An older briefgen keyed endpoints.json by the URL as given: read, it is cleaned, and
    the next save writes it clean."""
    old = {f"http://{USER}:{PASSWORD}@h/v1?api-key={QUERY_SECRET}#m": "json_object"}
    (tmp_path / runlog.MODES_FILE).write_text(json.dumps(old), encoding="utf-8")
    modes = runlog.load_modes(tmp_path)
    assert modes == {"http://h/v1#m": "json_object"}
    runlog.save_modes(tmp_path, {**old, "http://h/v1#m2": "text"})
    saved = (tmp_path / runlog.MODES_FILE).read_text(encoding="utf-8")
    assert json.loads(saved) == {"http://h/v1#m": "json_object", "http://h/v1#m2": "text"}


# ---------------------------------------------------------------- cassettes


def test_cassette_filters_drop_every_credential():
    uri = f"http://{USER}:{PASSWORD}@127.0.0.1:8101/v1/chat/completions?api-key={QUERY_SECRET}"
    headers = {
        "Authorization": f"Bearer {ENV_KEY}",
        "api-key": QUERY_SECRET,
        "Content-Type": "application/json",
        "Cookie": f"session={QUERY_SECRET}",
    }
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": "hi"}]})
    request = vcr_format.scrub_request(VcrRequest("POST", uri, body, headers))
    response = vcr_format.scrub_response(
        {
            "status": {"code": 401, "message": "Unauthorized"},
            "headers": {
                "Content-Type": ["application/json"],
                "Set-Cookie": [f"s={QUERY_SECRET}"],
                "WWW-Authenticate": [f"Basic realm={PASSWORD}"],
            },
            "body": {"string": json.dumps({"error": f"no {uri} for Bearer {ENV_KEY}"})},
        }
    )
    cassette = vcr_format.ReadableYAML.serialize(
        {"version": 1, "interactions": [{"request": request._to_dict(), "response": response}]}
    )
    for secret in (PASSWORD, BASIC, QUERY_SECRET, ENV_KEY):
        assert secret not in cassette
    # Still replayable: matched on the path's ending and the body.
    assert request.path == "/v1/chat/completions"
    assert request.headers == {"Content-Type": "application/json"}
    assert "127.0.0.1:8101/v1/chat/completions" in cassette


def test_recorded_source_names_the_endpoint_cleaned(monkeypatch):
    monkeypatch.setattr(
        vcr_format, "RECORD_BASE_URL", f"http://{USER}:{PASSWORD}@h/v1?api-key={QUERY_SECRET}"
    )
    source = vcr_format.recorded_source()
    assert PASSWORD not in source and QUERY_SECRET not in source and "http://h/v1" in source
