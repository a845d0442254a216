"""The PATHS argument every reading command shares, and the options of reading from the web.

PATHS may be files, folders, `-` or http(s) URLs; `--urls FILE` adds the URLs a file lists.
This decorator turns the web options into the fetch settings of the run (briefgen.fetch's
`web_options`), so the commands themselves see only their PATHS. Imports of anything heavy
happen inside the wrapper, so `briefgen --help` stays fast.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import click

_WEB_OPTIONS = [
    click.option(
        "--urls",
        "urls_file",
        metavar="FILE",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Also read the web pages and feeds whose URLs FILE lists (one a line, # comments).",
    ),
    click.option(
        "--ignore-robots",
        is_flag=True,
        help="Fetch URLs even where the site's robots.txt asks robots to stay out.",
    ),
    click.option(
        "--max-download-mb",
        metavar="MB",
        type=click.FloatRange(0, min_open=True),
        default=10.0,
        show_default=True,
        help="A web page or feed larger than this is skipped, unread.",
    ),
    click.option(
        "--fetch-timeout",
        metavar="SECONDS",
        type=click.FloatRange(0, min_open=True),
        default=30.0,
        show_default=True,
        help="Seconds a web page is given to download, in all.",
    ),
]


def paths_argument(command):
    """PATHS (files, folders, - or URLs), optional when --urls FILE names some."""

    @functools.wraps(command)
    def run(*args, paths, urls_file, ignore_robots, max_download_mb, fetch_timeout, **kwargs):
        from briefgen import fetch, runlog
        from briefgen.cli_support import say

        quiet = kwargs.get("quiet", False)
        listed: list[str] = []
        if urls_file is not None:
            listed, problems = fetch.read_url_list(urls_file)
            for problem in problems:
                say(f"briefgen: skipped {problem}", quiet)
        elif not paths:
            raise click.UsageError("Missing argument 'PATHS...' (files, folders, -, URLs), "
                                   "or --urls FILE.")  # fmt: skip
        paths = tuple(dict.fromkeys((*paths, *listed)))  # a URL named twice is fetched once
        # Pages are kept in the run's state folder: --cache, else beside the first folder or
        # file of articles, else (URLs only) the current directory's .briefgen.
        cache = kwargs.get("cache") or os.environ.get("BRIEFGEN_CACHE")
        options = fetch.WebOptions(
            state_dir=runlog.state_dir(cache, paths),
            max_bytes=int(max_download_mb * fetch.MB),
            timeout=fetch_timeout,
            concurrency=kwargs.get("concurrency") or fetch.DEFAULT_CONCURRENCY,
            respect_robots=not ignore_robots,
            on_note=lambda message: say(f"briefgen: {message}", quiet),
        )
        with fetch.web_options(options):
            return command(*args, paths=paths, **kwargs)

    # Listed after the command's own options in --help: they matter only to some runs.
    params = run.__dict__.setdefault("__click_params__", [])
    own = len(params)
    for option in reversed(_WEB_OPTIONS):
        run = option(run)
    params[:] = params[own:] + params[:own]  # click shows this list in reverse
    return click.argument("paths", nargs=-1)(run)
