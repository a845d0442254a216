"""Quotes, conflicting figures and entities merged across articles: the digest besides its
findings.

Each is merged by a plain rule of its own, not clustered like claims: a quote told again
(cosine >= SAME_QUOTE) is one quote citing every article; figures of one unit told about the
same thing (shared context words, CONFLICT_CONTEXT) with different values are a Conflict of
kind "figures"; one entity under several names ("US", "United States", "Bessent" and "Scott
Bessent") is one Entity, and speakers are named as the entities name them. merge.py gathers
these beside the findings into one Digest.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from briefgen.clustering import WeightedClaim
from briefgen.entity_words import canonical
from briefgen.schema import ChunkNotes, Conflict, ConflictValue, Entity, Figure, MergedQuote
from briefgen.text import content_words, cosine

SAME_QUOTE = 0.8
CONFLICT_CONTEXT = 0.4  # Jaccard of context words above which two figures measure one thing


def name_speakers(quotes: list[MergedQuote], entities: list[Entity]) -> None:
    """Give speakers their full names ("Wu" -> "Wu Xinbo"), and count speakers as people."""
    by_name = {e.name: e for e in entities}
    for q in quotes:
        if not q.speaker:
            continue
        # Either part may be the family name ("Wu Xinbo" is quoted as "Wu", "Michael Hart" as "Hart").
        full = [
            e.name
            for e in entities
            if 2 <= len(e.name.split()) <= 3
            and q.speaker in e.name.split()
            and e.kind in ("person", "other")
        ]
        if " " not in q.speaker and len(set(full)) == 1:
            q.speaker = full[0]
        if q.speaker in by_name and by_name[q.speaker].kind == "other":
            by_name[q.speaker].kind = "person"


# ---------------------------------------------------------------- quotes


def quotes_of(notes: list[ChunkNotes], claims: list[WeightedClaim]) -> list[MergedQuote]:
    salience_at = {(c.article_id, c.claim.evidence): c.salience for c in claims}
    merged: list[MergedQuote] = []
    vectors: list[Counter[str]] = []
    # Quotes by word: a quote is compared only with those sharing one of its rarest words
    # (_quote_prefix: a cosine of SAME_QUOTE needs one), first merged first as before, not
    # with every quote kept, nor with all that share a common word (issue 16: 10,000 articles).
    by_word: dict[str, list[int]] = defaultdict(list)
    for n in notes:
        for q in n.quotes:
            vec = Counter(content_words(q.text))
            score = salience_at.get((n.article_id, q.evidence), 0.0) * (1.5 if q.speaker else 1.0)
            near = sorted({i for w in _quote_prefix(vec, by_word) for i in by_word.get(w, ())})
            for existing, ev in ((merged[i], vectors[i]) for i in near):
                if cosine(vec, ev) >= SAME_QUOTE:
                    if n.article_id not in existing.article_ids:
                        existing.article_ids.append(n.article_id)
                    existing.speaker = existing.speaker or q.speaker
                    existing.score = max(existing.score, score)
                    break
            else:
                merged.append(
                    MergedQuote(
                        text=q.text,
                        speaker=q.speaker,
                        article_ids=[n.article_id],
                        evidence=q.evidence,
                        score=round(score, 6),
                    )
                )
                for w in vec:
                    by_word[w].append(len(vectors))
                vectors.append(vec)
    return sorted(merged, key=lambda q: -q.score)


# The words of a quote left out of its prefix carry at most this share of its squared norm,
# so a quote sharing none of the prefix has a cosine of at most sqrt(0.6) = 0.77 with it
# (Cauchy-Schwarz), below SAME_QUOTE (0.8) with a margin no rounding crosses.
QUOTE_REST = 0.6


def _quote_prefix(vec: Counter[str], by_word: dict[str, list[int]]) -> list[str]:
    """The rarest words of a quote that any quote within SAME_QUOTE of it must share one of
    (prefix filtering, as in clustering._sharing, weighed by the words' counts)."""
    total = sum(c * c for c in vec.values())
    rest = total
    prefix = []
    for w in sorted(vec, key=lambda w: len(by_word.get(w, ()))):
        if rest <= QUOTE_REST * total:
            break
        prefix.append(w)
        rest -= vec[w] * vec[w]
    return prefix


# ---------------------------------------------------------------- conflicting figures


def figure_conflicts(notes: list[ChunkNotes], order: dict[str, int]) -> list[Conflict]:
    figures: list[tuple[str, Figure]] = [(n.article_id, f) for n in notes for f in n.figures]
    groups: list[list[tuple[str, Figure]]] = []
    for aid, fig in figures:
        if fig.number is None or not fig.about:
            continue
        for group in groups:
            if all(
                _same_measure(fig, other) or fig.evidence == other.evidence for _, other in group
            ):
                group.append((aid, fig))
                break
        else:
            groups.append([(aid, fig)])

    conflicts = []
    for group in groups:
        values: dict[float, ConflictValue] = {}
        for aid, fig in sorted(group, key=lambda g: order.get(g[0], 0)):
            value = values.get(fig.number)
            if value is None:
                values[fig.number] = ConflictValue(
                    value=fig.value, article_ids=[aid], evidence=fig.evidence
                )
            elif aid not in value.article_ids:
                value.article_ids.append(aid)
        articles = {aid for aid, _ in group}
        if len(values) > 1 and len(articles) > 1:
            shared = set.intersection(*(set(f.about.split()) for _, f in group))
            about = (
                " ".join(w for w in group[0][1].about.split() if w in shared) or group[0][1].about
            )
            conflicts.append(
                Conflict(about=f"{about} ({group[0][1].unit})", values=list(values.values()))
            )
    return conflicts


def _same_measure(a: Figure, b: Figure) -> bool:
    if a.unit != b.unit or a.evidence == b.evidence:
        return False
    wa, wb = set(a.about.split()), set(b.about.split())
    shared = wa & wb
    return len(shared) >= 3 and len(shared) / len(wa | wb) >= CONFLICT_CONTEXT


# ---------------------------------------------------------------- entities


def entities_of(notes: list[ChunkNotes]) -> list[Entity]:
    merged: dict[str, Entity] = {}
    for n in notes:
        for e in n.entities:
            # One thing, one name: "US", "U.S." and "United States" (briefgen/entities.py).
            name = canonical(e.name)
            key = name.lower()
            if key in merged:
                merged[key].mentions += e.mentions
                if merged[key].kind == "other":
                    merged[key].kind = e.kind
            else:
                merged[key] = e.model_copy(update={"name": name})
    # "Bessent" and "Scott Bessent" are one person: fold a lone surname into the full name
    # (the first word too, where the family name comes first: "Xi" of "Xi Jinping").
    people = [e for e in merged.values() if e.kind == "person" and " " in e.name]
    for key, e in list(merged.items()):
        if " " in e.name or e.kind not in ("person", "other"):
            continue
        owners = [p for p in people if e.name in (p.name.split()[0], p.name.split()[-1])]
        if len(owners) == 1:
            owners[0].mentions += e.mentions
            del merged[key]
    return sorted(merged.values(), key=lambda e: (-e.mentions, e.name))
