"""What a run kept, and what is new since the last one.

Newsletter producers rebuild a brief every few hours as articles arrive and want to see at a
glance what is new. Each run keeps a manifest (the articles with a hash of their cleaned
text, every finding with its evidence sentences, every watch item, the brief); the next run
compares itself with the newest manifest for the same folders and audience, and marks what
is new. Identity never rests on finding ids or list positions, which are numbered afresh
each run: a finding is known when any of its evidence sentences was evidence before (so an
article that only corroborates an old finding does not make it new); a watch item is known
by its sentence, or by its date and an article in common.

Manifests are plain JSON files, `<state>/manifests/<corpus key>/<audience>/<created>.json`.
A file that cannot be read is passed over, never an error: the worst it can cost is a brief
with nothing marked new. Which manifest a brief is compared with, and when one is recorded,
is history.py's job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from pydantic import ValidationError, field_validator

from briefgen.resources import write_atomically
from briefgen.schema import (
    SCHEMA_VERSION,
    Audience,
    ClaimKind,
    DatePrecision,
    EventStatus,
    Finding,
    Model,
    WatchItem,
)
from briefgen.text import collapse_spaces

# The watch list's own rule for when a dated period is over, so "passed" means the same here.
from briefgen.watch import period_end

if TYPE_CHECKING:
    from briefgen.pipeline import Result

MANIFESTS = "manifests"
AUDIENCES: tuple[str, ...] = get_args(Audience)
KEEP = 20
_FILE_NAME = re.compile(r"^\d{8}T\d{12}Z\.json$")
# Long lists of titles or descriptions would turn a one-line summary into a paragraph.
_NAMED_AT_MOST = 3
_DESCRIPTION_WORDS = 10

Bucket = Literal["upcoming", "unresolved", "passed"]
# How this run's watch items are told apart when marking them: not by position, which the
# brief's selection (exec keeps the six most important) changes.
WatchKey = tuple[str, str | None, tuple[str, ...], str]


# ---------------------------------------------------------------- what a manifest holds


class ManifestArticle(Model):
    id: str
    path: str
    title: str
    sha256: str


class ManifestFinding(Model):
    id: int
    text: str
    kind: ClaimKind
    article_ids: list[str]
    evidence: list[str]  # normalised: see normalise()


class ManifestWatchItem(Model):
    description: str
    date_text: str | None = None
    date: dt.date | None = None
    precision: DatePrecision | None = None
    status: EventStatus
    sentence: str
    article_ids: list[str]
    bucket: Bucket


class Manifest(Model):
    version: str = SCHEMA_VERSION
    created: dt.datetime
    audience: Audience
    as_of: dt.date
    paths: list[str]
    articles: list[ManifestArticle]
    findings: list[ManifestFinding]
    watch: list[ManifestWatchItem]
    brief: dict[str, Any]
    outputs: list[str] = []  # where the brief was written (absolute paths), for `history`
    # `make --by-story`: which story of the feed at `paths` (story_history.py); None: the brief
    # of all of them.
    story: str | None = None

    @field_validator("created")
    @classmethod
    def _utc(cls, value: dt.datetime) -> dt.datetime:
        # File names and "new since" lines are in UTC; a naive time could be any zone.
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("created must be timezone-aware")
        return value.astimezone(dt.timezone.utc)


def normalise(sentence: str) -> str:
    """A sentence as compared across runs: whitespace collapsed, case folded."""
    return collapse_spaces(sentence).casefold()


def _tellings(finding: Finding) -> list[str]:
    # A finding without evidence (none should exist) is known by its own words instead.
    return [normalise(e.text) for e in finding.evidence] or [normalise(finding.text)]


def build(
    result: Result,
    audience: Audience,
    paths: list[str],
    created: dt.datetime | None = None,
    output: str | None = None,
    story: str | None = None,
) -> Manifest:
    """What this run kept; `created` (default: now) names it and is the 'since' of the next.
    `story`: the story of the feed at `paths` the brief tells (`make --by-story`)."""
    return Manifest(
        story=story,
        outputs=[os.path.abspath(output)] if output not in (None, "-") else [],
        created=created or dt.datetime.now(dt.timezone.utc),
        audience=audience,
        as_of=result.watch.as_of,
        paths=_real_paths(paths),
        articles=[
            ManifestArticle(id=a.id, path=a.path, title=a.title, sha256=_sha256(a.text))
            for a in result.corpus.articles
        ],
        findings=[
            ManifestFinding(
                id=f.id, text=f.text, kind=f.kind, article_ids=f.article_ids, evidence=_tellings(f)
            )
            for f in result.corpus.digest.findings
        ],
        watch=[_as_entry(item, bucket) for bucket, item in _watch_items(result)],
        brief=result.brief.model_dump(mode="json"),
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _real_paths(paths: list[str]) -> list[str]:
    return sorted({os.path.realpath(os.path.abspath(p)) for p in paths})


def _watch_items(result: Result) -> list[tuple[Bucket, WatchItem]]:
    w = result.watch
    buckets: list[tuple[Bucket, list[WatchItem]]] = [
        ("upcoming", w.upcoming), ("unresolved", w.unresolved), ("passed", w.passed)
    ]  # fmt: skip
    return [(bucket, item) for bucket, items in buckets for item in items]


# ---------------------------------------------------------------- storage


def corpus_key(paths: list[str]) -> str:
    """A short stable name for a set of input paths, however they were spelled or ordered."""
    joined = "\n".join(_real_paths(paths))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def folder(state_dir: Path, paths: list[str], audience: str, story: str | None = None) -> Path:
    """Where the manifests of these paths' briefs for `audience` are kept; a story's of them
    (`make --by-story`) beside, in a folder of its own."""
    key = corpus_key(paths) + (f"-{story}" if story else "")
    return Path(state_dir) / MANIFESTS / key / audience


def story_keys(state_dir: Path, paths: list[str], audience: str) -> list[str]:
    """The stories of these paths' feed that have a brief for `audience` recorded."""
    prefix = corpus_key(paths) + "-"
    found = Path(state_dir).glob(f"{MANIFESTS}/{prefix}*/{audience}")
    return sorted(p.parent.name[len(prefix) :] for p in found if p.is_dir())


