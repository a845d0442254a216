"""`briefgen cache`: look after the cache of model answers kept in .briefgen/ (stats,
prune, clear). `briefgen.cli` registers the group on its main command.
"""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.cli_support import cache_option, format_option


def _state_for(paths: tuple[str, ...], cache: str | None) -> Path:
    """The state folder meant: --cache, a .briefgen folder given, or the one beside PATHS."""
    from briefgen import runlog
    from briefgen.cache import CACHE_FILE

    for p in paths:
        if Path(p).name == runlog.STATE_DIR or (Path(p) / CACHE_FILE).is_file():
            return Path(p)
    return runlog.state_dir(cache, list(paths) or ["."])


def _open_cache(paths: tuple[str, ...], cache: str | None):
    import sqlite3

    from briefgen.cache import CACHE_FILE, Cache
    from briefgen.errors import ConfigError

    state = _state_for(paths, cache)
    if not (state / CACHE_FILE).is_file():
        raise ConfigError(f"no cache in {state} (a run with a model makes one there)")
    try:
        return state, Cache.in_folder(state)
    except sqlite3.Error as exc:
        raise ConfigError(f"the cache in {state} cannot be opened ({exc})") from None


_cache_paths = click.argument("paths", nargs=-1)


@click.group()
def cache():
    """Look after the cache of model answers kept in .briefgen/ beside the articles.

    Each command takes the folder of articles (or the .briefgen folder itself); without one,
    ./.briefgen, or --cache DIR / BRIEFGEN_CACHE.
    """


@cache.command("stats")
@_cache_paths
@cache_option
@format_option("table", "json")
def cache_stats(paths, cache, fmt):
    """What the cache holds: answers by kind and model, the calls and tokens they saved."""
    import json

    from briefgen import manifest

    state, store = _open_cache(paths, cache)
    with store:
        stats = store.stats()
    stats["manifests"] = manifest.count(state)
    if fmt == "json":
        click.echo(json.dumps(stats, indent=2))
        return
    click.echo(f"cache {stats['path']}: {stats['bytes'] / 1e6:.2f} MB")
    rows = [("kind", "answers", "calls", "prompt tok", "completion tok", "hits", "last used")]
    for k in stats["kinds"]:
        rows.append((k["kind"], f"{k['entries']:,}", f"{k['calls']:,}", f"{k['prompt_tokens']:,}",
                     f"{k['completion_tokens']:,}", f"{k['hits']:,}", k["last_used"] or ""))  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  " + "  ".join(c.rjust(w) if i else c.ljust(w)
                                    for i, (c, w) in enumerate(zip(row, widths))))  # fmt: skip
    for m in stats["models"]:
        click.echo(f"  {m['entries']:,} answers from {m['engine']} {m['model']}".rstrip())
    if stats["other_schema"]:
        click.echo(
            f"  {stats['other_schema']:,} answers of an older schema (`cache prune` drops them)"
        )
    click.echo(f"  {stats['manifests']} brief manifests kept (for 'new since' marks)")


@cache.command("prune")
@_cache_paths
@cache_option
@click.option("--older-than", "days", type=click.IntRange(0), default=30, show_default=True,
              metavar="DAYS", help="Remove answers not used for this many days.")  # fmt: skip
@click.option("--keep-manifests", type=click.IntRange(1), default=20, show_default=True,
              help="Brief manifests to keep per folder and audience.")  # fmt: skip
def cache_prune(paths, cache, days, keep_manifests):
    """Remove answers not used lately (and any an older briefgen stored), and old manifests."""
    import datetime as dt

    from briefgen import manifest

    state, store = _open_cache(paths, cache)
    with store:
        before = store.size()
        removed = store.prune(dt.timedelta(days=days))
        after = store.size()
    manifests = manifest.prune(state, keep=keep_manifests)
    click.echo(f"removed {removed:,} answers and {manifests} manifests from {state}; "
               f"{before / 1e6:.2f} MB -> {after / 1e6:.2f} MB")  # fmt: skip


@cache.command("clear")
@_cache_paths
@cache_option
def cache_clear(paths, cache):
    """Remove every cached answer: the next run asks the model for everything again.

    The run log and the brief manifests stay (they are history, not cache).
    """
    state, store = _open_cache(paths, cache)
    with store:
        removed = store.clear()
    click.echo(f"removed {removed:,} answers from {state}")
