"""Fetch the web pages and feeds a user names, politely, and hand their bytes to the readers.

`briefgen make https://...` reads a URL as it reads a file: the page (HTML through
trafilatura), feed (one article per entry), text or JSON goes to briefgen.readers, and a URL
that cannot be used becomes a skipped input naming the URL and the reason, never the end of
the run. Only the URLs the user names are fetched; links inside pages and feeds are not.

How it behaves (httpx2, the HTTP client the model client already brings):
- a User-Agent naming briefgen and its version; robots.txt obeyed unless the user says
  otherwise, for every hop of a redirect (RFC 9309: a robots.txt that is missing or refused
  (4xx) allows everything, one that cannot be fetched (5xx, no answer) allows nothing);
- a time limit per page, as a whole, not only between packets (a server dripping a byte at a
  time is cut off too); at most MAX_REDIRECTS redirects, to http(s) only;
- a size cap, checked on the declared length and again while streaming, on the decoded
  bytes (a compressed bomb is cut off too): a huge body is never held whole;
- content types briefgen reads (HTML, RSS/Atom/XML, text, Markdown, JSON); others refused;
- pages kept by URL with their ETag/Last-Modified (briefgen.fetch_cache), so the next run
  sends conditional requests and a 304 reuses the page kept;
- a few pages at once (one client, a small thread pool);
- a URL carrying a credential (user:password@, a key in its query) is refused: a secret
  would otherwise reach the cache, the log and the brief's source list.

The CLI sets the options for a run with `web_options()`; ingest reads them with
`current_options()`, so the pipeline between them need not carry web settings.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from briefgen import __version__
from briefgen.errors import UnreadableFileError
from briefgen.fetch_cache import CachedPage, PageCache

USER_AGENT = f"briefgen/{__version__} (news brief maker; fetches only the URLs its user names)"
ROBOTS_TOKEN = "briefgen"  # the name robots.txt rules are matched against
MB = 1_000_000
DEFAULT_MAX_BYTES = 10 * MB
DEFAULT_TIMEOUT = 30.0  # seconds a page is given, from the first byte asked to the last read
DEFAULT_CONCURRENCY = 4
MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB

# Content type -> the extension that picks a reader in briefgen.readers.
KINDS = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/rss+xml": ".xml",
    "application/atom+xml": ".xml",
    "application/rdf+xml": ".xml",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    "application/json": ".json",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
}
# Query parameters that hold a credential (the same names briefgen.ledger redacts).
_SECRET_PARAMS = {"api-key", "api_key", "apikey", "key", "token", "access_token", "sig",
                  "signature", "password", "secret"}  # fmt: skip


def is_url(path: str) -> bool:
    """Whether an input names a web address rather than a file."""
    return path[:8].lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class WebOptions:
    state_dir: Path | None = None  # where pages are kept; None keeps nothing
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT
    concurrency: int = DEFAULT_CONCURRENCY
    respect_robots: bool = True
    on_note: Callable[[str], None] | None = None  # one line for the user (the CLI's say)


@dataclass(frozen=True)
class Page:
    """A fetched page, ready for briefgen.readers."""

    url: str  # as the user named it
    final_url: str  # where redirects led
    kind: str | None  # the reader's extension, None when the server did not say
    body: bytes
    downloaded: bool  # False: the server said 304 and the page kept was reused


_OPTIONS: contextvars.ContextVar[WebOptions | None] = contextvars.ContextVar(
    "briefgen_web_options", default=None
)


@contextlib.contextmanager
def web_options(options: WebOptions) -> Iterator[None]:
    """Fetch with `options` for the length of the block (one command's run)."""
    token = _OPTIONS.set(options)
    try:
        yield
    finally:
        _OPTIONS.reset(token)


def current_options() -> WebOptions:
    """The run's options; outside the CLI, the defaults with pages kept in the state folder
    of the current directory (or $BRIEFGEN_CACHE)."""
    options = _OPTIONS.get()
    if options is not None:
        return options
    from briefgen.runlog import STATE_DIR

    return WebOptions(state_dir=Path(os.environ.get("BRIEFGEN_CACHE") or STATE_DIR))


def read_url_list(file: Path) -> tuple[list[str], list[str]]:
    """The URLs listed in `file` (one a line; blank lines and "#" comments ignored), and a
    message for each line that is not an http(s) URL."""
    urls, problems = [], []
    text = file.read_text(encoding="utf-8", errors="replace")
    for lineno, line in enumerate(text.splitlines(), 1):
        words = line.split()  # a URL holds no space: what follows it is a comment
        if not words or words[0].startswith("#"):
            continue
        if is_url(words[0]):
            urls.append(words[0])
        else:
            problems.append(f"{file} line {lineno}: not an http(s) URL: {words[0]!r}")
    return urls, problems


# ---------------------------------------------------------------- fetching


def fetch_all(urls: Sequence[str], options: WebOptions) -> dict[str, Page | UnreadableFileError]:
    """Every URL fetched (a few at once): its page, or the reason it cannot be used."""
    import httpx2

    unique = list(dict.fromkeys(urls))
    if not unique:
        return {}
    cache = _open_cache(options)
    timeout = httpx2.Timeout(options.timeout, connect=min(options.timeout, 10.0))
    workers = max(1, min(options.concurrency, len(unique)))
    limits = httpx2.Limits(max_connections=workers)
    headers = {"User-Agent": USER_AGENT}
    try:
        with httpx2.Client(headers=headers, timeout=timeout, limits=limits) as client:
            fetcher = _Fetcher(client, options, cache)
            pool = ThreadPoolExecutor(max_workers=workers)
            try:
                outcomes = dict(zip(unique, pool.map(fetcher.outcome, unique)))
            finally:  # on Ctrl-C, the URLs not yet begun are dropped, not fetched first
                pool.shutdown(wait=False, cancel_futures=True)
    finally:
        if cache is not None:
            cache.close()
    _summarise(outcomes, cache, options)
    return outcomes


def _open_cache(options: WebOptions) -> PageCache | None:
    import sqlite3

    if options.state_dir is None:
        return None
    try:
        return PageCache.in_folder(options.state_dir)
    except (OSError, sqlite3.Error) as exc:
        _note(options, f"warning: no cache of web pages in {options.state_dir} ({exc}); "
                       "every page is downloaded anew")  # fmt: skip
        return None


def _summarise(outcomes: dict, cache: PageCache | None, options: WebOptions) -> None:
    pages = [o for o in outcomes.values() if isinstance(o, Page)]
    fresh = sum(p.downloaded for p in pages)
    line = (f"web: {len(pages)} of {len(outcomes)} URLs read ({fresh} downloaded, "
            f"{len(pages) - fresh} unchanged since the last run)")  # fmt: skip
    _note(options, line)
    if cache is not None and cache.problem:
        _note(options, f"warning: {cache.problem}; pages may be downloaded again next time")


def _note(options: WebOptions, message: str) -> None:
    if options.on_note is not None:
        options.on_note(message)


class _StatusError(UnreadableFileError):
    """An HTTP error answer; robots.txt needs its status to decide what it means."""

    def __init__(self, url: str, status: int, phrase: str):
        super().__init__(url, f"HTTP {status} {phrase}".rstrip())
        self.status = status


class _Fetcher:
    """One run's fetching: the client, the page cache and what each site's robots.txt says."""

    def __init__(self, client, options: WebOptions, cache: PageCache | None):
        self.client, self.options, self.cache = client, options, cache
        self._robots: dict[str, object] = {}  # origin -> Protego rules, or why none
        self._origin_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def outcome(self, url: str) -> Page | UnreadableFileError:
        try:
            _refuse_credentials(url)
        except UnreadableFileError as err:
            from briefgen.ledger import safe_url

            return UnreadableFileError(safe_url(url), err.reason)  # never the secret itself
        try:
            return self.fetch(url, self.options.max_bytes, robots=True, typed=True)
        except UnreadableFileError as err:
            # Named as the user named it, and where a redirect led when that is what failed.
            hop = "" if err.path == url else f"redirected to {err.path}: "
            return UnreadableFileError(url, hop + err.reason)

    def fetch(self, url: str, limit: int, *, robots: bool, typed: bool) -> Page:
        """GET `url` (conditionally when a copy is kept), following redirects by hand so each
        hop is checked for its scheme and, with `robots`, against its site's robots.txt."""
        import httpx2

        kept = self.cache.get(url) if self.cache is not None else None
        deadline = time.monotonic() + self.options.timeout
        try:
            request = self.client.build_request(
                "GET", url, headers=kept.conditional_headers() if kept else {}
            )
            for _hop in range(MAX_REDIRECTS + 1):
                target = str(request.url)
                if request.url.scheme not in ("http", "https"):
                    raise UnreadableFileError(url, f"redirected to a non-web address {target}")
                if robots and self.options.respect_robots:
                    self._check_robots(target)
                response = self.client.send(request, stream=True)
                try:
                    if response.has_redirect_location and response.next_request is not None:
                        request = response.next_request
                        continue
                    return self._answer(url, target, response, kept, limit, deadline, typed)
                finally:
                    response.close()
            raise UnreadableFileError(url, f"more than {MAX_REDIRECTS} redirects")
        except httpx2.TimeoutException as exc:
            raise UnreadableFileError(url, f"timed out ({self.options.timeout:g} s)") from exc
        except httpx2.ConnectError as exc:
            raise UnreadableFileError(url, f"cannot connect ({_short(exc)})") from exc
        except (httpx2.InvalidURL, httpx2.UnsupportedProtocol, ValueError) as exc:
            raise UnreadableFileError(url, f"not a valid URL ({_short(exc)})") from exc
        except httpx2.HTTPError as exc:
            raise UnreadableFileError(url, f"download failed ({_short(exc)})") from exc

    def _answer(self, url, target, response, kept, limit, deadline, typed) -> Page:
        if response.status_code == 304 and kept is not None:
            self.cache.touch(url)  # type: ignore[union-attr]
            kind = _kind(kept.content_type)
            body = _transcoded(kept.body, kept.content_type, kind)
            return Page(url, kept.final_url, kind, body, False)
        if response.status_code >= 400:
            raise _StatusError(url, response.status_code, response.reason_phrase)
        if not 200 <= response.status_code < 300:
            raise UnreadableFileError(url, f"unexpected HTTP {response.status_code}")
        content_type = response.headers.get("content-type", "")
        kind = _kind(content_type)
        if typed and content_type and kind is None:
            mime = content_type.split(";")[0].strip()
            raise UnreadableFileError(url, f"content type {mime} is not one briefgen reads "
                                           "(HTML, RSS/Atom feeds, text, JSON)")  # fmt: skip
        body = _read_capped(url, response, limit, deadline, self.options.timeout)
        if self.cache is not None:
            if "no-store" in response.headers.get("cache-control", "").lower():
                self.cache.forget(url)
            else:
                self.cache.put(CachedPage(url, target, content_type,
                                          response.headers.get("etag"),
                                          response.headers.get("last-modified"), body))  # fmt: skip
        return Page(url, target, kind, _transcoded(body, content_type, kind), True)

    # ------------------------------------------------------------ robots.txt

    def _check_robots(self, target: str) -> None:
        parts = urlsplit(target)
        origin = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
        with self._lock:
            lock = self._origin_locks.setdefault(origin, threading.Lock())
        with lock:  # one fetch of a site's robots.txt, however many of its pages are asked
            if origin not in self._robots:
                self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        if isinstance(rules, str):
            raise UnreadableFileError(target, rules)
        if not rules.can_fetch(target, ROBOTS_TOKEN):  # type: ignore[attr-defined]
            raise UnreadableFileError(
                target, f"{origin}/robots.txt disallows it (--ignore-robots to fetch anyway)"
            )

    def _load_robots(self, origin: str):
        from protego import Protego

        try:
            page = self.fetch(f"{origin}/robots.txt", ROBOTS_MAX_BYTES, robots=False, typed=False)
        except _StatusError as err:
            if 400 <= err.status < 500:  # no robots.txt, or not for us to see: no rules
                return Protego.parse("")
            reason = err.reason
        except UnreadableFileError as err:
            reason = err.reason
        else:
            return Protego.parse(page.body.decode("utf-8", errors="replace"))
        return (f"{origin}/robots.txt could not be read ({reason}), so nothing there is "
                "fetched (--ignore-robots to fetch anyway)")  # fmt: skip


def _read_capped(url: str, response, limit: int, deadline: float, timeout: float) -> bytes:
    """The body, streamed: refused as soon as it is known to exceed `limit` bytes, or to
    take longer than the page's time."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise UnreadableFileError(url, _too_large(f"{int(declared) / MB:.1f} MB", limit))
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise UnreadableFileError(url, _too_large(None, limit))
        if time.monotonic() > deadline:
            raise UnreadableFileError(url, f"timed out ({timeout:g} s)")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: str | None, limit: int) -> str:
    said = f"{size} > {limit / MB:g} MB limit" if size else f"over the {limit / MB:g} MB limit"
    return f"too large: {said} (--max-download-mb)"


def _kind(content_type: str) -> str | None:
    return KINDS.get(content_type.split(";")[0].strip().lower())


def _transcoded(body: bytes, content_type: str, kind: str | None) -> bytes:
    """Text in the charset its server declared, as UTF-8 for the readers (which refuse to
    guess). Feeds are left alone: feedparser reads their own encoding declaration."""
    charset = next((p.split("=", 1)[1].strip(" \"'") for p in content_type.split(";")[1:]
                    if p.strip().lower().startswith("charset=")), None)  # fmt: skip
    if not charset or kind in (".xml", None):
        return body
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return body
    return body if name == "utf-8" else body.decode(name, errors="replace").encode("utf-8")


def _refuse_credentials(url: str) -> None:
    parts = urlsplit(url)
    secret = "@" in parts.netloc or any(
        name.lower() in _SECRET_PARAMS for name, _ in parse_qsl(parts.query)
    )
    if secret:
        raise UnreadableFileError(
            url, "the URL carries a credential (user:password@ or a key in its query); "
            "briefgen fetches public pages only, and would keep the secret in its cache"
        )  # fmt: skip


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
