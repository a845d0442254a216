"""What is new in each story's brief of a mixed feed (`make --by-story`), and keeping it.

A brief made with `make` is measured against the last recorded brief of the same paths
(history.py). A feed's stories have no paths of their own, and which stories a feed holds
changes from day to day: a story of today's feed continues the recorded story whose
articles it mostly shares, and a story sharing most with none is new. Each story's
manifests are kept in a folder of their own beside the feed's (manifest.folder's `story`),
named after the story when it was first recorded, so `history` lists them and tomorrow's
run finds them, whatever the story's title has become.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefgen import manifest
from briefgen.history import baseline, record

# A story continues a recorded one when they share at least this share of the smaller of the
# two (its articles read by id, which is the text's hash): most of one is in the other. A
# judgment, not fitted: a day's new articles only add to a story, so a story's articles of
# yesterday are all in today's, a share of 1.0; two stories sharing a stray article or two
# are far below it.
CONTINUES = 0.5
KEY_LENGTH = 60  # a story's folder name: its slug when first recorded, cut to this length


def story_keys(state: Path, paths: list[str], audience: str, stories: list) -> list[str]:
    """For each story (stories.Story), the key its manifests are kept under: the recorded
    story it continues (the best shared first, each recorded story taken once), else a new
    key from its slug."""
    recorded: dict[str, set[str]] = {}
    for key in manifest.story_keys(state, paths, audience):
        newest = next(manifest.recorded(state, paths, audience, key), None)
        if newest is not None:
            recorded[key] = {a.id for a in newest[1].articles}
    pairs = []
    for i, story in enumerate(stories):
        ids = {a.id for a in story.articles}
        for key, old in recorded.items():
            shared = len(ids & old)
            if shared and shared >= CONTINUES * min(len(ids), len(old)):
                pairs.append((-shared, key, i))
    keys: list[str | None] = [None] * len(stories)
    taken: set[str] = set()
    for _, key, i in sorted(pairs):
        if keys[i] is None and key not in taken:
            keys[i] = key
            taken.add(key)
    used = taken | set(recorded)
    for i, story in enumerate(stories):
        if keys[i] is None:
            keys[i] = _new_key(story.slug, used)
            used.add(keys[i])
    return [k for k in keys if k is not None]


def _new_key(slug: str, used: set[str]) -> str:
    base = (slug or "story")[:KEY_LENGTH].strip("-") or "story"
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}-{n}"
    return key


def mark_new(
    state: Path,
    paths: list[str],
    audience: str,
    results: list,
    since: dt.datetime | None,
    created: dt.datetime,
) -> list[tuple[str, manifest.Changes, list[str]]]:
    """Mark in each story's brief what is new since that story's last recorded brief (or the
    last recorded before `since`), as `make` marks a brief. `results`: (story, Result) pairs,
    marked in place. Returns each story's key, its changes and the warnings to say."""
    keys = story_keys(state, paths, audience, [story for story, _ in results])
    out = []
    for key, (_, result) in zip(keys, results):
        current = manifest.build(result, audience, paths, created, story=key)
        chosen = baseline(state, current, since)
        changes = manifest.compare(chosen.previous, result)
        manifest.mark(result, changes)
        out.append((key, changes, [chosen.warning] if chosen.warning else []))
    return out


def keep(
    state: Path,
    paths: list[str],
    audience: str,
    results: list,
    keys: list[str],
    outputs: list[str | None],
    created: dt.datetime,
    limit: int,
) -> None:
    """Record each story's brief (with its New marks) under its key; OSError propagates."""
    for key, (_, result), output in zip(keys, results, outputs):
        kept = manifest.build(result, audience, paths, created, output, story=key)
        record(state, kept, limit)
