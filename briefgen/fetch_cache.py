"""Fetched web pages kept by URL, with the validators that let a re-run ask "changed?".

A brief of a story on the web is made again and again; downloading every page each time
wastes the reader's bandwidth and the publisher's. Each page fetched with an ETag or a
Last-Modified header is kept here (SQLite, `web.db` in the state folder), so the next
fetch of the same URL is a conditional request: a 304 answer reuses the body kept, and only
pages that changed are downloaded again. A page without a validator, or marked
`Cache-Control: no-store`, is not kept: it could never be reused, or must not be.

The file is opened once per run and shared by the fetching threads (one connection under a
lock: the writes are few and small next to the downloads). Like the answer cache, it is a
convenience: any SQLite fault makes the run fetch everything anew, never fail.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from briefgen.sqlite_wal import use_wal

WEB_CACHE_FILE = "web.db"
BUSY_TIMEOUT = 30.0  # seconds a second run waits for the first to finish writing

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,            -- as the user named it
    final_url TEXT NOT NULL,         -- where redirects led
    content_type TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    body BLOB NOT NULL,
    fetched TEXT NOT NULL,           -- when the body was last downloaded (UTC, ISO 8601)
    used TEXT NOT NULL               -- when it was last downloaded or confirmed unchanged
);
"""


@dataclass(frozen=True)
class CachedPage:
    url: str
    final_url: str
    content_type: str
    etag: str | None
    last_modified: str | None
    body: bytes

    def conditional_headers(self) -> dict[str, str]:
        """The headers that ask the server to answer 304 when the page has not changed."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class PageCache:
    """The pages kept in one state folder; every method is safe to call from many threads."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, check_same_thread=False)
        self._lock = threading.Lock()
        self.problem: str | None = None  # the first fault met while running, for a warning
        with self._lock:
            use_wal(self._db, BUSY_TIMEOUT)
            self._db.executescript(_SCHEMA)

    @classmethod
    def in_folder(cls, state_dir: Path) -> PageCache:
        return cls(Path(state_dir) / WEB_CACHE_FILE)

    def get(self, url: str) -> CachedPage | None:
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT url, final_url, content_type, etag, last_modified, body "
                    "FROM pages WHERE url = ?",
                    (url,),
                ).fetchone()
        except sqlite3.Error as exc:
            self._fault(exc)
            return None
        return CachedPage(row[0], row[1], row[2], row[3], row[4], bytes(row[5])) if row else None

    def put(self, page: CachedPage) -> None:
        """Keep `page` if it can be revalidated; forget it otherwise (it changed, unmarked)."""
        if not (page.etag or page.last_modified):
            self.forget(page.url)
            return
        now = _now()
        self._write(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (page.url, page.final_url, page.content_type, page.etag, page.last_modified,
             page.body, now, now),
        )  # fmt: skip

    def touch(self, url: str) -> None:
        """The server said 304: the page kept is still the page."""
        self._write("UPDATE pages SET used = ? WHERE url = ?", (_now(), url))

    def forget(self, url: str) -> None:
        self._write("DELETE FROM pages WHERE url = ?", (url,))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql: str, args: tuple) -> None:
        try:
            with self._lock, self._db:
                self._db.execute(sql, args)
        except sqlite3.Error as exc:
            self._fault(exc)

    def _fault(self, exc: sqlite3.Error) -> None:
        if self.problem is None:
            self.problem = f"the cache of web pages in {self.path} failed ({exc})"
