"""The corpus: what a run read from its input, and what the steps after reading work out
from it once (its digest, its off-topic check, the memo of the pipeline's lookups).

The pipeline (pipeline.read_corpus, pipeline.subcorpus) makes it; assemble.py, timeline.py
and the CLI read it.
"""

from __future__ import annotations

import datetime as dt

from briefgen.engines import Engine
from briefgen.merge import merge
from briefgen.offtopic import OffTopic, find_off_topic
from briefgen.schema import Article, ChunkNotes, Digest, RunReport, Skipped, SourceRef

_NOT_YET = object()  # Corpus.off_topic before it is first asked for


class Corpus:
    """Everything read and merged from the input, before writing for an audience.

    The digest (merge.merge of the notes) and the off-topic check (offtopic.py) are worked
    out when first asked for, not when the corpus is read: `make --by-story` and `stories`
    read a whole mixed feed but merge and check only each story's part of it (subcorpus),
    and on a feed of thousands of articles the whole feed's would be a sixth of the run
    (issue 16). Either may be given, or set, instead.
    """

    def __init__(
        self,
        articles: list[Article],
        skipped: list[Skipped],
        references: dict[str, tuple[dt.date, str]],
        notes: list[ChunkNotes],
        digest: Digest | None,
        sources: list[SourceRef],
        report: RunReport,
        engine: Engine,
        copies: dict[str, str] | None = None,
        flagged: dict[str, list[str]] | None = None,
    ) -> None:
        self.articles = articles
        self.skipped = skipped
        self.references = references
        self.notes = notes
        self.sources = sources
        self.report = report
        self.engine = engine
        # Copies (copies.py) and instruction-like passages (injection.py), known before the
        # merge: the dates and sources need them, the digest carries them.
        self.copies = digest.copies if digest is not None and copies is None else copies or {}
        self.flagged = digest.flagged if digest is not None and flagged is None else flagged or {}
        self._digest = digest
        self._off_topic: OffTopic | None | object = _NOT_YET
        # What the steps after reading work out once and ask again: settle's index of the
        # articles' sentences (_told_index; the articles never change after reading), the
        # source numbers (numbers()), the dates settle_dates left alone, and the watch list
        # (build_watchlist); numbers and list are forgotten when the sources are renumbered.
        self.memo: dict = {}

    @property
    def digest(self) -> Digest:
        if self._digest is None:
            self._digest = merge(self.articles, self.notes, self.copies)
            self._digest.flagged = self.flagged
        return self._digest

    @digest.setter
    def digest(self, digest: Digest) -> None:
        self._digest = digest

    @property
    def off_topic(self) -> OffTopic | None:
        """Articles and passages far from the story."""
        if self._off_topic is _NOT_YET:
            self._off_topic = find_off_topic(self.articles)
        return self._off_topic  # type: ignore[return-value]

    @off_topic.setter
    def off_topic(self, off_topic: OffTopic | None) -> None:
        self._off_topic = off_topic

    def citations(self, article_ids: list[str]) -> list[int]:
        numbers = self.numbers()
        return sorted({numbers[a] for a in article_ids if a in numbers})

    def numbers(self) -> dict[str, int]:
        """Each article's source number. Worked out once per list of sources, not once per
        citation: a brief of 10,000 articles cites thousands of times (issue 16). settle_dates
        renumbers the sources in place and forgets it; a new list is noticed by identity."""
        known = self.memo.get("numbers")
        if known is None or known[0] is not self.sources or known[1] != len(self.sources):
            known = (self.sources, len(self.sources), {s.article_id: s.n for s in self.sources})
            self.memo["numbers"] = known
        return known[2]
