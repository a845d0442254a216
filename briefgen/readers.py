"""Per-format readers: bytes of a file or stdin into raw records, or the reason they are unusable.

Plain text, Markdown with front matter, HTML pages (trafilatura), JSON and JSONL records,
RSS/Atom feeds (feedparser), and stdin or unknown extensions by sniffing. A reader only
decodes and takes the format apart: each `Record` is the article's text and metadata as
found; cleaning, titles, dates, ids and de-duplication are briefgen.ingest's job.
trafilatura, feedparser, lxml and yaml are imported inside the readers that need them, so
`briefgen --help` stays fast.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from briefgen.errors import UnreadableFileError
from briefgen.schema import Skipped
from briefgen.text import collapse_spaces

MARKDOWN_EXT = {".md", ".markdown"}
HTML_EXT = {".html", ".htm"}
FEED_EXT = {".xml", ".rss", ".atom"}
SUPPORTED = {".txt", ".text", ".json", ".jsonl"} | MARKDOWN_EXT | HTML_EXT | FEED_EXT


@dataclass
class Record:
    """One article as a reader found it, before cleaning."""

    path: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)  # title, source, url, published


def extension(path: str) -> str:
    """The lower-case extension that picks a reader ("" when there is none)."""
    return os.path.splitext(path)[1].lower()


# ---------------------------------------------------------------- decoding


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

Parsed = list["Record | Skipped"]  # what one file or stdin yields, in order


def read(path: str, data: bytes, sniff: bool, kind: str | None = None) -> Parsed:
    """The records in one input's bytes; `sniff` when its name does not say its format, and
    `kind` (an extension, ".html") when something else does: a web server's content type.

    A reason the whole input is unusable is raised as `UnreadableFileError`; a reason one
    record inside it is unusable comes back as a `Skipped` row in its place.
    """
    kind = kind or (_sniff(path, data) if sniff else extension(path))
    if kind in FEED_EXT:
        return _read_feed(path, data)
    if kind in HTML_EXT:
        return [_read_html(path, data)]
    text = _decode(path, data)
    if kind in (".json", ".jsonl"):
        return _read_json(path, text, lines=kind == ".jsonl")
    if kind in MARKDOWN_EXT:
        return [_read_markdown(path, text)]
    return [Record(path, text)]


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


def _read_markdown(path: str, text: str) -> Record:
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
    return Record(path, re.sub(r"(\*\*|__)(.+?)\1", r"\2", text), meta)


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


def _json_record(path: str, rec: Any, n: int) -> Record | Skipped:
    if isinstance(rec, Skipped):
        return rec
    if not isinstance(rec, dict):
        return Skipped(path=path, reason=f"record {n} is not an object")
    body = next((rec[k] for k in ("text", "content", "body") if isinstance(rec.get(k), str)), "")
    if not body.strip():
        return Skipped(path=path, reason=f"record {n} has no text")
    if re.search(r"<(?:p|div|br|h[1-6]|li)\b[^>]*>", body, re.IGNORECASE):
        body = _html_to_text(body)
    return Record(path, body, _meta_from(rec))


def _read_html(path: str, data: bytes) -> Record:
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
    return Record(path, found.get("text") or _html_to_text(html), meta)


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
        out.append(Record(f"{path}#{n}", text, _meta_from(meta)))
    return out
