"""What a run cost: model calls, tokens, an estimated price, and a SQLite log of runs.

The LLM engine records one CallRecord per model call (map calls run in threads, so the
Ledger takes a lock). Prices are USD per million tokens; the defaults below are list prices
that go stale, so the config file's [prices] table extends and overrides them. A model with
no price costs nothing when it runs on a local server, and is "cost unknown" otherwise:
a guessed number would be worse than none.

Nothing stored here may hold an API key. This module also owns what any part of briefgen
may show or store of a credential, which is nothing: safe_url() is the endpoint as shown and
stored (no userinfo, no query string), url_secrets() names what a base URL carries, and
redact_text() replaces those, any key, and whatever looks like a credential in a text.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from briefgen.sqlite_wal import use_wal

REDACTED = "[redacted]"
# A shorter "key" is a placeholder local servers accept ("x", "sk-"), not a secret; replacing
# it everywhere would garble ordinary words.
MIN_SECRET = 4


@dataclass(frozen=True)
class Price:
    """USD per million tokens."""

    prompt: float
    completion: float


# List prices (USD per million tokens) of a few common OpenAI models when this was written.
# They change: override or extend them in briefgen.toml's [prices] table. Local models cost 0.
DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
    "o4-mini": Price(1.10, 4.40),
}
# A call answered through a batch service (briefgen.batch) costs this share of the list
# price: OpenAI's Batch API bills half. A record's mode says it was a batch call.
BATCH_MODE = "batch"
BATCH_PRICE_FACTOR = 0.5


@dataclass
class CallRecord:
    """One model call, as the engine saw it."""

    kind: str  # "extract" | "synthesis" | "shortlist" | "revise"
    model: str
    mode: str  # the output mode used (json schema, json object, plain text...)
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    cached: bool = False
    ok: bool = True
    article_id: str | None = None
    chunk_index: int | None = None
    error: str | None = None
    # HTTP requests this record stands for: an answer's retries and refused output modes
    # included; a failed call's unanswered ones; none for a cached answer.
    requests: int = 1
    # The endpoint that answered, as safe_url shows it (one of several, see pool.py); None
    # for a cached answer or a failed call.
    endpoint: str | None = None


def price_for(model: str, prices: Mapping[str, Price]) -> Price | None:
    """The price of `model`: its exact name, else the longest priced name it extends.

    Providers answer with dated snapshots ("gpt-4o-mini-2024-07-18"), so a priced name
    followed by a separator matches; "gpt-4o" must not price "gpt-4o-mini", hence the
    separator rule and the longest match.
    """
    if model in prices:
        return prices[model]
    best: str | None = None
    for name in prices:
        rest = model[len(name) :]
        if model.startswith(name) and rest and not rest[0].isalnum():
            if best is None or len(name) > len(best):
                best = name
    return prices[best] if best is not None else None


def estimate_cost(prompt_tokens: int, completion_tokens: int, price: Price) -> float:
    """USD for the given token counts."""
    return (prompt_tokens * price.prompt + completion_tokens * price.completion) / 1_000_000


def _per_million(amount: float) -> str:
    """A price as a price list writes it: $0.60, but $0.075 kept whole."""
    return f"${amount:.2f}" if round(amount, 2) == amount else f"${amount:g}"


def format_usd(amount: float) -> str:
    """Dollars with enough decimals that a cheap run does not read as free."""
    if amount == 0:
        return "$0"
    if amount < 0.0001:
        return "<$0.0001"
    return f"${amount:.4f}" if amount < 1 else f"${amount:,.2f}"


class Ledger:
    """The calls of one run. Thread-safe: map calls record from worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[CallRecord] = []

    def record(self, rec: CallRecord) -> None:
        with self._lock:
            self._records.append(rec)

    @property
    def records(self) -> list[CallRecord]:
        """A copy, so callers can iterate while threads keep recording."""
        with self._lock:
            return list(self._records)

    # A record with ok=False marks a request that never gave a usable answer (its answered
    # attempts are recorded each on their own): logged, but not counted as a call again.
    @property
    def calls_new(self) -> int:
        return sum(1 for r in self.records if not r.cached and r.ok)

    @property
    def calls_cached(self) -> int:
        return sum(1 for r in self.records if r.cached and r.ok)

    @property
    def calls_failed(self) -> int:
        return sum(1 for r in self.records if not r.ok)

    @property
    def http_requests(self) -> int:
        """HTTP requests sent: what an endpoint saw, retries included."""
        return sum(r.requests for r in self.records if not r.cached)

    @property
    def retries(self) -> int:
        """Requests sent again for a call (a transient fault, a refused output mode)."""
        return sum(max(r.requests - 1, 0) for r in self.records if not r.cached)

    # Token totals count new calls only: a cached answer sent nothing and cost nothing.
    @property
    def prompt_tokens(self) -> int:
        return sum(r.prompt_tokens for r in self.records if not r.cached)

    @property
    def completion_tokens(self) -> int:
        return sum(r.completion_tokens for r in self.records if not r.cached)

    def unpriced_models(self, prices: Mapping[str, Price], local: bool = False) -> list[str]:
        """Models of new calls with no price, in order of first use (none when local)."""
        if local:
            return []
        seen: dict[str, None] = {}
        for r in self.records:
            if not r.cached and price_for(r.model, prices) is None:
                seen.setdefault(r.model, None)
        return list(seen)

    def cost(self, prices: Mapping[str, Price], local: bool = False) -> float | None:
        """Estimated USD of the new calls; None when a model used has no price.

        `local` says the calls went to a server of one's own (see is_local_url), where an
        unpriced model costs nothing; a priced model keeps its price either way.
        """
        if self.unpriced_models(prices, local):
            return None
        total = 0.0
        for r in self.records:
            price = price_for(r.model, prices)
            if not r.cached and price is not None:
                share = BATCH_PRICE_FACTOR if r.mode == BATCH_MODE else 1.0
                total += share * estimate_cost(r.prompt_tokens, r.completion_tokens, price)
        return total

    def summary(self, prices: Mapping[str, Price], local: bool = False) -> str:
        """One line, e.g. "12 calls (10 new, 2 cached), 12 HTTP requests (2 retries), 5,432
        prompt + 1,210 completion tokens, $0.0016".

        Calls are what the brief asked for; HTTP requests what the endpoint was sent, so a
        flaky or failing server shows in its retries.
        """
        new, cached, failed = self.calls_new, self.calls_cached, self.calls_failed
        total = new + cached
        calls = f"{total} call{'' if total == 1 else 's'}"
        gave_up = f", {failed} given up" if failed else ""
        sent, retries = self.http_requests, self.retries
        http = (
            f"{sent:,} HTTP request{'' if sent == 1 else 's'} "
            f"({retries:,} retr{'y' if retries == 1 else 'ies'})"
        )
        head = (
            f"{calls} ({new} new, {cached} cached{gave_up}), {http}, "
            f"{self.prompt_tokens:,} prompt + {self.completion_tokens:,} completion tokens"
        )
        unknown = self.unpriced_models(prices, local)
        if unknown:
            names = ", ".join(unknown)
            return f"{head}, cost unknown for model {names} (add it to [prices])" + self._pace()
        return f"{head}, {format_usd(self.cost(prices, local) or 0.0)}" + self._pace()

    def _pace(self) -> str:
        """How long the server took per answered call ("; 21.4 s per call, slowest 48.0 s"):
        a slow server is seen for what it is, not mistaken for a failing one."""
        times = [r.seconds for r in self.records if not r.cached and r.ok and r.seconds > 0]
        if not times:
            return ""
        return f"; {sum(times) / len(times):.1f} s per call, slowest {max(times):.1f} s"


