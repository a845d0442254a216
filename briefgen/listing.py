"""What `briefgen sources` lists: every article read, numbered as a brief numbers it, with
the date `make` would read its relative words against and what that date rests on.

The articles are read and their dates settled exactly as `make` does (pipeline.read_corpus
with the built-in engine, then decide_as_of), so [n] and the dates are a brief's. A model
reads events in its own words, and may settle an undated article's date otherwise; with
the built-in engine they are the same.
"""

from __future__ import annotations

import datetime as dt
from typing import IO

from briefgen.contract import ListedArticle, SourcesListing

TITLE_WIDTH = 60


def list_sources(
    paths: list[str], stdin: IO[bytes] | None = None, as_of: dt.date | None = None
) -> SourcesListing:
    """The sources listing of `paths` (NoArticlesError when nothing can be read)."""
    from briefgen.corpus_dates import decide_as_of
    from briefgen.pipeline import read_corpus

    corpus = read_corpus(paths, stdin=stdin)
    decide_as_of(as_of, corpus)  # the reference dates make settles on, and the numbering
    articles = {a.id: a for a in corpus.articles}
    listed = []
    for source in corpus.sources:
        a = articles[source.article_id]
        ref = corpus.references.get(a.id)
        listed.append(
            ListedArticle(
                n=source.n,
                id=a.id,
                title=a.title,
                path=a.path,
                source=a.source,
                url=a.url,
                published=a.published,
                date_basis=a.date_basis,
                words=a.words,
                debris_cut=a.debris_cut,
                unread_chars=a.unread_chars,
                reference=ref[0] if ref else None,
                reference_basis=_basis(a.published, a.date_basis, source.date_basis, ref),
                copy_of=source.copy_of,
            )
        )
    return SourcesListing(articles=listed, skipped=corpus.skipped)


def _basis(published, date_basis, cited_basis, ref) -> str | None:
    """What the date rests on, in the words of a brief's date notes ([n], never ids)."""
    if ref is None:
        return None
    if published is not None:
        return f"published {published.isoformat()} ({date_basis or 'metadata'})"
    return cited_basis or ref[1]


def date_kind(article: ListedArticle) -> str:
    """The table's short word for what a date rests on: metadata, dateline, inferred, none."""
    if article.reference is None:
        return "none"
    if article.published is not None:
        return article.date_basis or "metadata"
    return "inferred"


def table_lines(listing: SourcesListing) -> list[str]:
    """The listing as a table, then the inferred dates' bases, the skipped files, a count."""
    rows = [("n", "id", "title", "date", "basis", "words", "debris", "path")]
    for a in listing.articles:
        title = a.title if len(a.title) <= TITLE_WIDTH else a.title[: TITLE_WIDTH - 1] + "…"
        day = a.reference.isoformat() if a.reference else "unknown"
        rows.append(
            (f"[{a.n}]", a.id, title, day, date_kind(a), str(a.words), str(a.debris_cut), a.path)
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    inferred = [a for a in listing.articles if a.reference and a.published is None]
    if inferred:
        lines += ["", "inferred dates (what make reads each article's relative dates against):"]
        lines += [f"  [{a.n}] {a.reference_basis}" for a in inferred]
    if listing.skipped:
        lines += ["", f"skipped {len(listing.skipped)}:"]
        lines += [f"  {s.path}: {s.reason}" for s in listing.skipped]
    lines += ["", f"{len(listing.articles)} articles read, {len(listing.skipped)} skipped"]
    return lines
