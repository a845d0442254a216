"""Read articles from files, folders and stdin into cleaned `Article`s; never stop on bad input.

Each format has a small reader that turns bytes into records (path, text, metadata); one
finishing step then cleans the text (briefgen.clean), settles title and date, derives the
content id and drops duplicates. Anything that cannot be used becomes a `Skipped` row naming
the path and the reason, so one broken file never costs the rest of the run. trafilatura,
feedparser, lxml and yaml are imported inside the readers that need them: `--help` stays fast.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from briefgen.clean import clean_text, split_title
from briefgen.errors import UnreadableFileError
from briefgen.schema import Article, Skipped
from briefgen.text import collapse_spaces, sentence_spans, word_count

MARKDOWN_EXT = {".md", ".markdown"}
HTML_EXT = {".html", ".htm"}
FEED_EXT = {".xml", ".rss", ".atom"}
SUPPORTED = {".txt", ".text", ".json", ".jsonl"} | MARKDOWN_EXT | HTML_EXT | FEED_EXT


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass
class _Record:
    """One article as a reader found it, before cleaning."""

    path: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)  # title, source, url, published


# ---------------------------------------------------------------- entry point


def load(paths: Sequence[str], stdin: IO[bytes] | None = None) -> IngestResult:
    """Read every path ('-' is stdin); folders are walked recursively in sorted order."""
    result = IngestResult()
    first_seen: dict[str, str] = {}  # article id -> path it was first read from
    for item in (found for path in paths for found in _expand(path)):
        try:
            if isinstance(item, Skipped):
                raise UnreadableFileError(item.path, item.reason)
            data = _read_bytes(item, stdin)
            records = _parse(item, data, sniff=item == "-" or _ext(item) not in SUPPORTED)
        except UnreadableFileError as err:
            result.skipped.append(Skipped(path=err.path, reason=err.reason))
            continue
        for rec in records:
            article = _finish(rec) if isinstance(rec, _Record) else None
            if isinstance(rec, Skipped):
                result.skipped.append(rec)
            elif article is None:
                result.skipped.append(
                    Skipped(path=rec.path, reason="no article text after cleaning")
                )
            elif article.id in first_seen:
                reason = f"duplicate of {first_seen[article.id]}"
                result.skipped.append(Skipped(path=rec.path, reason=reason))
            else:
                first_seen[article.id] = rec.path
                result.articles.append(article)
    return result


def article_id(text: str) -> str:
    """Content-derived id: the same text gives the same id in every run, on every machine."""
    return hashlib.sha256(collapse_spaces(text).lower().encode("utf-8")).hexdigest()[:12]


# ---------------------------------------------------------------- walking and reading


def _ext(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def _expand(path: str) -> Iterator[str | Skipped]:
    # Anything that is not a folder is read as a file; a missing path fails there, by name.
    yield from _walk(path, set()) if path != "-" and os.path.isdir(path) else [path]


def _walk(folder: str, seen: set[str]) -> Iterator[str | Skipped]:
    if (real := os.path.realpath(folder)) in seen:  # a symlink loop
        return
    seen.add(real)
    try:
        names = sorted(os.listdir(folder))
    except OSError as err:
        yield Skipped(path=folder, reason=_os_reason(err))
        return
    for name in names:
        full = os.path.join(folder, name)
        if name.startswith("."):  # hidden files, and the .briefgen/ cache
            continue
        if os.path.isdir(full):
            yield from _walk(full, seen)
        elif _ext(name) in SUPPORTED:
            yield full
        else:
            ext = _ext(name) or "(no extension)"
            yield Skipped(path=full, reason=f"unsupported file type {ext}")


def _os_reason(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    return f"cannot read: {err.strerror or err}"


def _read_bytes(path: str, stdin: IO[bytes] | None) -> bytes:
    if path == "-":
        return (stdin if stdin is not None else sys.stdin.buffer).read()
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as err:
        raise UnreadableFileError(path, _os_reason(err)) from err


def _decode(path: str, data: bytes, fallback: str | None = None) -> str:
    """UTF-8, or UTF-16 with a BOM; anything else is refused naming the first bad byte.

    No guessing at legacy encodings: a wrong guess would put mojibake into quoted evidence.
    Only an HTML page that declares its charset (`fallback`) is decoded with it.
    """
    if not data.strip():
        raise UnreadableFileError(path, "empty file")
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise UnreadableFileError(path, f"not UTF-16 text ({err.reason})") from err
    elif b"\x00" in data:
        raise UnreadableFileError(path, "binary file (contains NUL bytes)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            if fallback is None:
                msg = f"not UTF-8 text (invalid byte 0x{data[err.start]:02x} at offset {err.start})"
                raise UnreadableFileError(path, msg) from err
            text = data.decode(fallback, errors="replace")
    if not text.strip():
        raise UnreadableFileError(path, "empty file")
    return text


# ---------------------------------------------------------------- format readers

Parsed = list["_Record | Skipped"]


def _parse(path: str, data: bytes, sniff: bool) -> Parsed:
    kind = _sniff(path, data) if sniff else _ext(path)
    if kind in FEED_EXT:
        return _read_feed(path, data)
    if kind in HTML_EXT:
        return [_read_html(path, data)]
    text = _decode(path, data)
    if kind in (".json", ".jsonl"):
        return _read_json(path, text, lines=kind == ".jsonl")
    if kind in MARKDOWN_EXT:
        return [_read_markdown(path, text)]
    return [_Record(path, text)]


def _sniff(path: str, data: bytes) -> str:
    """The format of stdin, or of a file whose name does not say: feed, HTML, JSON(L), text."""
    text = _decode(path, data)  # refuses binary and empty input before anything else
    head = text.lstrip()[:2000].lower()
    if re.search(r"<rss\b|<feed\b|<rdf:rdf\b", head) and "<html" not in head:
        return ".xml"
    if head.startswith("<") and re.search(r"<(?:!doctype html|html|body|div|p|article)\b", head):
        return ".html"
    if head[:1] in "{[":
        try:
            json.loads(text)
            return ".json"
        except ValueError:
            if all(ln.lstrip()[:1] in ("{", "") for ln in text.splitlines()):
                return ".jsonl"
    return ".md" if head.startswith(("---\n", "# ")) else ".txt"


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def _read_markdown(path: str, text: str) -> _Record:
    import yaml

    meta: dict[str, Any] = {}
    if m := _FRONT_MATTER.match(text):
        text = text[m.end() :]
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError:
            loaded = None  # bad front matter costs the metadata, not the article
        meta = _meta_from(loaded) if isinstance(loaded, dict) else {}
    # A "# Title" before any other text is the title, unless the front matter names one.
    if (h := re.match(r"\s*#[ \t]+(.+?)[ \t#]*$", text, re.MULTILINE)) and not meta.get("title"):
        meta["title"], text = h.group(1), text[h.end() :]
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"^!\[[^\]]*\]\([^)]*\)\s*$", "", text, flags=re.MULTILINE)  # image lines
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links keep their words
    text = re.sub(r"^#{1,6}[ \t]+(.*?)[ \t#]*$", r"\1", text, flags=re.MULTILINE)
    return _Record(path, re.sub(r"(\*\*|__)(.+?)\1", r"\2", text), meta)


def _meta_from(rec: dict[str, Any]) -> dict[str, Any]:
    source = rec.get("source") or rec.get("sitename")
    if isinstance(source, dict):  # {"source": {"name": "Reuters"}}, as news APIs send it
        source = source.get("name") or source.get("title")
    text = {k: collapse_spaces(str(v)) if v else None for k, v in rec.items()}
    return {
        "title": text.get("title"),
        "source": collapse_spaces(str(source)) if source else None,
        "url": text.get("url") or text.get("link"),
        "published": rec.get("published") or rec.get("date"),
    }


def _read_json(path: str, text: str, lines: bool) -> Parsed:
    """A record, a list of records or {"articles": [...]}; or one record a line (JSONL)."""
    numbered = enumerate(text.splitlines(), 1) if lines else [(0, text)]
    chunks = [(lineno, chunk) for lineno, chunk in numbered if chunk.strip()]
    records: list[Any] = []
    for n, (lineno, chunk) in enumerate(chunks, 1):
        try:
            records.append(json.loads(chunk))
        except json.JSONDecodeError as err:
            reason = f"invalid JSON: line {lineno or err.lineno} column {err.colno}: {err.msg}"
            if not lines:
                raise UnreadableFileError(path, reason) from err
            records.append(Skipped(path=f"{path}#{n}", reason=reason))
    if not lines:
        data = records[0]
        if isinstance(data, dict) and isinstance(data.get("articles"), list):
            data = data["articles"]
        if isinstance(data, dict):
            return [_json_record(path, data, 1)]
        records = data if isinstance(data, list) else [data]
    return [_json_record(f"{path}#{n}", rec, n) for n, rec in enumerate(records, 1)]


def _json_record(path: str, rec: Any, n: int) -> _Record | Skipped:
    if isinstance(rec, Skipped):
        return rec
    if not isinstance(rec, dict):
        return Skipped(path=path, reason=f"record {n} is not an object")
    body = next((rec[k] for k in ("text", "content", "body") if isinstance(rec.get(k), str)), "")
    if not body.strip():
        return Skipped(path=path, reason=f"record {n} has no text")
    if re.search(r"<(?:p|div|br|h[1-6]|li)\b[^>]*>", body, re.IGNORECASE):
        body = _html_to_text(body)
    return _Record(path, body, _meta_from(rec))


def _read_html(path: str, data: bytes) -> _Record:
    import trafilatura

    charset = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4000], re.IGNORECASE)
    try:
        fallback = codecs.lookup(charset.group(1).decode("ascii")).name if charset else None
    except LookupError:
        fallback = None
    html = _decode(path, data, fallback)
    try:  # only dates the page's markup states, not ones guessed from the article's words
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # the extractor failing on one odd page must not stop the run
        doc = None
    found = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
    meta = _meta_from({k: found.get(k) for k in ("title", "url", "sitename", "date")})
    return _Record(path, found.get("text") or _html_to_text(html), meta)


_BLOCK = re.compile(r"p|div|br|li|ul|ol|h[1-6]|tr|blockquote|section|article|pre")


def _html_to_text(html: str) -> str:
    """Feed entries and JSON bodies: one line per block element, with no extractor guessing."""
    import lxml.html

    try:
        root = lxml.html.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", html))
    except Exception:  # lxml raises several types on garbage; the text is still there
        return re.sub(r"<[^>]+>", " ", html)
    for bad in root.xpath("//script|//style|//noscript|//iframe|//form|//head"):
        bad.drop_tree()
    parts: list[str] = []
    for el in root.iter():
        if isinstance(el.tag, str):  # not a comment or processing instruction
            parts.append(("\n- " if el.tag == "li" else "\n") if _BLOCK.fullmatch(el.tag) else "")
            parts.append(el.text or "")
        parts.append(el.tail or "")
    return "\n".join(" ".join(ln.split()) for ln in "".join(parts).split("\n"))


def _read_feed(path: str, data: bytes) -> Parsed:
    import feedparser

    if not data.strip():
        raise UnreadableFileError(path, "empty file")
    feed = feedparser.parse(data)
    if not feed.entries:
        problem = feed.get("bozo_exception")
        reason = f"not a readable feed ({problem})" if problem else "feed has no entries"
        raise UnreadableFileError(path, reason)
    out: Parsed = []
    for n, entry in enumerate(feed.entries, 1):
        # Full content where the feed carries it; the summary is often a teaser.
        item = (entry.get("content") or [None])[0] or entry.get("summary_detail") or {}
        body = item.get("value") or entry.get("summary") or ""
        if not body.strip():
            out.append(Skipped(path=f"{path}#{n}", reason=f"entry {n} has no text"))
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        meta = {
            "title": entry.get("title"),
            "url": entry.get("link"),
            "source": (entry.get("source") or {}).get("title") or feed.feed.get("title"),
            "published": dt.date(*stamp[:3]) if stamp else None,
        }
        text = body if "plain" in (item.get("type") or "") else _html_to_text(body)
        out.append(_Record(f"{path}#{n}", text, _meta_from(meta)))
    return out


# ---------------------------------------------------------------- dates

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})(?!\d)"
_DATE_FORMS = [
    re.compile(rf"\b{_MON}\s+{_DAY},?\s+{_YEAR}", re.I),  # January 8, 2005
    re.compile(rf"\b{_DAY}\s+{_MON},?\s+{_YEAR}", re.I),  # 8 January 2005
    re.compile(rf"\b{_YEAR}(?P<sep>[-/])(?P<mnum>\d{{1,2}})(?P=sep){_DAY}(?!\d)"),  # 2005-01-08
]
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s*)"
_DATE_PREFIX = re.compile(
    rf"(?:(?:published|posted|updated|date)(?:\s+on)?:?\s*)?{_WEEKDAY}?", re.I
)
_PLACE = re.compile(r"[A-Z][A-Z .'-]+,?\s*(?:\([^)]*\)\s*)?[-–—,]?")  # "WASHINGTON,"
_TIME = r"[\s,|·–-]*(?:\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?)?\s*"


def _find_date(text: str) -> tuple[int, int, dt.date] | None:
    """The earliest full date in `text` (start, end, date); only real calendar days count."""
    hits = []
    for form in _DATE_FORMS:
        for m in form.finditer(text):
            mnum = m.groupdict().get("mnum")
            mon = int(mnum) if mnum else _MONTHS.index(m["mon"][:3].lower()) + 1
            try:
                hits.append((m.start(), m.end(), dt.date(int(m["year"]), mon, int(m["day"]))))
                break
            except ValueError:  # "February 30": not a day; look further
                continue
    return min(hits, default=None)


def _parse_date_value(value: Any) -> dt.date | None:
    """A metadata date: a date object, ISO text, RFC 2822 ('Mon, 27 Oct 2025 ...'), or prose."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.date() if isinstance(value, dt.datetime) else value
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return found[2] if (found := _find_date(value)) else None


