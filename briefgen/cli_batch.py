"""`briefgen batch status|collect|cancel [PATHS]`, and the map step of `make --batch`.

The work is briefgen.batch's; this module only opens the engine and the state folder the
way `make` does (so the same --cache, --model and --base-url find the same batch) and says
what happened.
"""

from __future__ import annotations

import contextlib

import click

from briefgen.cli_support import close_engine, open_engine, paths_argument, say, with_engine_options


@contextlib.contextmanager
def _service(engine):
    """A batch service that cannot be reached or refuses: the same EndpointError (exit 4)
    as a live call's, naming the endpoint without credentials."""
    import openai

    from briefgen.errors import EndpointError
    from briefgen.ledger import safe_url

    try:
        yield
    except openai.APIError as exc:
        where = safe_url(str(engine.base_url))
        status = getattr(exc, "status_code", None)
        raise EndpointError(
            f"the batch service at {where} failed: {exc}", status=status, base_url=where
        ) from None


def _open(paths, quiet, engine_options):
    from briefgen import batch

    settings, _, chosen, state, _ = open_engine(
        list(paths), quiet, announce=False, **engine_options
    )
    if not hasattr(chosen, "cache"):
        close_engine(chosen, quiet)
        raise click.UsageError("a batch needs a model engine and its cache (not --no-cache)")
    chosen.batch_settings = settings  # for the run log of what a collection cost (_logged)
    return chosen, state, batch.openai_client(chosen, settings.api_key)


@contextlib.contextmanager
def _waiting(paths, engine_options):
    """(engine, batch client, the batch sent for PATHS) while the engine is open; the batch
    is None, and "no batch waiting" said, when none was sent."""
    from briefgen import batch

    chosen, state, client = _open(paths, False, engine_options)
    try:
        pending = batch.load_pending(state)
        if pending is None:
            click.echo("no batch waiting")
        yield chosen, client, pending
    finally:
        close_engine(chosen, False)


def _logged(got, engine, state, articles, quiet) -> None:
    """A collected batch is a run of its own in the run log: its calls at the batch price,
    so `briefgen logs` and the cost of a day's work include what the batch cost."""
    from briefgen import runlog

    if got is None or not got.ledger.records:
        return
    problem = runlog.store_batch(got.ledger, engine, engine.batch_settings, articles, state)
    if problem:
        say(f"briefgen: warning: {problem}", quiet)


def batch_map(paths, quiet, engine_options) -> bool:
    """make --batch: collect, then send what is not cached. True when a batch waits (make
    then stops with batch.EXIT_BATCH_PENDING); False when the brief can be made now."""
    from briefgen import batch
    from briefgen.ingest import load

    chosen, state, client = _open(paths, quiet, engine_options)
    try:
        with _service(chosen):
            message, waiting, got = batch.prepare(client, chosen, state, list(paths))
    finally:
        close_engine(chosen, quiet)
    if got is not None:
        _logged(got, chosen, state, load(list(paths)).articles, quiet)
    say(f"briefgen: {message}", quiet and not waiting)
    return waiting


def collect_if_any(paths, quiet, engine_options) -> None:
    """Plain make: a batch sent earlier and finished now is collected first, so its answers
    are not asked again live; one still running is left (its chunks are asked live)."""
    from briefgen import batch, runlog

    state = runlog.state_dir(engine_options.get("cache"), list(paths))
    pending = batch.load_pending(state)
    if pending is None or pending.batch_id == batch.LOCAL_BATCH:
        return
    chosen, state, client = _open(paths, quiet, engine_options)
    try:
        from briefgen.ingest import load

        articles = {a.id: a for a in load(list(paths)).articles}
        with _service(chosen):
            got = batch.collect(client, state, chosen.cache, articles)
    finally:
        close_engine(chosen, quiet)
    _logged(got, chosen, state, list(articles.values()), quiet)
    if got is None:
        say(f"briefgen: batch {pending.batch_id} is still running; uncached chunks are asked live",
            quiet)  # fmt: skip
    else:
        say(f"briefgen: collected batch ({got.status}): {got.stored} answers", quiet)


def batch_map_waiting(paths, quiet, engine_options, stop, poll: float | None = None) -> bool:
    """follow --batch: send the map as a batch and wait for it (a look every `poll`
    seconds) until its answers are cached. False when `stop` was set first."""
    from briefgen import batch

    while batch_map(paths, quiet, engine_options):
        if stop.wait(batch.POLL_SECONDS if poll is None else poll):
            return False
    return True


@click.group("batch")
def batch_group():
    """Map calls sent as one batch (make --batch): see, collect or cancel it."""


@batch_group.command()
@paths_argument
@with_engine_options
def status(paths, **engine_options):
    """The state of the batch sent for PATHS."""
    from briefgen import batch

    with _waiting(paths, engine_options) as (chosen, client, pending):
        if pending is None:
            return
        with _service(chosen):
            found = batch.status(client, pending)
        counts = getattr(found, "request_counts", None)
        done = f" ({counts.completed}/{counts.total} done)" if counts else ""
        click.echo(f"{pending.batch_id}: {found.status}{done}")


@batch_group.command()
@paths_argument
@click.option("--from", "results", type=click.Path(exists=True, dir_okay=False),
              help="A results JSONL written elsewhere (vLLM's run_batch -o FILE).")  # fmt: skip
@with_engine_options
def collect(paths, results, **engine_options):
    """Put the finished batch's answers in the cache (the next make uses them)."""
    from briefgen import batch
    from briefgen.ingest import load

    chosen, state, client = _open(paths, False, engine_options)
    try:
        articles = {a.id: a for a in load(list(paths)).articles}
        if results:
            got = batch.collect_file(results, state, chosen.cache, articles)
        else:
            with _service(chosen):
                got = batch.collect(client, state, chosen.cache, articles)
    finally:
        close_engine(chosen, False)
    _logged(got, chosen, state, list(articles.values()), False)
    if got is None:
        click.echo("no finished batch to collect")
        return
    cost = got.ledger.summary(chosen.prices, chosen.local)
    click.echo(f"{got.status}: {got.stored} answers cached, {len(got.failed)} to ask again; {cost}")


@batch_group.command()
@paths_argument
@with_engine_options
def cancel(paths, **engine_options):
    """Cancel the batch sent for PATHS (answers already made are collected next time)."""
    from briefgen import batch

    with _waiting(paths, engine_options) as (chosen, client, pending):
        if pending is None:
            return
        with _service(chosen):
            click.echo(f"{pending.batch_id}: {batch.cancel(client, pending).status}")


@batch_group.command()
@paths_argument
@click.option("--to", "target", metavar="FILE", required=True,
              help="Where to write the requests JSONL.")  # fmt: skip
@with_engine_options
def write(paths, target, **engine_options):
    """Write the uncached map calls of PATHS as a batch JSONL, for vLLM's run_batch."""
    from briefgen import batch
    from briefgen.chunking import chunk_article
    from briefgen.ingest import load

    chosen, state, _ = _open(paths, False, engine_options)
    try:
        articles = load(list(paths)).articles
        pairs = [(c, a) for a in articles for c in chunk_article(a, chosen.chunk_tokens)]
        lines, chunks = batch.uncached_requests(chosen, chosen.cache, pairs, batch.load_live(state))
        batch.write_local(target, state, lines, chunks, chosen)
    finally:
        close_engine(chosen, False)
    click.echo(f"{len(lines)} requests in {target}; collect with --from RESULTS")
