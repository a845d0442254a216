"""`briefgen cache`: look after the state kept in .briefgen/ (stats, prune, clear): the cache
of model answers, and the brief manifests every engine keeps. `briefgen.cli` registers the
group on its main command.

Every command works on whatever is there: the extractive engine keeps manifests and a log
but no cached answers, and a folder nothing was made in holds nothing; both are a plain
answer, not an error. A path that does not exist is an error naming it.
"""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.cli_support import cache_option, format_option, tell


def _state_for(paths: tuple[str, ...], cache: str | None) -> Path:
    """The state folder meant: --cache, a .briefgen folder given, or the one beside PATHS."""
    from briefgen import runlog
    from briefgen.cache import CACHE_FILE
    from briefgen.errors import InputError

    for p in paths:
        if not Path(p).exists():
            # Else the folder "beside" it would be its parent's: /nonexistent -> /.briefgen.
            raise InputError(f"{p} does not exist")
        if Path(p).name == runlog.STATE_DIR or (Path(p) / CACHE_FILE).is_file():
            return Path(p)
    return runlog.state_dir(cache, list(paths) or ["."])


def _open_cache(state: Path):
    """The cache of model answers in `state`, or None when there is none (it is never
    created here: looking must not leave a file behind)."""
    import sqlite3

    from briefgen.cache import CACHE_FILE, Cache
    from briefgen.errors import ConfigError

    if not (state / CACHE_FILE).is_file():
        return None
    try:
        return Cache.in_folder(state)
    except sqlite3.Error as exc:
        raise ConfigError(f"the cache in {state} cannot be opened ({exc})") from None


def _manifest_bytes(state: Path) -> int:
    from briefgen import manifest

    return sum(f.stat().st_size for f in state.glob(f"{manifest.MANIFESTS}/*/*/*.json"))


_cache_paths = click.argument("paths", nargs=-1)
_NO_ANSWERS = "no cached model answers (only a model's answers are cached)"


@click.group()
def cache():
    """Look after the state kept in .briefgen/ beside the articles: cached model answers and
    the manifests of recorded briefs.

    Each command takes the folder of articles (or the .briefgen folder itself); without one,
    ./.briefgen, or --cache DIR / BRIEFGEN_CACHE.
    """


@cache.command("stats")
@_cache_paths
@cache_option
@format_option("table", "json")
def cache_stats(paths, cache, fmt):
    """What the state holds: answers by kind and model, the calls and tokens they saved, and
    the brief manifests kept."""
    from briefgen import manifest
    from briefgen.contract import CacheStats

    state = _state_for(paths, cache)
    store = _open_cache(state)
    if store is None:
        stats = {"path": None, "bytes": 0, "kinds": [], "models": [], "other_schema": 0}
    else:
        with store:
            stats = store.stats()
    stats["state"] = str(state)
    stats["manifests"] = manifest.count(state)
    stats["manifest_bytes"] = _manifest_bytes(state)
    if fmt == "json":
        # contract.CacheStats (`briefgen schema cache`).
        click.echo(CacheStats.model_validate(stats).model_dump_json(indent=2))
        return
    if not state.is_dir():
        tell(f"nothing kept in {state} yet (no brief has been made there)")
        return
    if store is None:
        tell(f"state {state}: {_NO_ANSWERS}")
    else:
        tell(f"cache {stats['path']}: {stats['bytes'] / 1e6:.2f} MB")
    rows = [("kind", "answers", "calls", "prompt tok", "completion tok", "hits", "last used")]
    for k in stats["kinds"]:
        rows.append((k["kind"], f"{k['entries']:,}", f"{k['calls']:,}", f"{k['prompt_tokens']:,}",
                     f"{k['completion_tokens']:,}", f"{k['hits']:,}", k["last_used"] or ""))  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows if stats["kinds"] else []:
        tell("  " + "  ".join(c.rjust(w) if i else c.ljust(w)
                              for i, (c, w) in enumerate(zip(row, widths))))  # fmt: skip
    for m in stats["models"]:
        tell(f"  {m['entries']:,} answers from {m['engine']} {m['model']}".rstrip())
    if stats["other_schema"]:
        tell(f"  {stats['other_schema']:,} answers of an older schema (`cache prune` drops them)")
    tell(f"  {stats['manifests']} brief manifests kept (for 'new since' marks), "
         f"{stats['manifest_bytes'] / 1e6:.2f} MB")  # fmt: skip


@cache.command("prune")
@_cache_paths
@cache_option
@click.option("--older-than", "days", type=click.IntRange(0), default=30, show_default=True,
              metavar="DAYS", help="Remove answers not used for this many days.")  # fmt: skip
@click.option("--keep-manifests", type=click.IntRange(1), default=None,
              help="Brief manifests to keep per folder and audience "
              "(default: the keep_manifests setting, 20).")  # fmt: skip
def cache_prune(paths, cache, days, keep_manifests):
    """Remove answers not used lately (and any an older briefgen stored), and old manifests."""
    import datetime as dt

    from briefgen import manifest
    from briefgen.config import load_settings

    state = _state_for(paths, cache)
    keep = keep_manifests or load_settings().keep_manifests
    store = _open_cache(state)
    removed = before = after = 0
    if store is not None:
        with store:
            before = store.size()
            removed = store.prune(dt.timedelta(days=days))
            after = store.size()
    manifests = manifest.prune(state, keep=keep)
    answers = f"{removed:,} answers" if store is not None else "no answers (none cached)"
    sizes = f"; {before / 1e6:.2f} MB -> {after / 1e6:.2f} MB" if store is not None else ""
    tell(f"removed {answers} and {manifests} manifests from {state}{sizes}")


@cache.command("clear")
@_cache_paths
@cache_option
def cache_clear(paths, cache):
    """Remove every cached answer: the next run asks the model for everything again.

    The run log and the brief manifests stay (they are history, not cache).
    """
    state = _state_for(paths, cache)
    store = _open_cache(state)
    if store is None:
        tell(f"removed 0 answers from {state}: {_NO_ANSWERS}")
        return
    with store:
        removed = store.clear()
    tell(f"removed {removed:,} answers from {state}")