def _date_line(line: str) -> tuple[dt.date | None, str | None]:
    """The date a dateline states, and what its line becomes ("" removes it, None keeps it).

    Only datelines count: a line that is a date ("Saturday, January 8, 2005"), a date opening
    the story ("Jan. 8, 2005 (AP) - ...", or glued to it: "Tuesday, January 18, 2005Through"),
    or a date after a place name in capitals. Any other date is one the story talks about,
    and taking it would invent a publication date.
    """
    if not (found := _find_date(line[:120])):
        return None, None
    start, end, day = found
    prefix = _DATE_PREFIX.match(line)
    if prefix and prefix.end() == start:
        if re.fullmatch(_TIME, line[end:]):
            return day, ""
        if re.match(r"\s*(?:\([^)]*\)\s*)?[-–—:|]", line[end:]):
            return day, None
        return (day, line[end:].lstrip(" ,")) if prefix.end() else (None, None)
    return (day if _PLACE.fullmatch(line[:start].strip()) else None), None


def _dateline(text: str) -> tuple[dt.date | None, str]:
    """A dateline in the first five non-empty lines (400 characters); returns date and text."""
    lines = text.split("\n")
    seen = chars = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if seen >= 5 or chars >= 400:
            break
        seen, chars = seen + 1, chars + len(line)
        day, rest = _date_line(line)
        if day:
            if rest is not None:
                lines[i : i + 1] = [rest] if rest else []
            return day, "\n".join(lines).strip("\n")
    return None, text


