"""The LLM engine against a model that lies on purpose (benchmarks/_lying_llm.py).

One executive brief, as JSON, of the sample corpus plus the planted article of
benchmarks/trust.py, made by `briefgen make` in a subprocess against the lying server on
loopback. First the server is held to its part: it told lies of every kind it can tell on
this corpus, so the second test cannot pass by nobody lying. Then no lie may reach the brief.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import trust  # noqa: E402
from _lying_llm import KINDS, LyingServer  # noqa: E402

# The server is a local process; the client's calls to it, and GET /lies, go to loopback only.
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


@pytest.fixture(scope="module")
def told(tmp_path_factory):
    """The lies told, each with where it reached; the brief; the articles' texts."""
    tmp = tmp_path_factory.mktemp("trust")
    folder = trust.planted_corpus(tmp / "articles")
    texts = trust.corpus_texts(folder)
    with LyingServer(corpus=texts) as server:
        outputs = trust.run_llm(folder, tmp / "state", server.url, "liar", ["exec"], ["json"])
        lies = server.lies
    return trust.tally(lies, outputs), json.loads(outputs[("exec", "json")]), texts


def test_the_server_tells_every_kind_of_lie(told):
    tallied, brief, texts = told
    kinds = {t["kind"] for t in tallied}
    # Every kind has material in this corpus (L10: the planted order); none may go missing.
    assert kinds == set(KINDS), f"no lie of kind {sorted(set(KINDS) - kinds)}"
    assert brief["provenance"]["engine"] == "llm" and brief["key_points"]
    # A marker proves only its own lie: none is in an article.
    assert not [t["marker"] for t in tallied if trust.marker_in_articles(t, texts)]


def test_no_lie_reaches_the_brief(told):
    tallied, _, _ = told
    reached = [f"{t['kind']}: {t['marker']!r}" for t in tallied if t["reached"]]
    assert not reached, f"{len(reached)} of {len(tallied)} lies reached the brief: {reached}"
