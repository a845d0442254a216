"""Published briefs kept as manifests: which one a new brief is measured against, how one is
recorded (never twice the same, the oldest pruned), and the list `briefgen history` shows.

A manifest is an edition: the articles, findings and watch items a brief was made from.
Making the same edition again (a retry, the same brief in another format, a cron run with
no new articles) neither adds a file nor uses up what is new: it is measured against the
edition before it, so it shows the same New marks the first time did. The brief's own text,
its output file and the time it was made are not part of what an edition is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from briefgen import manifest
from briefgen.errors import ConfigError
from briefgen.manifest import Manifest
from briefgen.schema import SCHEMA_VERSION

# What an edition is; everything else in a manifest may differ between two makes of it.
_EDITION_FIELDS = {"audience", "as_of", "paths", "story", "articles", "findings", "watch"}


def fingerprint(kept: Manifest) -> str:
    """A hash of the edition a manifest holds (see the module docstring)."""
    data = kept.model_dump(mode="json", include=_EDITION_FIELDS)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


def load(file: Path) -> Manifest:
    """One manifest file named by the user, or ConfigError naming it and why not."""
    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the manifest {file}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigError(f"{file} is not a brief manifest: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != SCHEMA_VERSION:
        found = data.get("version") if isinstance(data, dict) else None
        raise ConfigError(
            f"{file} is not a brief manifest of this briefgen (version {found!r}, "
            f"this briefgen writes {SCHEMA_VERSION!r})"
        )
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{file} is not a brief manifest: {where}: {first['msg']}") from None


def parse_since(value: str) -> dt.datetime | Path:
    """--since: a manifest file, a date (its first moment) or a time; local time unless the
    value names its zone. ConfigError says what would have been understood."""
    if Path(value).is_file():
        return Path(value)
    try:
        day = dt.date.fromisoformat(value)
        return dt.datetime.combine(day, dt.time()).astimezone()
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(
            f"--since {value!r}: neither a manifest file nor a date or time like 2025-10-30 "
            "or 2025-10-30T09:00"
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


@dataclass
class Baseline:
    """The brief this one is measured against (None: nothing is marked new), and a warning
    when the one asked for does not exist."""

    previous: Manifest | None
    warning: str | None = None


def baseline(
    state: Path,
    current: Manifest,
    since: dt.datetime | Path | None = None,
    compare_to: Path | None = None,
) -> Baseline:
    """What `current` is measured against: the manifest given (--compare-to, --since FILE),
    the newest recorded before a time (--since), else the newest recorded edition that is
    not this one."""
    chosen = compare_to or (since if isinstance(since, Path) else None)
    if chosen is not None:
        return Baseline(load(chosen))
    earlier = manifest.recorded(state, current.paths, current.audience, current.story)
    if isinstance(since, dt.datetime):
        for _, kept in earlier:
            if kept.created < since:
                return Baseline(kept)
        return Baseline(
            None,
            f"no {current.audience} brief of these articles was recorded before "
            f"{since:%Y-%m-%d %H:%M %Z}; nothing is marked new",
        )
    this = fingerprint(current)
    for _, kept in earlier:
        if fingerprint(kept) != this:
            return Baseline(kept)
    return Baseline(None)


@dataclass
class Recorded:
    file: Path  # the manifest now holding this edition
    again: bool  # the edition was recorded already: no file was added
    pruned: int  # older manifests removed to keep `keep` per folder and audience


def record(state: Path, current: Manifest, keep: int) -> Recorded:
    """Keep `current` unless the newest manifest holds the same edition (then only its list
    of outputs grows), and prune to the newest `keep` per folder and audience. OSError
    propagates for the caller to report."""
    newest = next(manifest.recorded(state, current.paths, current.audience, current.story), None)
    if newest is not None and fingerprint(newest[1]) == fingerprint(current):
        file, kept = newest
        added = [o for o in current.outputs if o not in kept.outputs]
        if added:
            kept.outputs = [*kept.outputs, *added]
            manifest.rewrite(file, kept)
        return Recorded(file, again=True, pruned=0)
    file = manifest.save(state, current)
    return Recorded(file, again=False, pruned=manifest.prune(state, keep=keep))


def _points(brief: dict) -> list[dict]:
    sections = [p for s in brief.get("sections", []) for p in s.get("points", [])]
    return [*brief.get("bottom_line", []), *brief.get("key_points", []), *sections]


def entries(state: Path, paths: list[str], audience: str | None = None) -> list[dict]:
    """Past briefs of these paths, newest first: when, for whom, where written, counts."""
    audiences = [audience] if audience else list(manifest.AUDIENCES)
    rows = []
    for name in audiences:
        stories = [None, *manifest.story_keys(state, paths, name)]
        kept_ones = [k for story in stories for k in manifest.recorded(state, paths, name, story)]
        for file, kept in kept_ones:
            points = _points(kept.brief)
            rows.append(
                {
                    "created": kept.created.isoformat(),
                    "audience": kept.audience,
                    "outputs": kept.outputs,
                    "as_of": kept.as_of.isoformat(),
                    "articles": len(kept.articles),
                    "findings": len(kept.findings),
                    "points": len(points),
                    "new_points": sum(bool(p.get("new")) for p in points),
                    "watch_items": sum(w.bucket != "passed" for w in kept.watch),
                    "manifest": str(file),
                    "story": kept.story,
                }
            )
    return sorted(rows, key=lambda r: r["created"], reverse=True)
