"""What is far from what the rest of the corpus is about: whole articles, passages, asides.

A brief tells one story. An article on another story that was swept into the folder, a
parable in an opinion column, or a blogger's aside ("I am not a regular viewer...") can
score well on words of their own and crowd out what the other articles report. They are
found by comparing with the *other* articles, so nothing is judged by itself:

- **an article** whose content words are far from the centroid of the other articles';
- **a passage**: a run of sentences, in an article that is on the story, whose words are far
  from the other articles' centroid, when the typical passage is not;
- **an aside**: a sentence where the writer says "I", "me" or "my" outside quotation marks.
  News copy reports; when the writer speaks of himself, it is a column's or a blog's aside.

Off-topic articles are listed in the analyst brief; off-topic articles, passages and asides
are left out of what the engine writes from (`without_off_topic`).
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from briefgen.polarity import quoted_spans
from briefgen.schema import Article, Digest, Finding, OffTopicArticle, SourceRef
from briefgen.text import content_words, sentence_spans

# Thresholds are fractions of what is typical *in the corpus at hand*, so they carry over
# to stories of any vocabulary and any length; neither was fitted to a benchmark.
#
# An article is off-topic below a fifth of the median article's similarity to the rest. A
# round fraction: an article on the same story from another angle (a follow-up inquiry, a
# profile) keeps the story's names and terms, and on the corpora at hand (the sample, and
# MultiLing looked at only for this margin, not for ROUGE) the least similar own article
# stands at 0.23 of the median; an article on an unrelated story shares little more than the
# general words of news and falls below (56 of 110 articles moved into another corpus there).
# The others were neighbouring stories (a tsunami among articles on an earthquake, one
# bombing among articles on another): the rule leaves those in rather than risk the story.
ARTICLE_FRACTION = 0.2
# A passage is off-topic when each of at least three consecutive sentences, read with its
# neighbours, is below a tenth of the corpus' median passage similarity (or, at the edge of
# such a run, read alone shares no word at all with the other articles). Three: one or two
# sentences of detail (a quotation, a figure) are often worded apart from the rest; a
# digression worth the name runs longer. A tenth, half the articles' fraction: three
# sentences carry few words, so their similarity scatters more than an article's does, and a
# passage is left out only when it is nearly disjoint from the story.
PASSAGE_FRACTION = 0.1
PASSAGE_MIN_SENTENCES = 3
MIN_ARTICLES = 3  # with fewer, "the rest of the corpus" is a single article


@dataclass
class OffTopic:
    """Article id -> why it is off-topic; article id -> off-topic spans (start, end, why)."""

    articles: dict[str, str] = field(default_factory=dict)
    passages: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)

    def covers(self, article_id: str, start: int, end: int) -> bool:
        """Is article_id's text[start:end] off-topic (its article, or inside a passage)?"""
        if article_id in self.articles:
            return True
        return any(a <= start and end <= b for a, b, _ in self.passages.get(article_id, ()))