# ---------------------------------------------------------------- finishing

_STAMPED_TITLE = re.compile(r"^((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})\s+(\S.*)$")  # WikiNews


def _finish(rec: _Record) -> Article | None:
    cleaned = clean_text(rec.text)
    body, heading, meta = cleaned.text, cleaned.title_line, rec.meta
    published = _parse_date_value(meta.get("published"))
    basis = "metadata" if published else None
    if heading and (found := _date_line(heading))[1] == "":
        # The first line was a bare dateline, not a title: date it, and look again for a title.
        published, basis = published or found[0], basis or "dateline"
        heading, body = split_title(body)
    if heading and (m := _STAMPED_TITLE.match(heading)):
        # "2005/01/08 Tsunami aid ...": an archive's date stamp on the title is metadata.
        try:
            stamp = dt.date(int(m[1]), int(m[2]), int(m[3]))
            heading, published, basis = m[4], published or stamp, basis or "metadata"
        except ValueError:
            pass
    title = meta.get("title")
    if title and heading and collapse_spaces(title).casefold() != heading.casefold():
        body = f"{heading}\n{body}"  # a heading of the body, not the title: keep it
    day, body = _dateline(body)
    if published is None and day is not None:
        published, basis = day, "dateline"
    if not word_count(body):
        return None
    return Article(
        id=article_id(body),
        title=title or heading or _title_from(body),
        text=body.strip(),
        path=rec.path,
        source=meta.get("source") or cleaned.source,
        url=meta.get("url"),
        published=published,
        date_basis=basis,
        words=word_count(body),
        debris_cut=cleaned.debris_cut,
    )


def _title_from(body: str) -> str:
    """No heading anywhere: the first line, or its first sentence cut to about 90 characters."""
    first = next(line.strip() for line in body.split("\n") if line.strip())
    if word_count(first) <= 15:
        return first
    start, end = sentence_spans(first)[0]
    sentence = first[start:end]
    if len(sentence) <= 90:
        return sentence
    return sentence[:90].rsplit(" ", 1)[0].rstrip(" ,;:-–—") + "…"
