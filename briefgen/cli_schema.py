"""`briefgen schema`: the JSON Schema of each JSON document briefgen writes (contract.py)."""

from __future__ import annotations

import click

# The names, without importing the models: `briefgen --help` stays fast.
DOCUMENTS = ("brief", "watchlist", "sources", "logs", "history", "cache", "stories")


@click.command()
@click.argument("document", type=click.Choice(DOCUMENTS))
def schema(document):
    """Print the JSON Schema of a JSON output: brief, watchlist, sources, logs, history, cache,
    stories.

    \b
    brief      make --format json (every audience)
    watchlist  watchlist --format json
    sources    sources --format json
    logs       logs --json
    history    history --json
    cache      cache stats --format json
    stories    stories --format json

    Each output carries `schema_version` ("2.0"): a minor version only adds fields or
    values, a major one removes, renames or changes one. The schema is exact: it names
    every key its version writes; a reader that ignores keys it does not know also reads
    later minor versions.
    """
    import json

    from briefgen.contract import json_schema

    click.echo(json.dumps(json_schema(document), indent=2, ensure_ascii=False))
