"""What the built-in rules add to a model's work where a small model leaves gaps: the rules'
dated events and names in a model's notes of a chunk, and the rules' summary of each article a
model's analyst brief left without one or gave a title for one.

The rules' notes and summaries are the articles' own words at exact offsets: nothing they add
needs grounding, and nothing a model wrote that passed verification is replaced.
"""

from __future__ import annotations

from briefgen.engines.extractive import summaries_of
from briefgen.entities import canonical
from briefgen.schema import Article, ChunkNotes, Finding
from briefgen.text import content_words


def with_rule_notes(notes: ChunkNotes, ruled: ChunkNotes) -> ChunkNotes:
    """A model's notes of a chunk with what the built-in rules noted of it (`ruled`) where
    the model noted nothing of the same: the rules' dated events in sentences where the
    model noted none, and the rules' names, with the model's own names that share no word
    with one of them.

    Every date a brief stands on (the articles' inferred dates, the watch list, which plans a
    later article reports held) is read from events. A small model notes few and odd ones
    (Qwen 1.5B gave the sample's "will meet in Malaysia on Friday" no event and called it a
    fact): the brief then dated the newest article four days early and wrote of that meeting
    as still to come. Its names were as weak: on the sample's hand-checked list (benchmarks/
    entities.py) Qwen's scored precision 0.75, recall 0.38, types 0.75 ("Russia" an
    organization, "US Treasury Secretary Scott Bessent" a name), the rules' 0.92, 0.94,
    0.96; the rules' with the model's other names added, 0.92, 0.96, 0.96 ("Chenkai", a
    columnist the rules miss). The rules' notes are the article's own words at exact
    offsets: they need no grounding.
    """
    noted = [(e.span.start, e.span.end) for e in notes.events if e.span is not None]
    events = [
        e
        for e in ruled.events
        if e.span is not None and not any(e.span.start < b and a < e.span.end for a, b in noted)
    ]
    named = {w for e in ruled.entities for w in content_words(canonical(e.name))}
    own = [e for e in notes.entities if not named.intersection(content_words(canonical(e.name)))]
    if not events and not ruled.entities:
        return notes
    return notes.model_copy(
        update={"events": [*notes.events, *events], "entities": [*ruled.entities, *own]}
    )


def filled_summaries(
    written: dict[str, str], findings: list[Finding], articles: list[Article]
) -> dict[str, str]:
    """A model's article summaries (those that passed verification), with each article it
    left without one, or gave a title for one, summarised as the built-in engine does: in
    its own best sentences. Qwen 1.5B summarised four of the sample's five articles, three
    of them by a title, one by another article's ("US and China edge toward fragile truce
    ahead of Trump-Xi meeting" for [3]): an analyst reads every article's summary."""
    rules = summaries_of(findings, articles)
    out = {}
    for a in articles:
        mine = written.get(a.id, "").strip()
        if mine and not copies_a_title(mine, articles):
            out[a.id] = mine
        elif rules.get(a.id):
            out[a.id] = rules[a.id]
    return out


# A title cut short in the source list ("... to try to see if…") and written out whole by the
# model ("... to try to see if they can reach a deal") is still the title: at most this many
# words past it.
TITLE_TAIL = 5


def copies_a_title(text: str, articles: list[Article]) -> bool:
    """Whether `text` is one of the articles' titles (a title cut short counted whole)."""
    words = _words(text)
    return any(_is_title(words, _words(a.title)) for a in articles if a.title)


def _words(text: str) -> list[str]:
    return content_words(text.rstrip("…"))


def _is_title(words: list[str], title: list[str]) -> bool:
    return bool(title) and words[: len(title)] == title and len(words) - len(title) <= TITLE_TAIL
