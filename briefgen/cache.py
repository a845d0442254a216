"""The content-addressed cache: a model's answers kept by what was asked, in SQLite.

Briefs are made again and again as a story develops; paying again for an article already
read is the cost users notice first. Two things are kept, each under a key that hashes
everything its answer depends on (see `LLMEngine.notes_key` and `LLMEngine.draft_key`):

- per-chunk notes, validated against the schema, keyed by the chunk's text (and the article
  details the prompt shows), the extract prompt's hash, SCHEMA_VERSION, the engine, model,
  endpoint and the settings that change an answer;
- syntheses (the Draft), keyed by the findings they were given, the audience, and the hash of
  every prompt that writes a brief.

So a run on the same articles makes no call; one added article costs its chunks and the
synthesis (whose findings changed); an edited prompt redoes only what it feeds. Notes are
stored before grounding: grounding is cheap, pure and may improve, so it runs every time.

Each answer is committed the moment it is made, so a run that is interrupted (Ctrl-C, kill,
a crash) keeps every finished chunk and the next run resumes without repeating a call.
SQLite in WAL mode with a busy timeout lets two runs share one cache: readers never wait,
writers queue, and writing the same key twice stores the same answer.

The extractive engine is not cached: reading a chunk by rules takes less time than a lookup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.schema import SCHEMA_VERSION
from briefgen.sqlite_wal import use_wal

CACHE_FILE = "cache.db"
# How long a second run waits for the first to finish writing before giving up (seconds).
BUSY_TIMEOUT = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,              -- notes | synthesis
    schema_version TEXT NOT NULL,
    engine TEXT NOT NULL,
    model TEXT,
    prompt TEXT,                     -- hash of the prompt templates the answer came from
    label TEXT,                      -- what it is, for people: "a.txt part 2", "exec brief"
    value TEXT NOT NULL,             -- the validated answer, as JSON
    calls INTEGER NOT NULL,          -- model calls the answer took (re-asks, halves, stages)
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    created TEXT NOT NULL,
    used TEXT NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS entries_used ON entries(used);
"""


def cache_key(parts: dict[str, Any]) -> str:
    """The key of an answer: a hash of everything it depends on (a JSON-able dict)."""
    blob = json.dumps({"schema": SCHEMA_VERSION, **parts}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def text_hash(value: Any) -> str:
    """A short hash of a text, or of any JSON-able value, for use inside a key."""
    blob = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Entry:
    """One cached answer and what it cost when it was made."""

    key: str
    kind: str
    value: str
    calls: int
    prompt_tokens: int
    completion_tokens: int


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Cache:
    """The cache file of one state folder. Thread-safe: map calls store from worker threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT, check_same_thread=False, isolation_level=None
        )
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            # WAL: another run may read while this one writes; NORMAL sync is durable across
            # a killed process (not a power cut, which a cache may lose).
            use_wal(self._db, BUSY_TIMEOUT)
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error:
            self._db.close()
            raise

    @classmethod
    def in_folder(cls, folder: Path) -> Cache:
        return cls(Path(folder) / CACHE_FILE)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ answers

    def get(self, key: str) -> Entry | None:
        """The answer stored under `key`, or None; a hit is counted and dated."""
        with self._lock:
            row = self._db.execute(
                "SELECT key, kind, value, calls, prompt_tokens, completion_tokens "
                "FROM entries WHERE key = ?",
                (key,),
            ).fetchone()
            if row is None:
                return None
            self._db.execute(
                "UPDATE entries SET hits = hits + 1, used = ? WHERE key = ?", (_now(), key)
            )
        return Entry(*row)

    def has(self, key: str) -> bool:
        """Whether an answer is kept under `key`, without counting it as used (--dry-run)."""
        with self._lock:
            row = self._db.execute("SELECT 1 FROM entries WHERE key = ?", (key,)).fetchone()
        return row is not None

    def put(
        self,
        key: str,
        *,
        kind: str,
        value: str,
        engine: str,
        model: str | None,
        prompt: str | None,
        label: str,
        calls: int,
        prompt_tokens: int,
        completion_tokens: int,
    ) -> None:
        """Store an answer now (each put is its own transaction: nothing finished is lost)."""
        now = _now()
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO entries (key, kind, schema_version, engine, model, "
                "prompt, label, value, calls, prompt_tokens, completion_tokens, created, used) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, kind, SCHEMA_VERSION, engine, model, prompt, label, value, calls,
                 prompt_tokens, completion_tokens, now, now),
            )  # fmt: skip

    def drop(self, key: str) -> None:
        """Forget one answer (one that no longer validates, say)."""
        with self._lock:
            self._db.execute("DELETE FROM entries WHERE key = ?", (key,))

    # ------------------------------------------------------------ upkeep

    def stats(self) -> dict[str, Any]:
        """Entries, calls and tokens kept, by kind and by model; hits; dates; size."""
        with self._lock:
            by_kind = self._db.execute(
                "SELECT kind, COUNT(*), SUM(calls), SUM(prompt_tokens), SUM(completion_tokens), "
                "SUM(hits), MIN(created), MAX(used) FROM entries GROUP BY kind ORDER BY kind"
            ).fetchall()
            by_model = self._db.execute(
                "SELECT engine, COALESCE(model, ''), COUNT(*) FROM entries "
                "GROUP BY engine, model ORDER BY COUNT(*) DESC"
            ).fetchall()
            stale = self._db.execute(
                "SELECT COUNT(*) FROM entries WHERE schema_version != ?", (SCHEMA_VERSION,)
            ).fetchone()[0]
        return {
            "path": str(self.path),
            "bytes": self.size(),
            "kinds": [
                {
                    "kind": k,
                    "entries": n,
                    "calls": calls or 0,
                    "prompt_tokens": pt or 0,
                    "completion_tokens": ct or 0,
                    "hits": hits or 0,
                    "oldest": oldest,
                    "last_used": used,
                }
                for k, n, calls, pt, ct, hits, oldest, used in by_kind
            ],
            "models": [{"engine": e, "model": m, "entries": n} for e, m, n in by_model],
            "other_schema": stale,
        }

    def size(self) -> int:
        """Bytes on disk, the write-ahead log included."""
        files = [self.path, self.path.with_name(self.path.name + "-wal")]
        return sum(f.stat().st_size for f in files if f.exists())

    def prune(self, older_than: dt.timedelta) -> int:
        """Remove answers not used for `older_than`, and any of another schema version."""
        cutoff = (dt.datetime.now(dt.timezone.utc) - older_than).isoformat(timespec="seconds")
        with self._lock:
            removed = self._db.execute(
                "DELETE FROM entries WHERE used < ? OR schema_version != ?",
                (cutoff, SCHEMA_VERSION),
            ).rowcount
        self._compact()
        return removed

    def clear(self) -> int:
        with self._lock:
            removed = self._db.execute("DELETE FROM entries").rowcount
        self._compact()
        return removed

    def _compact(self) -> None:
        # Give the space back: a pruned cache should be smaller on disk, not just emptier.
        with self._lock:
            try:
                # VACUUM writes the new file through the log; the checkpoint after it moves
                # that into the file and empties the log, so the size on disk really drops.
                self._db.execute("VACUUM")
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.OperationalError:
                pass  # another run is using the file; it shrinks next time
