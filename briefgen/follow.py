"""Watch article files and folders and call back, once per settled change, saying what changed.

This backs `briefgen follow`: the brief is made again whenever articles are added, changed or
removed. It polls (a stat of every article file every few seconds) rather than using OS file
events: that needs no new dependency, behaves the same on every platform and on network
drives, and costs little for a folder of articles. The sleep between polls is
`threading.Event.wait`, so the loop never spins and another thread can stop it at once; Ctrl-C
(KeyboardInterrupt) is never caught here and reaches the CLI unchanged.

A change is acted on only once it has settled (two snapshots `debounce` seconds apart agree),
so a file still being copied, or a burst of saves, gives one callback, not one per write.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

# The same extension rules as briefgen.ingest, which takes them from briefgen.readers too.
from briefgen.readers import SUPPORTED, extension

# What a file looks like to the poller: (st_mtime_ns, st_size). Content is never read.
Snapshot = dict[str, tuple[int, int]]

# A file rewritten without pause would otherwise hold the loop in settling for ever; after
# this many debounce periods the change is acted on as it stands.
MAX_SETTLE_ROUNDS = 30


# ---------------------------------------------------------------- what is there


def snapshot(paths: Sequence[str], ignore: Collection[str] = ()) -> Snapshot:
    """Every article file under `paths` -> (st_mtime_ns, st_size).

    Folders are walked as briefgen.ingest walks them: recursively, skipping names that start
    with "." (hidden files and the .briefgen/ state folder) and files whose extension no reader
    supports. A path given explicitly as a file is included whatever its extension, as ingest
    reads it whatever it is. Paths in `ignore` (compared by real path: the CLI's output file
    may sit inside the watched folder) are left out, so writing the brief never retriggers.
    A file that vanishes while being looked at, or cannot be stat'ed, is simply absent.
    """
    ignored = {os.path.realpath(p) for p in ignore}
    found: Snapshot = {}
    for path in paths:
        if path == "-":  # stdin cannot change under us; nothing to watch
            continue
        files = _walk(path, set()) if os.path.isdir(path) else iter([path])
        for file in files:
            if os.path.realpath(file) in ignored:
                continue
            try:
                stat = os.stat(file)
            except OSError:  # gone between listing and stat, or unreadable: not there
                continue
            found[file] = (stat.st_mtime_ns, stat.st_size)
    return found


def _walk(folder: str, seen: set[str]) -> Iterator[str]:
    if (real := os.path.realpath(folder)) in seen:  # a symlink loop
        return
    seen.add(real)
    try:
        names = sorted(os.listdir(folder))
    except OSError:  # removed or unreadable while we look: nothing in it to watch
        return
    for name in names:
        if name.startswith("."):  # hidden files, and the .briefgen/ state folder
            continue
        full = os.path.join(folder, name)
        if os.path.isdir(full):
            yield from _walk(full, seen)
        elif extension(name) in SUPPORTED:
            yield full


# ---------------------------------------------------------------- what changed


@dataclass(frozen=True)
class Changes:
    """Paths added, changed (new mtime or size) and removed between two snapshots, sorted."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def describe(self, limit: int = 5, base: str | None = None) -> str:
        """One human line, e.g. "added a.txt, b.html; removed old.md"; "no change" if empty.

        Names are shown relative to `base` (the watched folder) when given, else to the
        folder all the changed paths share; each kind lists at most `limit` names, then
        "and N more".
        """
        every = [*self.added, *self.changed, *self.removed]
        if not every:
            return "no change"
        root = base if base is not None else _common_folder(every)
        parts = []
        kinds = (("added", self.added), ("changed", self.changed), ("removed", self.removed))
        for verb, paths in kinds:
            if not paths:
                continue
            names = ", ".join(_relative(p, root) for p in paths[:limit])
            more = f" and {len(paths) - limit} more" if len(paths) > limit else ""
            parts.append(f"{verb} {names}{more}")
        return "; ".join(parts)


def diff(old: Mapping[str, tuple[int, int]], new: Mapping[str, tuple[int, int]]) -> Changes:
    """What changed from snapshot `old` to snapshot `new`."""
    return Changes(
        added=tuple(sorted(new.keys() - old.keys())),
        changed=tuple(sorted(p for p in new.keys() & old.keys() if new[p] != old[p])),
        removed=tuple(sorted(old.keys() - new.keys())),
    )


def _common_folder(paths: Sequence[str]) -> str:
    try:
        return os.path.commonpath([os.path.dirname(p) for p in paths])
    except ValueError:  # absolute and relative paths mixed: no shared folder to strip
        return ""


def _relative(path: str, root: str) -> str:
    if not root:
        return path
    try:
        return os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        return path


# ---------------------------------------------------------------- the loop


def follow(
    paths: Sequence[str],
    on_change: Callable[[Changes], None],
    *,
    interval: float = 2.0,
    debounce: float = 1.0,
    stop: threading.Event | None = None,
    ignore: Collection[str] = (),
    on_error: Callable[[Exception], None] | None = None,
    initial: bool = True,
) -> None:
    """Call `on_change` each time the articles under `paths` change, until `stop` is set.

    With `initial`, `on_change` is first called once with everything present as `added`
    (even when nothing is: the callback decides what an empty folder means). Then every
    `interval` seconds the files are looked at; a difference from what was last acted on is
    left to settle (see `_settle`) and handed over as one `Changes`. A change that is undone
    before it settles calls nothing.

    An Exception from `on_change` goes to `on_error` (re-raised without one) and the loop
    goes on; what it was called for counts as acted on, so a failing brief is not retried
    until something changes again. KeyboardInterrupt and other BaseExceptions propagate.
    """
    stop = stop if stop is not None else threading.Event()
    acted_on = snapshot(paths, ignore)
    if initial:
        _deliver(diff({}, acted_on), on_change, on_error)
    while not stop.wait(interval):
        current = snapshot(paths, ignore)
        if current == acted_on:
            continue
        settled = _settle(current, paths, ignore, debounce, stop)
        if settled is None:  # stopped while waiting for the change to settle
            return
        changes = diff(acted_on, settled)
        acted_on = settled
        if changes:
            _deliver(changes, on_change, on_error)


def _settle(
    current: Snapshot,
    paths: Sequence[str],
    ignore: Collection[str],
    debounce: float,
    stop: threading.Event,
) -> Snapshot | None:
    """Look again every `debounce` seconds until two looks agree (None if stopped meanwhile).

    Files still being written or copied keep changing; waiting for them to hold still gives
    one callback for a burst of writes, on complete files. Bounded by MAX_SETTLE_ROUNDS.
    """
    for _ in range(MAX_SETTLE_ROUNDS):
        if stop.wait(debounce):
            return None
        latest = snapshot(paths, ignore)
        if latest == current:
            return latest
        current = latest
    return current  # still changing: act on it as it stands rather than stall


def _deliver(
    changes: Changes,
    on_change: Callable[[Changes], None],
    on_error: Callable[[Exception], None] | None,
) -> None:
    # Only Exception is caught: KeyboardInterrupt must reach the CLI to stop the loop.
    try:
        on_change(changes)
    except Exception as err:
        if on_error is None:
            raise
        on_error(err)
