"""Read articles from files, folders and stdin into cleaned `Article`s; never stop on bad input.

Paths are walked here and their bytes handed to briefgen.readers, which turns each format
into raw records (path, text, metadata). This module finishes them: it cleans the text
(briefgen.clean), settles title and date, derives the content id and drops duplicates.
Anything that cannot be used becomes a `Skipped` row naming the path and the reason, so one
broken file never costs the rest of the run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from briefgen.clean import clean_text, split_title
from briefgen.dates import find_dates, parse_date
from briefgen.errors import UnreadableFileError
from briefgen.readers import SUPPORTED, Record, extension, read
from briefgen.schema import Article, Skipped
from briefgen.text import collapse_spaces, sentence_spans, word_count


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


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
            records = read(item, data, sniff=item == "-" or extension(item) not in SUPPORTED)
        except UnreadableFileError as err:
            result.skipped.append(Skipped(path=err.path, reason=err.reason))
            continue
        for rec in records:
            article = _finish(rec) if isinstance(rec, Record) else None
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
        elif extension(name) in SUPPORTED:
            yield full
        else:
            ext = extension(name) or "(no extension)"
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


# ---------------------------------------------------------------- dates

# What a date looks like is briefgen.dates' business; where a dateline may stand is ours.
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s*)"
_DATE_PREFIX = re.compile(
    rf"(?:(?:published|posted|updated|date)(?:\s+on)?:?\s*)?{_WEEKDAY}?", re.I
)
_PLACE = re.compile(r"[A-Z][A-Z .'-]+,?\s*(?:\([^)]*\)\s*)?[-–—,]?")  # "WASHINGTON,"
_TIME = r"[\s,|·–-]*(?:\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?)?\s*"
# A mention from dates.find_dates may open with "this"/"next" and a weekday; the rules
# below ask where the date itself starts.
_LEAD = re.compile(r"(?:(?:[Tt]his|[Nn]ext|[Ll]ast|[Cc]oming)\s+)?(?:[A-Z][a-z]+day,?\s+)?")
# Shim: find_dates needs a word break after the year, but WikiNews glues the story's first
# word to its dateline ("January 18, 2005Through"); a space goes there for the search only.
_GLUED_YEAR = re.compile(r"(?<=\b(?:19|20)\d\d)(?=[A-Za-z])")


def _find_date(text: str) -> tuple[int, int, dt.date] | None:
    """The earliest full date in `text` (start, end, date): found by dates.find_dates, read by
    dates.parse_date; only real calendar days count."""
    glued = [m.start() for m in _GLUED_YEAR.finditer(text)]

    def unshift(pos: int) -> int:  # back to offsets in `text`: space k stands at glued[k] + k
        return pos - sum(g + k < pos for k, g in enumerate(glued))

    for mention in find_dates(_GLUED_YEAR.sub(" ", text)):
        if mention.kind == "full" and (day := parse_date(mention.text)):
            lead = _LEAD.match(mention.text).end()  # type: ignore[union-attr]
            return unshift(mention.start + lead), unshift(mention.end), day
    return None


def _published(value: Any) -> dt.date | None:
    """A metadata date: a date object (YAML, feeds) or a string for dates.parse_date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_date(value) if isinstance(value, str) else None


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

_STAMPED_TITLE = re.compile(r"^((?:19|20)\d{2}[/-]\d{1,2}[/-]\d{1,2})\s+(\S.*)$")  # WikiNews


_TITLE_LABEL = re.compile(r"(?i)^\s*(?:title|headline)\s*:\s*(\S.*)$")


def _finish(rec: Record) -> Article | None:
    cleaned = clean_text(rec.text)
    body, heading, meta = cleaned.text, cleaned.title_line, rec.meta
    published = _published(meta.get("published"))
    basis = "metadata" if published else None
    if heading and (found := _date_line(heading))[1] == "":
        # The first line was a bare dateline, not a title: date it, and look again for a title.
        published, basis = published or found[0], basis or "dateline"
        heading, body = split_title(body)
    if heading and (m := _STAMPED_TITLE.match(heading)) and (stamp := parse_date(m[1])):
        # "2005/01/08 Tsunami aid ...": an archive's date stamp on the title is metadata.
        heading, published, basis = m[2], published or stamp, basis or "metadata"
    if heading and (m := _TITLE_LABEL.match(heading)):
        heading = m[1]  # "Title: Dockworkers set strike date": a plain-text export's label
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