@dataclass
class PlannedCall:
    """A call a run would make, for --dry-run."""

    kind: str
    article_id: str | None
    chunk_index: int | None
    prompt_tokens: int
    max_completion_tokens: int


def plan_summary(
    planned: Sequence[PlannedCall], model: str, prices: Mapping[str, Price], local: bool = False
) -> str:
    """A table of the planned calls per kind and the estimated cost range.

    Completion tokens are not known before the call, so the range runs from none to every
    call using its whole max_completion_tokens.
    """
    if not planned:
        return f"no model calls planned (model {model})"
    rows: dict[str, list[int]] = {}  # kind -> [calls, prompt tokens, completion at most]
    for call in planned:
        row = rows.setdefault(call.kind, [0, 0, 0])
        row[0] += 1
        row[1] += call.prompt_tokens
        row[2] += call.max_completion_tokens
    total = [sum(row[i] for row in rows.values()) for i in range(3)]
    width = max(len("total"), *(len(kind) for kind in rows))
    header = f"{'kind':<{width}}  {'calls':>6}  {'prompt tokens':>13}  {'completion (max)':>16}"
    lines = [f"planned model calls for {model}:", "  " + header]
    for kind, (calls, prompt, completion) in [*rows.items(), ("total", total)]:
        lines.append(f"  {kind:<{width}}  {calls:>6,}  {prompt:>13,}  {completion:>16,}")
    price = price_for(model, prices)
    if price is None and local:
        lines.append("estimated cost: $0 (local model)")
    elif price is None:
        lines.append(f"estimated cost: unknown for model {model} (add it to [prices])")
    else:
        low = estimate_cost(total[1], 0, price)
        high = estimate_cost(total[1], total[2], price)
        lines.append(
            f"estimated cost: {format_usd(low)} to {format_usd(high)} "
            f"({_per_million(price.prompt)} prompt, {_per_million(price.completion)} completion "
            "per million tokens)"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- secrets


def safe_url(url: str) -> str:
    """The endpoint as briefgen shows and stores it, everywhere: `url` without userinfo, query
    string or fragment, the places a credential can hide.

    The whole query goes, not only the parameters known to be secret: a name we do not know
    may hold a key too, and no address shown needs its query to be recognised.
    """
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host: show nothing rather than a secret
        return "[unparseable url]"
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def basic_credentials(user: str, password: str) -> str:
    """The value of the Authorization header for a URL's `user:password`, as curl sends it."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


# Query parameters that carry a credential (Azure's api-key, a signed URL's sig, ...): in a
# text, their values are redacted whatever URL they are in.
SECRET_PARAMS = (
    "api-key", "api_key", "apikey", "key", "token", "access_token", "sig", "signature",
    "password", "secret",
)  # fmt: skip


def url_secrets(url: str | None) -> list[str]:
    """The credentials `url` carries, as they could show up in a text: its userinfo (as typed
    and decoded, the password alone, and the Basic credential made of it), its query string
    and the value of every secret parameter in it.

    Other parameters' values are left out: `api-version=2024-06-01` or `format=json` are no
    secret, and replacing "json" or a date wherever it appears would garble the log.
    """
    if not url:
        return []
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]  # cannot tell its parts apart: the whole of it is the secret
    found: list[str] = []
    userinfo, at, _ = parts.netloc.rpartition("@")
    if at:
        user, _, password = userinfo.partition(":")
        found += [userinfo, password, unquote(password)]
        found.append(basic_credentials(unquote(user), unquote(password)).removeprefix("Basic "))
    if parts.query:
        # With its "?": a short query ("?k=z") is still a secret, and long enough to replace.
        found += ["?" + parts.query, parts.query]
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name.lower() in SECRET_PARAMS:
                found.append(value)
    return found


_SECRET_QUERY = re.compile(
    r"([?&;](?:" + "|".join(re.escape(p) for p in SECRET_PARAMS) + r")=)[^&;#\s'\"]+",
    re.IGNORECASE,
)
# scheme://user:password@host: the userinfo, wherever a URL stands in a text.
_USERINFO = re.compile(r"(?<=://)[^\s/?#@'\"]+@")
# An Authorization value: "Bearer <token>", or "Basic <base64 of user:password>".
_AUTHORIZATION = re.compile(r"\b(Bearer|Basic)(\s+)([A-Za-z0-9+/=._~-]{8,})", re.IGNORECASE)


def _authorization(match: re.Match) -> str:
    scheme, space, value = match.groups()
    if scheme.lower() == "bearer" and not any(c.isdigit() for c in value):
        return match.group(0)  # "the bearer instruments": tokens are not words
    if scheme.lower() == "basic":
        # "Basic" is an English word too: only a value that decodes to user:password is one.
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            return match.group(0)
        if ":" not in decoded:
            return match.group(0)
    return f"{scheme}{space}{REDACTED}"


def redact_text(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` as it may be shown or stored: every string of `secrets` (an API key, what
    url_secrets() found) replaced by [redacted], and so is anything shaped like a
    credential whatever its source (a server's error page echoing the request, say): a
    URL's userinfo, the value of a secret query parameter, an Authorization value."""
    # Longest first, so that a password inside a longer secret does not leave the rest.
    known = sorted({s for s in secrets if s and len(s) >= MIN_SECRET}, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, REDACTED)
    text = _USERINFO.sub("", text)
    text = _SECRET_QUERY.sub(lambda m: m.group(1) + REDACTED, text)
    return _AUTHORIZATION.sub(_authorization, text)


def is_local_url(url: str | None) -> bool:
    """Whether `url` points at one's own machine or network, where tokens are not billed."""
    if not url:
        return False
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host == "localhost" or host.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_unspecified


_RUN_COLUMNS = {
    "started": "TEXT",
    "finished": "TEXT",
    "engine": "TEXT",
    "model": "TEXT",
    "base_url": "TEXT",
    "audience": "TEXT",
    "articles": "INTEGER",
    "chunks": "INTEGER",
    "calls_new": "INTEGER",
    "calls_cached": "INTEGER",
    "prompt_tokens": "INTEGER",
    "completion_tokens": "INTEGER",
    "cost_usd": "REAL",
    "notes_kept": "INTEGER",
    "notes_dropped": "INTEGER",
    "points_verified": "INTEGER",
    "points_dropped": "INTEGER",
    "seconds": "REAL",
    "http_requests": "INTEGER",
    "retries": "INTEGER",
}
_CALL_COLUMNS = (
    "kind",
    "article_id",
    "chunk_index",
    "model",
    "mode",
    "prompt_tokens",
    "completion_tokens",
    "seconds",
    "cached",
    "ok",
    "error",
    "requests",
    "endpoint",
)
# The log's layout, kept in PRAGMA user_version: 0 (before it was kept) had no HTTP counts;
# 2 added them (runs.http_requests, runs.retries, calls.requests). A log of an older layout
# gains the columns it lacks when a run is next written (_upgrade); its rows stay, with NULL
# counts: "not recorded".
# 3 added calls.endpoint, the server that answered (several may serve one model).
LOG_VERSION = 3
_ADDED_COLUMNS = (
    ("runs", "http_requests", "INTEGER"),
    ("runs", "retries", "INTEGER"),
    ("calls", "requests", "INTEGER"),
    ("calls", "endpoint", "TEXT"),
)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    {", ".join(f"{name} {kind}" for name, kind in _RUN_COLUMNS.items())},
    report_json TEXT
);
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    kind TEXT, article_id TEXT, chunk_index INTEGER, model TEXT, mode TEXT,
    prompt_tokens INTEGER, completion_tokens INTEGER, seconds REAL,
    cached INTEGER, ok INTEGER, error TEXT, requests INTEGER, endpoint TEXT
);
CREATE INDEX IF NOT EXISTS calls_run ON calls(run_id);
"""


def _scrub(value: object, secrets: Sequence[str]) -> object:
    """`value` with every secret (and anything shaped like one) replaced; non-strings pass
    through."""
    if not isinstance(value, str):
        return value
    return redact_text(value, secrets)


def _column_value(value: object, secrets: Sequence[str]) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, (int, float, str)):
        return _scrub(value, secrets)
    return _scrub(str(value), secrets)


def store_run(
    db_path: Path,
    run: Mapping[str, object],
    records: Sequence[CallRecord],
    secrets: Sequence[str | None] = (),
) -> int:
    """Append one run and its calls to the SQLite log at `db_path`; return the run id.

    Keys of `run` that name a column of `runs` fill it; any other key goes into report_json
    only. Call counts and token totals missing from `run` are taken from `records`. Every
    string in `secrets` (e.g. the API key, the base URL's credentials) is replaced wherever it
    would be stored, and so is anything shaped like a credential (redact_text).
    """
    secrets = [s for s in secrets if s]
    row = {name: _column_value(run.get(name), secrets) for name in _RUN_COLUMNS}
    if isinstance(run.get("base_url"), str):
        row["base_url"] = _scrub(safe_url(str(run["base_url"])), secrets)
    new = [r for r in records if not r.cached]
    derived = {
        "calls_new": len(new),
        "calls_cached": len(records) - len(new),
        "prompt_tokens": sum(r.prompt_tokens for r in new),
        "completion_tokens": sum(r.completion_tokens for r in new),
        # As the cost line counts them (Ledger.http_requests, Ledger.retries).
        "http_requests": sum(r.requests for r in new),
        "retries": sum(max(r.requests - 1, 0) for r in new),
    }
    for name, value in derived.items():
        if row[name] is None:
            row[name] = value
    extra = {key: value for key, value in run.items() if key not in _RUN_COLUMNS}
    report = json.dumps(extra, default=str, sort_keys=True) if extra else None
    row["report_json"] = _scrub(report, secrets)

    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    # Autocommit mode so the explicit BEGIN IMMEDIATE below is the one transaction; the
    # timeout and WAL let two runs write the same log at once (one waits for the other).
    conn = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    try:
        use_wal(conn)
        conn.execute("BEGIN IMMEDIATE")
        try:
            _upgrade(conn)
            names = list(row)
            cursor = conn.execute(
                f"INSERT INTO runs ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [row[name] for name in names],
            )
            run_id = int(cursor.lastrowid or 0)
            conn.executemany(
                f"INSERT INTO calls (run_id, {', '.join(_CALL_COLUMNS)}) "
                f"VALUES (?, {', '.join('?' * len(_CALL_COLUMNS))})",
                [_call_row(run_id, rec, secrets) for rec in records],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    return run_id


def _upgrade(conn: sqlite3.Connection) -> None:
    """Create the tables, or bring a log of an older layout up to LOG_VERSION in place (inside
    the caller's transaction, so two runs cannot both add a column). A log a newer briefgen
    wrote keeps its version: the columns named here are still there."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version >= LOG_VERSION:
        return
    for table, name, kind in _ADDED_COLUMNS:
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if name not in have:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
    conn.execute(f"PRAGMA user_version = {LOG_VERSION}")


def _call_row(run_id: int, rec: CallRecord, secrets: Sequence[str]) -> list[object]:
    values = asdict(rec)
    values["cached"] = int(rec.cached)
    values["ok"] = int(rec.ok)
    values["requests"] = 0 if rec.cached else rec.requests  # a cached answer sent nothing
    # Every column, not only error: a model name or article id is text like any other.
    return [run_id, *(_column_value(values[name], secrets) for name in _CALL_COLUMNS)]
