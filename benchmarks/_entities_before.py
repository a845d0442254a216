"""The entity rules as they were before issue 14 (briefgen commit 012b4de), kept verbatim as the
baseline row of benchmarks/entities.py. Not used by briefgen."""

from __future__ import annotations

import re

from briefgen.schema import Entity, EntityKind

_TITLES = frozenset(
    """
    President Vice Premier Secretary Minister Chancellor Prime Senator Sen. Rep.
    Representative Governor Gov. Mayor Ambassador Commissioner Director Economist Analyst Professor Columnist Chairman Chair CEO
    Spokesperson Mr. Mrs. Ms. Dr. Prof. King Queen Prince Pope General Gen. Judge Justice
    Speaker Leader USTR
    """.split()
)
_ORG_WORDS = frozenset(
    """
    Inc Inc. Corp Corp. Ltd Ltd. Group Bank Ministry Department Commission Council Agency
    Association Committee University Center Centre Party Fund Organization Organisation Union
    Institute Foundation Company Administration Congress Parliament Senate House Court Forum
    Chamber Office Board Authority Service Network News Times Post Reuters Bloomberg
    """.split()
)
_ENTITY = re.compile(
    r"\b(?:[A-Z][a-zA-Z’'\-]+|[A-Z]{2,}(?:\.[A-Z])*\.?)(?:\s+(?:of\s+|the\s+)?(?:[A-Z][a-zA-Z’'\-]+|[A-Z]{2,}))*"
)
_SENTENCE_STARTERS = frozenset(
    """
    The A An This That These Those It Its He She They We I But And Or So Yet Meanwhile However
    In On At As If For From With While When After Before Despite Although Though Still Even
    Some Many Most Both Each Such Why What How Who Where Our Their His Her First Second
    Finally Notably Ultimately Interestingly Regardless Perhaps Put Should Which Among One
    Another Last Next Over Under Since Until Amid Following Citing Separately Surprisingly
    Initial Key Early Late Rare
    """.split()
)


_CALENDAR_WORDS = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    """.split()
)


def find_entities(sentence: str, places: frozenset[str]) -> list[Entity]:
    """Capitalised names in a sentence, typed as person, organization, place or other.

    A name after a title ("Treasury Secretary Scott Bessent") is a person, named without the
    title; places come from a general gazetteer; acronyms and names with organisation words
    ("Ministry", "Bank") are organizations. Demonyms ("Chinese") are adjectives, not entities.
    """
    found: dict[str, Entity] = {}
    for m in _ENTITY.finditer(sentence):
        tokens = [re.sub(r"[’']s?$", "", t) for t in m.group(0).split()]
        while tokens and tokens[0] in _SENTENCE_STARTERS:
            tokens.pop(0)
        titled = [i for i, t in enumerate(tokens) if t in _TITLES]
        if titled:
            # "Minister Wang Yi of China": the name ends where a lower-case word joins another.
            tokens = tokens[titled[-1] + 1 :]
            lower = [i for i, t in enumerate(tokens) if t.islower()]
            if lower:
                rest = " ".join(tokens[lower[0] + 1 :])
                if rest:
                    _add(found, Entity(name=rest, kind=_entity_kind(rest.split(), places)))
                tokens = tokens[: lower[0]]
            kind: EntityKind = "person"
        else:
            kind = _entity_kind(tokens, places)
        name = " ".join(tokens).strip("’'")
        if (
            len(name) < 2
            or name.lower() in _CALENDAR_WORDS
            or (kind == "other" and _DEMONYM.match(name))
        ):
            continue
        _add(found, Entity(name=name, kind=kind))
    return list(found.values())


def _add(found: dict[str, Entity], entity: Entity) -> None:
    if entity.name in found:
        found[entity.name].mentions += 1
    else:
        found[entity.name] = entity


_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ese|ian|ean|ish|ic|i|an)$")


def _entity_kind(tokens: list[str], places: frozenset[str]) -> EntityKind:
    if not tokens:
        return "other"
    name = " ".join(tokens)
    if name in places:
        return "place"
    if any(t in _ORG_WORDS for t in tokens) or (
        len(tokens) == 1 and re.fullmatch(r"[A-Z]{2,}", tokens[0])
    ):
        return "organization"
    return "other"
