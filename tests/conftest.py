"""Shared fixtures for the end-to-end tests (test_cli.py, test_pipeline.py)."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "trade-talks"
E2E_DATA = Path(__file__).resolve().parent / "data" / "e2e"

# Lines of web-page debris in the sample corpus; none may reach any output.
DEBRIS = (
    "HomeAsia",
    "LEAVE A REPLY",
    "Please enter your comment",
    "Please enter your name here",
    "Must Read",
    "spot_img",
    "ALSO SEE",
    "Follow Jeff Pao",
    "Read: China reportedly",
    "Source: Bloomberg",
    "Reuters with additional input",
    "Leave a comment",
    "Sources and Further Reading",
    "###",
    "Oil and Gas Firms, Governments Silent",
)


@contextlib.contextmanager
def serving(handler: type) -> Iterator[ThreadingHTTPServer]:
    """A threaded HTTP server on 127.0.0.1 (the system picks the port) answering with
    `handler` until the block ends; the tests' stand-ins for web sites and endpoints."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def collapse(text: str) -> str:
    """Whitespace runs as single spaces, for 'verbatim after collapsing whitespace' checks."""
    return " ".join(text.split())


@pytest.fixture(scope="session")
def sample_dir() -> str:
    return str(SAMPLE)


@pytest.fixture(scope="session")
def sample_articles(sample_dir):
    """The sample corpus as ingest reads it: article id -> Article (cleaned text)."""
    from briefgen.ingest import load

    return {a.id: a for a in load([sample_dir]).articles}


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    # click >= 8.2 keeps stderr apart (result.stdout / result.stderr); mix_stderr is gone.
    return CliRunner()


@pytest.fixture(scope="session", autouse=True)
def _state_out_of_the_tree(tmp_path_factory):
    """Runs keep state in .briefgen beside the articles by default; tests keep it in a
    temporary folder: this one for module-scoped fixtures, each test its own (below)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("BRIEFGEN_CACHE", str(tmp_path_factory.mktemp("session-state")))
    yield
    mp.undo()


# ---------------------------------------------------------------- model calls from cassettes
# See tests/cassettes/README.md: CI replays (record mode "none", network blocked); the one
# re-record command is there too. No record_mode here, on purpose.


@pytest.fixture(scope="module")
def vcr_config():
    import vcr_format

    return {
        "filter_headers": list(vcr_format.SECRET_HEADERS),
        "before_record_request": vcr_format.scrub_request,
        "before_record_response": vcr_format.scrub_response,
        "decode_compressed_response": True,
        "match_on": ["method", "path_ending", "body_without_model"],
        # `tests/record-cassettes qwen-changed` records only the requests a cassette lacks
        # (record mode new_episodes) and drops the ones no run asks for any more. Only then:
        # vcrpy saves a cassette whose requests were not all played even in replay mode.
        **({"drop_unused_requests": True} if os.environ.get("BRIEFGEN_RECORD_CHANGED") else {}),
    }


def pytest_recording_configure(config, vcr):
    import vcr_format

    vcr.register_serializer("yaml", vcr_format.ReadableYAML)
    vcr.register_matcher("path_ending", vcr_format.same_path_ending)
    vcr.register_matcher("body_without_model", vcr_format.same_body)


@pytest.fixture(autouse=True)
def _run_log_in_tmp(tmp_path, monkeypatch):
    """Runs log to .briefgen beside the articles by default; tests keep that out of the tree."""
    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "state"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFGEN_API_KEY", "BRIEFGEN_BASE_URL",
                 "BRIEFGEN_MODEL", "BRIEFGEN_ENGINE", "OPENAI_MODEL"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _fresh_mode_memory(monkeypatch):
    """Each test starts as its cassette was recorded: not knowing what an endpoint accepts."""
    from briefgen import llm_client

    monkeypatch.setattr(llm_client, "_MODE_MEMORY", {})
    monkeypatch.setattr(llm_client, "_ADAPTED", {})


@pytest.fixture
def llm_engine_factory():
    """Make an LLM engine against the recording endpoint, with its own output-mode memory
    (so every test starts by asking for json_schema, as its cassette was recorded)."""
    import vcr_format

    from briefgen.config import load_settings
    from briefgen.engines.llm import LLMEngine
    from briefgen.llm_client import LLMClient

    def make(**overrides) -> LLMEngine:
        settings = load_settings({"engine": "llm"}, env={})
        client = LLMClient(
            base_url=vcr_format.RECORD_BASE_URL,
            api_key=os.environ.get("BRIEFGEN_RECORD_API_KEY", "sk-test-not-a-real-key"),
            model=vcr_format.RECORD_MODEL,
            timeout=600,  # a tiny model on 2 cores is slow when recording
            mode_memory={},
            sleep=lambda s: None,
        )
        options = {
            "model": vcr_format.RECORD_MODEL,
            "max_attempts": settings.max_attempts,
            "max_output_tokens": settings.max_output_tokens,
            "synthesis_budget": settings.synthesis_budget,
            **overrides,
        }
        return LLMEngine(client, **options)

    return make
