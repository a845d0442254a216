"""Write-ahead logging for briefgen's SQLite files (the cache, the run log, the page cache).

WAL lets a reader (`briefgen logs`, another run's cache lookups) read while a run writes.
It is a property of the file, set once by whichever connection comes first. Setting it needs
the file to itself, and SQLite answers "database is locked" at once, without waiting out the
busy timeout, when another connection is setting it or writing at that moment: two runs
opening a fresh state folder together met it (one lost its run log, measured in
tests/test_ledger.py). So the mode is read first (no lock needed), set only when it is not
WAL yet, and a locked answer is tried again for a while; past that, the connection goes on in
the file's mode, where BEGIN IMMEDIATE and the busy timeout still take writers in turn.
"""

from __future__ import annotations

import sqlite3
import time

RETRY_SECONDS = 0.01


def use_wal(conn: sqlite3.Connection, within: float = 5.0) -> None:
    """Put the file `conn` opened in WAL mode, unless another connection keeps it locked
    for `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() >= deadline:
                return
            time.sleep(RETRY_SECONDS)