def save(state_dir: Path, manifest: Manifest) -> Path:
    """Write the manifest atomically; an OSError propagates for the caller to report."""
    target = folder(state_dir, manifest.paths, manifest.audience, manifest.story)
    target /= f"{manifest.created:%Y%m%dT%H%M%S%fZ}.json"
    rewrite(target, manifest)
    return target


def rewrite(file: Path, manifest: Manifest) -> None:
    """Write a manifest to `file`. A reader (or a crash) never meets half a file, and the
    temporary's leading dot keeps it out of latest() and prune()."""
    text = json.dumps(manifest.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    write_atomically(file, text)


def manifest_files(where: Path) -> list[Path]:
    """Manifest files in a folder, newest first (names are fixed-width UTC times)."""
    try:
        names = [p for p in where.iterdir() if _FILE_NAME.match(p.name)]
    except OSError:  # no folder yet, or not readable: nothing kept
        return []
    return sorted(names, key=lambda p: p.name, reverse=True)


def recorded(
    state_dir: Path, paths: list[str], audience: str, story: str | None = None
) -> Iterator[tuple[Path, Manifest]]:
    """The readable manifests of this schema version for these paths and audience (and
    story, of `make --by-story`), newest first, with their files. A damaged file or one of
    another version is passed over: the worst it costs is the "new" marks, never the brief."""
    for file in manifest_files(folder(state_dir, paths, audience, story)):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != SCHEMA_VERSION:
                continue
            found = Manifest.model_validate(data)
        except (OSError, ValueError, ValidationError):
            continue
        yield file, found


def latest(state_dir: Path, paths: list[str], audience: Audience) -> Manifest | None:
    """The newest readable manifest of this schema version for these paths and audience."""
    return next(
        (m for _, m in recorded(state_dir, paths, audience) if m.audience == audience), None
    )


def _folders(state_dir: Path) -> list[Path]:
    """Every corpus/audience folder of manifests in a state folder."""
    return sorted(Path(state_dir).glob(f"{MANIFESTS}/*/*"))


def count(state_dir: Path) -> int:
    """How many manifests a state folder keeps, over every corpus and audience."""
    return sum(len(manifest_files(where)) for where in _folders(state_dir))


def prune(state_dir: Path, keep: int = KEEP) -> int:
    """Keep the newest `keep` manifests of each corpus and audience; return how many went."""
    if keep < 0:
        raise ValueError("keep must be zero or more")
    removed = 0
    for where in _folders(state_dir):
        for old in manifest_files(where)[keep:]:
            old.unlink(missing_ok=True)  # another run may have pruned it first
            removed += 1
    return removed


# ---------------------------------------------------------------- what is new


@dataclass
class Changes:
    """What this run has that the previous one (made at `since`) did not."""

    since: dt.datetime | None = None
    articles_added: list[str] = field(default_factory=list)  # titles
    articles_changed: list[str] = field(default_factory=list)
    articles_removed: list[str] = field(default_factory=list)
    new_findings: set[int] = field(default_factory=set)  # this run's finding ids
    new_watch_keys: set[WatchKey] = field(default_factory=set)  # see watch_key()
    new_watch: int = 0  # new items still to come or undated; a new item already past is not news
    now_passed: list[str] = field(default_factory=list)  # descriptions
    new_points: int | None = None  # points of this brief marked new (set by mark)

    def lines(self) -> list[str]:
        """A short summary for people: empty when nothing changed (or on a first run)."""
        out = []
        for verb, titles in (
            ("added", self.articles_added),
            ("changed", self.articles_changed),
            ("removed", self.articles_removed),
        ):
            if titles:
                out.append(f"{_count(len(titles), 'article')} {verb}: {_named(titles)}")
        if self.new_findings:
            # The digest holds far more findings than a brief shows: say how many made it in,
            # so "26 new findings" beside three tagged points does not puzzle the reader.
            shown = "" if self.new_points is None else f" ({self.new_points} in this brief)"
            out.append(_count(len(self.new_findings), "new finding") + shown)
        if self.new_watch:
            out.append(_count(self.new_watch, "new watch item"))
        if self.now_passed:
            shown = [_shorten(d) for d in self.now_passed]
            out.append(f"{_count(len(shown), 'watch item')} now passed: {_named(shown)}")
        return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _named(names: list[str]) -> str:
    quoted = [f"“{n}”" for n in names[:_NAMED_AT_MOST]]
    more = len(names) - len(quoted)
    return ", ".join(quoted) + (f" and {more} more" if more else "")


def _shorten(description: str) -> str:
    words = description.split()
    if len(words) <= _DESCRIPTION_WORDS:
        return " ".join(words)
    return " ".join(words[:_DESCRIPTION_WORDS]).rstrip(",;:…") + "…"


def watch_key(item: WatchItem) -> WatchKey:
    """How one watch item of this run is told apart from the others of the same run."""
    date = item.date.isoformat() if item.date else None
    return (normalise(item.sentence), date, tuple(sorted(item.article_ids)), item.description)


def compare(previous: Manifest | None, result: Result) -> Changes:
    """What `result` has that `previous` did not; on a first run, nothing."""
    if previous is None:
        return Changes()
    added, changed, removed = _article_changes(previous, result)
    known_evidence = {e for f in previous.findings for e in f.evidence}
    new_findings = {
        f.id
        for f in result.corpus.digest.findings
        if not any(t in known_evidence for t in _tellings(f))
    }
    new_watch = [
        (bucket, item)
        for bucket, item in _watch_items(result)
        if not any(_same_event(item, old) for old in previous.watch)
    ]
    return Changes(
        since=previous.created,
        articles_added=added,
        articles_changed=changed,
        articles_removed=removed,
        new_findings=new_findings,
        new_watch_keys={watch_key(item) for _, item in new_watch},
        new_watch=sum(bucket != "passed" for bucket, _ in new_watch),
        now_passed=_now_passed(previous, result),
    )


def _article_changes(previous: Manifest, result: Result) -> tuple[list[str], list[str], list[str]]:
    before = {a.path: a for a in previous.articles}
    now = {a.path: (a, _sha256(a.text)) for a in result.corpus.articles}
    # Gone from its old path; if its text turns up under a new path it was moved or renamed,
    # which is neither news nor a loss.
    gone_by_sha: dict[str, list[str]] = {}
    for path, old in before.items():
        if path not in now:
            gone_by_sha.setdefault(old.sha256, []).append(path)
    added, changed = [], []
    for path, (article, sha) in now.items():
        if path in before:
            if before[path].sha256 != sha:
                changed.append(article.title or path)
        elif gone_by_sha.get(sha):
            gone_by_sha[sha].pop()
        else:
            added.append(article.title or path)
    removed = [before[p].title or p for paths in gone_by_sha.values() for p in paths]
    return added, changed, sorted(removed)


def _same_event(item: WatchItem, old: ManifestWatchItem) -> bool:
    """Whether this run's `item` is the previous run's `old`: same sentence, or same date and
    an article in common (the same event told in other words, or reworded by an edit)."""
    if normalise(item.sentence) == normalise(old.sentence):
        return True
    return (
        item.date is not None
        and item.date == old.date
        and not set(item.article_ids).isdisjoint(old.article_ids)
    )


def _now_passed(previous: Manifest, result: Result) -> list[str]:
    """Previous upcoming items whose date has passed by this run's as_of."""
    as_of = result.watch.as_of
    out = []
    for old in previous.watch:
        if old.bucket != "upcoming" or any(_same_event(i, old) for i in result.watch.upcoming):
            continue
        # Either this run lists it as passed, or it has left the list (its article gone, or
        # told differently) and its date alone says it is over.
        over = old.date is not None and period_end(old.date, old.precision) < as_of
        if over or any(_same_event(i, old) for i in result.watch.passed):
            out.append(old.description)
    return out


def _as_entry(item: WatchItem, bucket: Bucket) -> ManifestWatchItem:
    """A watch item as the manifest keeps it: what identifies it, and which list it was in."""
    return ManifestWatchItem(
        **item.model_dump(include={"description", "date_text", "date", "precision", "status"}),
        sentence=item.sentence,
        article_ids=item.article_ids,
        bucket=bucket,
    )


def mark(result: Result, changes: Changes) -> None:
    """Flag what is new on the result's brief and watch list, and say so in its provenance."""
    brief = result.brief
    points = [
        *brief.bottom_line,
        *brief.key_points,
        *brief.single_source,
        *(p for s in brief.sections for p in s.points),
    ]
    for point in points:
        # New only if all it rests on is: one old finding makes it old news.
        point.new = bool(point.finding_ids) and set(point.finding_ids) <= changes.new_findings
    changes.new_points = sum(point.new for point in points)
    # brief.watch holds the watch list's own items today; marking both keeps a copy right too.
    for item in [*(i for _, i in _watch_items(result)), *brief.watch]:
        item.new = watch_key(item) in changes.new_watch_keys
    brief.provenance.previous_brief = changes.since
    brief.provenance.changes = changes.lines()
