"""Shared fixtures for the end-to-end tests (test_cli.py, test_pipeline.py)."""

from __future__ import annotations

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
