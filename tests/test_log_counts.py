"""The run log keeps the HTTP requests and retries each run and call took (the cost line's
counts), a log written before it kept them is upgraded in place with its rows kept, and
`briefgen logs` shows the counts as text and JSON."""

from __future__ import annotations

import json
import sqlite3

from briefgen.cli import main
from briefgen.ledger import LOG_VERSION, CallRecord, Ledger, store_run
from briefgen.runlog import LOG_FILE, read_log

# The layout of a log before the HTTP counts (user_version 0), as briefgen created it.
OLD_LAYOUT = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started TEXT, finished TEXT, engine TEXT, model TEXT, base_url TEXT, audience TEXT,
    articles INTEGER, chunks INTEGER, calls_new INTEGER, calls_cached INTEGER,
    prompt_tokens INTEGER, completion_tokens INTEGER, cost_usd REAL, notes_kept INTEGER,
    notes_dropped INTEGER, points_verified INTEGER, points_dropped INTEGER, seconds REAL,
    report_json TEXT
);
CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    kind TEXT, article_id TEXT, chunk_index INTEGER, model TEXT, mode TEXT,
    prompt_tokens INTEGER, completion_tokens INTEGER, seconds REAL,
    cached INTEGER, ok INTEGER, error TEXT
);
CREATE INDEX calls_run ON calls(run_id);
INSERT INTO runs (id, started, engine, model, articles, chunks, calls_new, calls_cached,
                  prompt_tokens, completion_tokens, seconds)
    VALUES (1, '2025-10-29T08:00:00+00:00', 'llm', 'old-model', 3, 4, 2, 0, 800, 90, 5.0);
INSERT INTO calls (run_id, kind, article_id, chunk_index, model, mode, prompt_tokens,
                   completion_tokens, seconds, cached, ok)
    VALUES (1, 'extract', 'a1', 0, 'old-model', 'json_schema', 500, 60, 2.0, 0, 1),
           (1, 'synthesis', NULL, NULL, 'old-model', 'json_object', 300, 30, 3.0, 0, 1);
"""


def run(runner, *args):
    r = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def record(requests: int, ok: bool = True, cached: bool = False, kind="extract") -> CallRecord:
    return CallRecord(kind=kind, model="new-model", mode="json_schema", prompt_tokens=100,
                      completion_tokens=10, seconds=1.0, ok=ok, cached=cached,
                      requests=requests, article_id="b1")  # fmt: skip


def records() -> list[CallRecord]:
    """An answer at once, one after two transient faults, a call given up after 7
    requests, and a cached answer (which sent nothing)."""
    return [record(1), record(3), record(7, ok=False), record(1, cached=True)]


def old_log(path):
    conn = sqlite3.connect(path)
    conn.executescript(OLD_LAYOUT)
    conn.close()
    return path


def columns(path, table: str) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    finally:
        conn.close()


def user_version(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_a_run_keeps_the_requests_and_retries_the_cost_line_counts(tmp_path):
    db = tmp_path / LOG_FILE
    ledger = Ledger()
    for rec in records():
        ledger.record(rec)
    store_run(db, {"engine": "llm", "model": "new-model"}, ledger.records)
    (logged,) = read_log(db).runs
    assert (logged.http_requests, logged.retries) == (ledger.http_requests, ledger.retries)
    assert (logged.http_requests, logged.retries) == (11, 8)
    # Each call its own; a cached answer is stored as the 0 requests it sent.
    assert [c.requests for c in logged.calls] == [1, 3, 7, 0]


def test_a_log_of_the_old_layout_is_upgraded_in_place_and_keeps_its_rows(tmp_path):
    db = old_log(tmp_path / LOG_FILE)
    assert "http_requests" not in columns(db, "runs") and user_version(db) == 0
    before = read_log(db).runs  # readable as it is: reading never changes the log
    assert [(r.model, r.http_requests) for r in before] == [("old-model", None)]
    assert user_version(db) == 0

    new_id = store_run(db, {"engine": "llm", "model": "new-model"}, records())
    assert user_version(db) == LOG_VERSION
    assert {"http_requests", "retries"} <= columns(db, "runs")
    assert "requests" in columns(db, "calls")
    new, old = read_log(db).runs
    assert new.id == new_id > old.id == 1
    assert (new.http_requests, new.retries) == (11, 8)
    # The old run is whole, its counts "not recorded" rather than made up.
    assert (old.model, old.articles, old.chunks, old.prompt_tokens) == ("old-model", 3, 4, 800)
    assert (old.http_requests, old.retries) == (None, None)
    assert [(c.kind, c.prompt_tokens, c.requests) for c in old.calls] == [
        ("extract", 500, None),
        ("synthesis", 300, None),
    ]
    # Upgraded once: the next run neither fails on the columns nor changes the rows.
    store_run(db, {"engine": "extractive"}, [])
    assert [r.id for r in read_log(db).runs] == [new_id + 1, new_id, 1]


def test_a_log_a_newer_briefgen_wrote_keeps_its_version(tmp_path):
    db = tmp_path / LOG_FILE
    store_run(db, {"engine": "llm"}, [record(2)])
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {LOG_VERSION + 3}")
    conn.commit()
    conn.close()
    store_run(db, {"engine": "llm"}, [record(1)])
    assert user_version(db) == LOG_VERSION + 3
    assert [r.http_requests for r in read_log(db).runs] == [1, 2]


def test_logs_shows_the_counts_and_says_nothing_for_an_old_run(runner, tmp_path):
    db = old_log(tmp_path / LOG_FILE)
    store_run(db, {"engine": "llm", "model": "new-model"}, records())
    text = run(runner, "logs", "--cache", tmp_path, "--calls")
    new, old = text.split("\n\n")[:2]
    assert "11 HTTP requests (8 retries)" in new
    assert "HTTP request" not in old and "old-model" in old
    call_lines = [line.strip() for line in new.splitlines() if line.startswith("    ")]
    assert [("3 requests" in line, "cached" in line) for line in call_lines] == [
        (False, False),
        (True, False),
        (False, False),
        (False, True),
    ]
    assert "7 requests" in call_lines[2] and "1 request " in call_lines[0] + " "
    as_json = json.loads(run(runner, "logs", "--cache", tmp_path, "--json"))
    assert [(r["http_requests"], r["retries"]) for r in as_json["runs"]] == [(11, 8), (None, None)]
    assert [c["requests"] for c in as_json["runs"][0]["calls"]] == [1, 3, 7, 0]


def test_one_retry_is_worded_as_one(runner, tmp_path):
    store_run(tmp_path / LOG_FILE, {"engine": "llm", "model": "m"}, [record(2)])
    assert "2 HTTP requests (1 retry)" in run(runner, "logs", "--cache", tmp_path)
