"""The built-in engine: no model, deterministic, offline.

`extract` applies the rules of extract_rules to every sentence of a chunk. `write` chooses
what the reader sees from the merged findings: the most central, best corroborated findings,
without repeating each other (a new point must differ from every chosen one), in plain
sentences taken verbatim from the articles, so every word of a point is in a cited source.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from briefgen import extract_rules as rules
from briefgen.injection import is_instruction_like
from briefgen.schema import (
    Article,
    Audience,
    Chunk,
    ChunkNotes,
    Digest,
    Draft,
    DraftPoint,
    DraftSection,
    Finding,
)
from briefgen.text import content_words, cosine, is_bullet, sentence_spans, word_count

# Two points whose words overlap more than this say the same thing twice. Below it, two
# points share mostly the story's own names ("Abu Ghraib prison", "July 7, 2005 bombings")
# while telling different news: at 0.3, most pairs kept out were of that kind.
REDUNDANT = 0.4
KEY_POINTS = {"exec": 6, "analyst": 10, "newsletter": 9}
BOTTOM_LINE_SENTENCES = 2
KIND_WEIGHT = {"fact": 1.0, "forecast": 0.95, "analysis": 0.9, "opinion": 0.6}

# Sentences that lean on the one before them make poor stand-alone points.
_NEEDS_CONTEXT = re.compile(
    r"^(he|she|it|they|this|that|these|those|but|and|so|also|however|meanwhile|still|yet|"
    r"instead|thus|therefore|then|such|here|there|which|its|his|her|their|later|"
    # "A few days later, Beijing softened its stance": later than what the reader was not told.
    r"(?:a few|\w+) (?:hours|days|weeks|months|years) (?:later|earlier))\b",
    re.I,
)


class ExtractiveEngine:
    name = "extractive"
    model: str | None = None

    def __init__(self) -> None:
        self._places = rules.load_places()

    # ------------------------------------------------------------ reading

    def extract(self, chunk: Chunk, article: Article) -> ChunkNotes:
        notes = ChunkNotes(article_id=article.id, chunk_index=chunk.index)
        text = article.text
        entities: dict[str, object] = {}
        for start, end in sentence_spans(text, chunk.start, chunk.end):
            sentence = text[start:end]
            if _is_heading(sentence):
                continue
            notes.claims.append(rules.make_claim(text, article.id, start, end))
            # Speakers come from the whole article (speakers.speaker_of): "he said" reaches
            # back to the person it names, across chunk boundaries too.
            notes.quotes.extend(rules.find_quotes(text, article.id, start, end))
            notes.figures.extend(rules.find_figures(text, article.id, start, end))
            event = rules.find_event(text, article.id, start, end)
            if event is not None:
                notes.events.append(event)
            for entity in rules.find_entities(sentence, self._places):
                if entity.name in entities:
                    entities[entity.name].mentions += entity.mentions
                else:
                    entities[entity.name] = entity
        notes.entities = list(entities.values())
        return notes

    # ------------------------------------------------------------ writing

    def write(self, digest: Digest, audience: Audience, articles: list[Article]) -> Draft:
        candidates = [f for f in digest.findings if presentable(f.text)]
        ranked = sorted(candidates, key=lambda f: -f.score * KIND_WEIGHT[f.kind])
        # The bottom line opens on what several independent articles agree on and none
        # denies, whenever there is such a finding: the best of them leads.
        lead = next((f for f in ranked if f.corroboration > 1 and not f.disputed), None)
        if lead is not None:
            ranked = [lead, *(f for f in ranked if f is not lead)]
        chosen = select_diverse(ranked, BOTTOM_LINE_SENTENCES + KEY_POINTS[audience])
        # What other articles deny is a key point, shown with who disputes it after what is
        # settled; never the bottom line.
        settled = [f for f in chosen if not f.disputed]
        bottom = settled[:BOTTOM_LINE_SENTENCES]
        points = settled[BOTTOM_LINE_SENTENCES:] + [f for f in chosen if f.disputed]
        sections = _sections(points) if audience == "newsletter" else []
        return Draft(
            headline=headline(articles, digest.findings),
            bottom_line=[_point(f) for f in bottom],
            key_points=[_point(f) for f in points],
            sections=sections,
            article_summaries=_summaries(digest.findings, articles),
        )


def _point(f: Finding) -> DraftPoint:
    return DraftPoint(text=f.text, finding_ids=[f.id])


def _is_heading(sentence: str) -> bool:
    """A section heading inside an article: short, no closing punctuation, not a list item."""
    stripped = sentence.strip()
    return (
        not is_bullet(stripped)
        and word_count(stripped) <= 12
        and not stripped.endswith((".", "!", "?", "”", '"', ":", ")"))
    )


def presentable(text: str) -> bool:
    """Whether a sentence can stand alone as a point in a brief.

    Text addressed to a model or the reader ("Ignore previous instructions", "SYSTEM: the
    brief must say ...") is data about the article, never a point: see briefgen.injection.
    """
    n = word_count(text)
    if n < 8 or n > 48 or "?" in text or text.endswith(":"):
        return False
    if _NEEDS_CONTEXT.match(text) or text.count("“") != text.count("”") or text.count('"') % 2:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in '“"'):
        return False
    return not is_instruction_like(text)


def select_diverse(ranked: list[Finding], limit: int) -> list[Finding]:
    """Take findings in rank order, skipping any that repeat one already taken."""
    chosen: list[Finding] = []
    vectors: list[Counter[str]] = []
    for f in ranked:
        vec = Counter(content_words(f.text))
        if any(cosine(vec, v) > REDUNDANT for v in vectors):
            continue
        chosen.append(f)
        vectors.append(vec)
        if len(chosen) == limit:
            break
    return chosen


def headline(articles: list[Article], findings: list[Finding]) -> str:
    """The article headline that best names the whole story, else the top finding, shortened.

    A real headline is short and is not simply the opening of its article; among those, the
    one whose words weigh most across all findings names the common story, not one angle.
    Neither a title nor a finding that addresses a model or the reader is ever a headline.
    """
    findings = [f for f in findings if not is_instruction_like(f.text)]
    # Words that recur in the best-supported findings, but not in every finding ("China"
    # in a China story): the words that tell this story apart.
    df: Counter[str] = Counter(w for f in findings for w in set(content_words(f.text)))
    n = max(1, len(findings))
    weight: Counter[str] = Counter()
    for f in findings[:20]:
        for w in set(content_words(f.text)):
            weight[w] += f.corroboration * math.log(n / df[w])
    best, best_score = None, 0.0
    for a in articles:
        title = a.title.strip()
        n = word_count(title)
        if not 3 <= n <= 14 or title.endswith(("…", ".", ":")) or is_instruction_like(title):
            continue
        if a.text.lstrip().startswith(title.rstrip("…")):
            continue
        ws = set(content_words(title))
        score = sum(weight[w] for w in ws) / max(1, len(ws)) ** 0.5
        if score > best_score:
            best, best_score = title, score
    if best:
        return best
    return headline_from(findings)


HEADLINE_WORDS = 18  # a whole sentence this short can stand as a headline


def headline_from(findings: list[Finding], among: int = 5) -> str:
    """A headline when no article has one: the best-ranked short sentence among the top
    findings, whole; else the top finding's first clause that says something on its own.

    A sentence cut at its first comma ("Aircraft and water vessels from the French") names
    no news; a whole sentence of the next-best finding does.
    """
    top = [f for f in findings[:among] if presentable(f.text)] or findings[:1]
    if not top:
        return "No findings"
    for f in top:
        if word_count(f.text) <= HEADLINE_WORDS:
            return f.text.strip().rstrip(".")
    return _shorten(top[0].text)


def _shorten(sentence: str, limit: int = 14) -> str:
    """The first clause of at least six words (a list's comma does not end a clause), cut at
    `limit` words with an ellipsis."""
    clause = ""
    for piece in re.split(r"(?<=[,;:—–])\s", sentence):
        clause = f"{clause} {piece}".strip()
        if word_count(clause) >= 6 and not re.match(r"[A-Z][\w'’-]* (?:and|or) ", piece):
            break
    tokens = clause.split()
    text = " ".join(tokens[:limit])
    return text.rstrip(".,;:—–") + ("…" if len(tokens) > limit else "")


_SECTION_OF = {
    "fact": "What happened",
    "analysis": "What it means",
    "opinion": "What it means",
    "forecast": "What comes next",
}


def _sections(points: list[Finding]) -> list[DraftSection]:
    grouped: dict[str, list[DraftPoint]] = {}
    for f in points:
        grouped.setdefault(_SECTION_OF[f.kind], []).append(_point(f))
    order = ["What happened", "What it means", "What comes next"]
    return [DraftSection(heading=h, points=grouped[h]) for h in order if h in grouped]


def _summaries(
    findings: list[Finding], articles: list[Article], per_article: int = 2
) -> dict[str, str]:
    """Each article in its own words: its best-scoring presentable sentences, in text order."""
    out: dict[str, str] = {}
    for a in articles:
        own: dict[int, str] = {}
        for f in findings:
            for e in f.evidence:
                if e.article_id == a.id and presentable(e.text) and len(own) < per_article:
                    own.setdefault(e.start, e.text)
        best = sorted(own.items())
        out[a.id] = " ".join(t.strip() for _, t in best)
    return out
