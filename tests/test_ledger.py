"""The ledger: totals under threads, prices and costs, dry-run plans, the SQLite run log."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
from datetime import datetime

import pytest

from briefgen.ledger import (
    DEFAULT_PRICES,
    CallRecord,
    Ledger,
    PlannedCall,
    Price,
    estimate_cost,
    is_local_url,
    plan_summary,
    price_for,
    safe_url,
    store_run,
)


def rec(model="gpt-4o-mini", prompt=100, completion=10, cached=False, **kw) -> CallRecord:
    return CallRecord(
        kind=kw.pop("kind", "extract"),
        model=model,
        mode="json_schema",
        prompt_tokens=prompt,
        completion_tokens=completion,
        seconds=0.5,
        cached=cached,
        **kw,
    )


def test_totals_are_exact_under_threads():
    ledger = Ledger()

    def work(n: int) -> None:
        for i in range(100):
            ledger.record(rec(prompt=1, completion=2, cached=(n % 2 == 0 and i < 10)))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ledger.records) == 800
    assert ledger.calls_cached == 40 and ledger.calls_new == 760
    # Tokens count new calls only: a cached answer cost nothing.
    assert ledger.prompt_tokens == 760 and ledger.completion_tokens == 1520


def test_records_is_a_copy():
    ledger = Ledger()
    ledger.record(rec())
    ledger.records.clear()
    assert len(ledger.records) == 1


def test_price_for_exact_then_longest_prefix():
    assert price_for("gpt-4o", DEFAULT_PRICES) == Price(2.50, 10.00)
    assert price_for("gpt-4o-mini-2024-07-18", DEFAULT_PRICES) == Price(0.15, 0.60)
    assert price_for("gpt-4o-2024-08-06", DEFAULT_PRICES) == Price(2.50, 10.00)
    assert price_for("gpt-4.1-nano-2025-04-14", DEFAULT_PRICES) == Price(0.10, 0.40)
    # A prefix counts only at a separator: "gpt-4o" is not "gpt-4omega".
    assert price_for("gpt-4omega", DEFAULT_PRICES) is None
    assert price_for("smollm2", DEFAULT_PRICES) is None


def test_estimate_cost():
    assert estimate_cost(1_000_000, 1_000_000, Price(0.15, 0.60)) == pytest.approx(0.75)
    assert estimate_cost(2000, 500, Price(2.0, 8.0)) == pytest.approx(0.008)


def test_cost_and_summary():
    ledger = Ledger()
    for _ in range(10):
        ledger.record(rec(prompt=1000, completion=100))
    ledger.record(rec(prompt=999, completion=999, cached=True))
    ledger.record(rec(prompt=999, completion=999, cached=True))
    expected = estimate_cost(10_000, 1000, Price(0.15, 0.60))
    assert ledger.cost(DEFAULT_PRICES) == pytest.approx(expected)
    assert ledger.summary(DEFAULT_PRICES) == (
        "12 calls (10 new, 2 cached), 10 HTTP requests (0 retries), "
        "10,000 prompt + 1,000 completion tokens, $0.0021"
        "; 0.5 s per call, slowest 0.5 s"
    )


def test_summary_says_how_long_the_server_took_per_answered_call():
    ledger = Ledger()
    for seconds in (10.0, 30.0, 20.0):
        ledger.record(dataclasses.replace(rec(), seconds=seconds))
    ledger.record(rec(cached=True))  # a cached answer took the server no time
    assert ledger.summary(DEFAULT_PRICES).endswith("; 20.0 s per call, slowest 30.0 s")
    assert Ledger().summary(DEFAULT_PRICES).endswith("$0")


def test_cost_unknown_for_unpriced_model_unless_local():
    ledger = Ledger()
    ledger.record(rec())
    ledger.record(rec(model="mystery-7b"))
    assert ledger.cost(DEFAULT_PRICES) is None
    assert "cost unknown for model mystery-7b (add it to [prices])" in ledger.summary(
        DEFAULT_PRICES
    )
    # On one's own server an unpriced model is free; priced ones keep their price.
    assert ledger.cost(DEFAULT_PRICES, local=True) == pytest.approx(
        estimate_cost(100, 10, DEFAULT_PRICES["gpt-4o-mini"])
    )


def test_cached_calls_of_unpriced_model_do_not_make_cost_unknown():
    ledger = Ledger()
    ledger.record(rec(model="mystery-7b", cached=True))
    assert ledger.cost(DEFAULT_PRICES) == 0.0


def test_empty_ledger():
    ledger = Ledger()
    assert ledger.cost(DEFAULT_PRICES) == 0.0
    assert ledger.summary(DEFAULT_PRICES).startswith("0 calls (0 new, 0 cached)")


def test_plan_summary_numbers():
    planned = [PlannedCall("extract", f"a{i}", 0, 1000, 512) for i in range(4)]
    planned.append(PlannedCall("synthesis", None, None, 6000, 1024))
    text = plan_summary(planned, "gpt-4o-mini", DEFAULT_PRICES)
    lines = text.splitlines()
    assert lines[2].split() == ["extract", "4", "4,000", "2,048"]
    assert lines[3].split() == ["synthesis", "1", "6,000", "1,024"]
    assert lines[4].split() == ["total", "5", "10,000", "3,072"]
    low = estimate_cost(10_000, 0, Price(0.15, 0.60))  # $0.0015
    high = estimate_cost(10_000, 3072, Price(0.15, 0.60))  # $0.0033432
    assert (f"{low:.4f}", f"{high:.4f}") == ("0.0015", "0.0033")
    assert lines[-1].startswith("estimated cost: $0.0015 to $0.0033")


def test_plan_summary_unknown_and_local_models():
    planned = [PlannedCall("extract", "a", 0, 100, 10)]
    assert "unknown for model smollm2" in plan_summary(planned, "smollm2", DEFAULT_PRICES)
    assert "$0 (local model)" in plan_summary(planned, "smollm2", DEFAULT_PRICES, local=True)
    assert plan_summary([], "m", DEFAULT_PRICES).startswith("no model calls planned")


def test_safe_url_strips_userinfo_and_query():
    assert safe_url("https://user:pw@host/v1?key=x") == "https://host/v1"
    assert safe_url("https://host:8443/v1#frag") == "https://host:8443/v1"
    assert safe_url("http://127.0.0.1:8101/v1") == "http://127.0.0.1:8101/v1"


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8101/v1", True),
        ("http://localhost:11434/v1", True),
        ("http://192.168.1.20:8000/v1", True),
        ("http://[::1]:8000/v1", True),
        ("https://api.openai.com/v1", False),
        (None, False),
    ],
)
def test_is_local_url(url, local):
    assert is_local_url(url) is local


def read_rows(db, table):
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY id")]
    finally:
        conn.close()


def test_store_run_writes_rows_readable_back(tmp_path):
    db = tmp_path / "deep" / "dir" / "runs.sqlite"
    records = [
        rec(prompt=100, completion=20, article_id="a1", chunk_index=0),
        rec(prompt=50, completion=5, cached=True, article_id="a1", chunk_index=1),
        rec(kind="synthesis", ok=False, error="timeout after 60s"),
    ]
    run = {
        "started": datetime(2025, 1, 2, 3, 4, 5),
        "finished": "2025-01-02T03:05:00",
        "engine": "llm",
        "model": "gpt-4o-mini",
        "base_url": "https://user:pw@host/v1?key=x",
        "audience": "executive",
        "articles": 3,
        "cost_usd": 0.0012,
        "seconds": 55.0,
        "flavour": "extra",  # unknown key: report_json only
    }
    first = store_run(db, run, records)
    second = store_run(db, {"engine": "extractive"}, [])
    assert (first, second) == (1, 2)

    runs = read_rows(db, "runs")
    assert [r["id"] for r in runs] == [1, 2]
    row = runs[0]
    assert row["started"] == "2025-01-02T03:04:05" and row["engine"] == "llm"
    assert row["base_url"] == "https://host/v1"
    assert (row["calls_new"], row["calls_cached"]) == (2, 1)
    assert (row["prompt_tokens"], row["completion_tokens"]) == (200, 30)
    assert row["cost_usd"] == pytest.approx(0.0012)
    assert json.loads(row["report_json"]) == {"flavour": "extra"}
    assert runs[1]["report_json"] is None and runs[1]["calls_new"] == 0

    calls = read_rows(db, "calls")
    assert [c["run_id"] for c in calls] == [1, 1, 1]
    assert [(c["article_id"], c["chunk_index"], c["cached"]) for c in calls[:2]] == [
        ("a1", 0, 0),
        ("a1", 1, 1),
    ]
    assert calls[2]["kind"] == "synthesis" and calls[2]["ok"] == 0
    assert calls[2]["error"] == "timeout after 60s"


def test_store_run_never_stores_a_secret(tmp_path):
    db = tmp_path / "runs.sqlite"
    key = "sk-live-0123456789"
    records = [rec(ok=False, error=f"401 Incorrect API key provided: {key}")]
    store_run(db, {"notes": f"key was {key}", "model": key}, records, secrets=[key])
    assert key.encode() not in db.read_bytes()
    for path in tmp_path.iterdir():  # WAL and shared-memory files too
        assert key.encode() not in path.read_bytes()


def test_two_writers_at_once(tmp_path):
    db = tmp_path / "runs.sqlite"
    ids: list[int] = []
    lock = threading.Lock()

    def write() -> None:
        for _ in range(10):
            run_id = store_run(db, {"engine": "llm"}, [rec()])
            with lock:
                ids.append(run_id)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(ids) == list(range(1, 41))
    assert len(read_rows(db, "calls")) == 40


def test_a_file_another_run_holds_locked_is_put_in_wal_once_free_and_never_raises(tmp_path):
    """Setting WAL needs the file to itself, and SQLite answers "database is locked" at once
    rather than waiting: two runs opening a fresh log together lost one run's log so."""
    import sqlite3

    from briefgen.sqlite_wal import use_wal

    db = tmp_path / "fresh.sqlite"
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(db, timeout=0.1, isolation_level=None)
    started = time.monotonic()
    use_wal(other, within=0.2)  # locked all along: goes on in the file's mode, no error
    assert time.monotonic() - started < 2
    releaser = threading.Timer(0.2, lambda: holder.execute("COMMIT"))
    releaser.start()
    use_wal(other, within=5)  # locked for a while, then free: set
    releaser.join()
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