def find_off_topic(articles: list[Article]) -> OffTopic:
    """The articles, passages and asides of `articles` far from their common story."""
    out = OffTopic()
    spans = {a.id: sentence_spans(a.text) for a in articles}
    for a in articles:
        asides = [
            (s, e, "the writer's first-person aside") for s, e in _asides(a.text, spans[a.id])
        ]
        if asides:
            out.passages[a.id] = asides
    if len(articles) < MIN_ARTICLES:
        return out
    vectors = [_unit(Counter(content_words(a.text))) for a in articles]
    whole = _Corpus(vectors)
    similarity = [whole.similarity(v, v) for v in vectors]  # each against the rest
    typical = statistics.median(similarity)
    for a, sim in zip(articles, similarity):
        if sim < ARTICLE_FRACTION * typical:
            out.articles[a.id] = (
                f"its words share little with the other articles' (similarity {sim:.2f}, "
                f"typical article {typical:.2f})"
            )
    # Passages are judged against the articles on the story only.
    story = [(a, v) for a, v in zip(articles, vectors) if a.id not in out.articles]
    if len(story) < MIN_ARTICLES:
        return out
    corpus = _Corpus([v for _, v in story])
    sentence_words = {
        a.id: [Counter(content_words(a.text[s:e])) for s, e in spans[a.id]] for a, _ in story
    }
    windows = {a.id: corpus.windows(sentence_words[a.id], v) for a, v in story}
    floor = PASSAGE_FRACTION * statistics.median(x for w in windows.values() for x in w)
    for a, v in story:
        flags = [x < floor for x in windows[a.id]]
        if not any(flags):
            continue
        # A window reaches one sentence past a digression at each end; an edge sentence
        # belongs to it when, read alone, it shares not one word with the other articles.
        alone = corpus.windows(sentence_words[a.id], v, reach=0)
        grown = True
        while grown:
            grown = False
            for i, flag in enumerate(flags):
                near = (i > 0 and flags[i - 1]) or (i + 1 < len(flags) and flags[i + 1])
                if not flag and alone[i] == 0 and near:
                    flags[i] = grown = True
        for first, last in _runs(flags, PASSAGE_MIN_SENTENCES):
            start, end = spans[a.id][first][0], spans[a.id][last][1]
            out.passages.setdefault(a.id, []).append(
                (start, end, "a passage far from what the other articles are about")
            )
    return out


def without_off_topic(digest: Digest, off_topic: OffTopic | None) -> Digest:
    """The digest without findings that rest only on off-topic text.

    A finding that another, on-topic article also states stays; so does the digest itself,
    so that nothing citing the findings left out breaks.
    """
    if off_topic is None or not (off_topic.articles or off_topic.passages):
        return digest

    def off(f: Finding) -> bool:
        return all(off_topic.covers(e.article_id, e.start, e.end) for e in f.evidence)

    kept = [f for f in digest.findings if not off(f)]
    if len(kept) == len(digest.findings):
        return digest
    return digest.model_copy(update={"findings": kept})


def listed(off_topic: OffTopic | None, sources: list[SourceRef]) -> list[OffTopicArticle]:
    """The off-topic articles as the brief lists them: by source number, with the reason."""
    if off_topic is None:
        return []
    return [
        OffTopicArticle(citation=s.n, title=s.title, reason=off_topic.articles[s.article_id])
        for s in sources
        if s.article_id in off_topic.articles
    ]


def on_topic(articles: list[Article], off_topic: OffTopic | None) -> list[Article]:
    return [a for a in articles if off_topic is None or a.id not in off_topic.articles]


# ---------------------------------------------------------------- similarity


def _unit(counts: Counter[str]) -> dict[str, float]:
    # Unit length, so a long article does not pull the centroid its way.
    norm = math.sqrt(sum(v * v for v in counts.values())) or 1.0
    return {w: v / norm for w, v in counts.items()}


class _Corpus:
    """The sum of the articles' unit vectors; "the rest" of one article is that sum less its
    own vector, worked out term by term rather than copied for every article."""

    def __init__(self, vectors: list[dict[str, float]]) -> None:
        self.total: Counter[str] = Counter()
        for v in vectors:
            self.total.update(v)
        self.total_sq = sum(x * x for x in self.total.values())

    def _rest(self, own: dict[str, float]) -> tuple[dict[str, float], float]:
        """The rest's weights of the article's own words (all a window of it can hold), and
        the rest's norm: |total - own|^2 = |total|^2 - 2 total.own + |own|^2."""
        total = self.total
        sq = self.total_sq + sum(x * (x - 2 * total[w]) for w, x in own.items())
        return {w: total[w] - x for w, x in own.items()}, math.sqrt(max(sq, 0.0))

    def similarity(self, x: Mapping[str, float], own: dict[str, float]) -> float:
        """Cosine of `x` (words of the article `own`) with the corpus less that article."""
        return self._cosines([x], own)[0]

    def windows(
        self, sentences: list[Counter[str]], own: dict[str, float], reach: int = 1
    ) -> list[float]:
        """Each sentence read with `reach` neighbours either side, against the rest."""
        spans = []
        for i in range(len(sentences)):
            window: Counter[str] = Counter()
            for words in sentences[max(0, i - reach) : i + reach + 1]:
                window.update(words)
            spans.append(window)
        return self._cosines(spans, own)

    def _cosines(self, xs: list[Mapping[str, float]], own: dict[str, float]) -> list[float]:
        rest, rest_norm = self._rest(own)
        out = []
        for x in xs:
            dot = sum(n * rest.get(w, 0.0) for w, n in x.items())
            norm = math.sqrt(sum(n * n for n in x.values()))
            out.append(dot / (norm * rest_norm) if dot > 1e-12 and rest_norm else 0.0)
        return out


def _runs(flags: list[bool], min_length: int) -> list[tuple[int, int]]:
    """(first, last) index of each run of at least `min_length` consecutive True flags."""
    runs, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= min_length:
                runs.append((start, i - 1))
            start = None
    return runs


# ---------------------------------------------------------------- asides

# "I", "me", "my", "myself", "I'm", "I've", "I'd", "I'll".
# ("mine" is left out: "the Lovozero mine" is far commoner in news than the pronoun.)
_FIRST_PERSON = re.compile(r"(?<![\w'’])(?:I(?:['’](?:m|ve|d|ll))?|me|[Mm]y|[Mm]yself)(?![\w'’])")
# A roman numeral after a name ("Annex I nations", "World War I", "Phase I") is not the
# writer: a bare "I" right after a capitalised word that does not open the sentence.
_NAME_BEFORE = re.compile(r"(?<=\S)\s+[A-Z][\w'’-]*\s+$")


# The marks that open or close a double quotation; the mask is filled between them by
# slices, not character by character (a 50 MB article has 50 million characters).
_QUOTE_MARKS = re.compile('[“«”»"]')


def _quoted_mask(text: str) -> bytearray:
    """Which characters are inside a quotation (1) or not (0), line by line.

    A quotation over several paragraphs opens each with a mark and closes only the last, so
    an open quotation ends with its line; a line whose first closing mark comes before any
    opening one continues a quotation from the line before. The marks themselves count as
    inside. A bytearray, not a list of bools: one byte a character instead of eight.
    """
    mask = bytearray(len(text))
    pos, n = 0, len(text)
    while pos <= n:
        end = text.find("\n", pos)
        end = n if end == -1 else end
        first_close, first_open = text.find("”", pos, end), text.find("“", pos, end)
        inside = first_close != -1 and (first_open == -1 or first_close < first_open)
        filled = pos  # characters before this one are set
        for m in _QUOTE_MARKS.finditer(text, pos, end):
            k = m.start()
            if inside:
                mask[filled:k] = b"\x01" * (k - filled)
            ch = text[k]
            inside = ch in "“«" or (ch == '"' and not inside)  # else it closes one
            mask[k] = 1
            filled = k + 1
        if inside:
            mask[filled:end] = b"\x01" * (end - filled)
        for a, b, _ in quoted_spans(text[pos:end]):  # 'single quotes' and the other styles too
            mask[pos + a : pos + b] = b"\x01" * (b - a)
        pos = end + 1
    return mask


def _asides(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences in which the writer speaks in the first person, outside any quotation."""
    if not _FIRST_PERSON.search(text):
        return []
    mask = _quoted_mask(text)
    out = []
    for s, e in spans:
        for m in _FIRST_PERSON.finditer(text, s, e):
            numeral = m.group() == "I" and _NAME_BEFORE.search(text[s : m.start()])
            if not mask[m.start()] and not numeral:
                out.append((s, e))
                break
    return out
