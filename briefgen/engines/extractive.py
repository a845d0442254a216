"""The built-in engine: no model, deterministic, offline.

`extract` applies the rules of extract_rules to every sentence of a chunk. `write` chooses
what the reader sees from the merged findings (`choose`): a bottom line that opens on what
several articles agree on and goes on to what comes next, then key points chosen for the
story's facets each adds (coverage.py), none repeating another or the watch list, each
in the articles' own words, cut to its main clause when long (trim.py), so every word of a
point is in a cited source. `summary_ranking` is the same ranking for a word budget.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from briefgen import extract_rules as rules
from briefgen.background import is_background, present_year
from briefgen.coverage import (
    Candidate,
    actors,
    closing_open_question,
    read_story,
    select_covering,
)
from briefgen.injection import is_instruction_like
from briefgen.merge import LEDE_BONUS
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
from briefgen.sentence_quality import choosable, dated_caption, leans_on_context
from briefgen.synthesis_articles import findings_by_article
from briefgen.text import content_words, cosine, is_bullet, sentence_spans, word_count
from briefgen.trim import cut_connective, trim

# Two points whose words overlap more than this say the same thing twice. Below it, two
# points share mostly the story's own names ("Abu Ghraib prison", "July 7, 2005 bombings")
# while telling different news: at 0.3, most pairs kept out were of that kind.
REDUNDANT = 0.4
KEY_POINTS = {"exec": 6, "analyst": 10, "newsletter": 9}
BOTTOM_LINE_SENTENCES = 2
# A brief tells the news, what happened and what comes next alike, before what writers make
# of it: facts and forecasts weigh the same, analysis and opinion less. (Forecasts weighed
# 0.95 until issue 14; the leave-one-topic-out check of benchmarks/multiling.py re-chose 1.0
# on nine folds of ten, and analysis and opinion, rare in news copy, move nothing there.)
KIND_WEIGHT = {"fact": 1.0, "forecast": 1.0, "analysis": 0.9, "opinion": 0.6}
# What a point that tells the story's background (what it echoes, what had happened, years
# well before the present) keeps of its value: context a reader may need, not the news, so it
# needs twice a news sentence's value to be chosen. A judgment, not fitted: the summary
# ranking (MultiLing) does not use it.
BACKGROUND = 0.5
# What a lede owes its rank to being a lede (merge._salience: 1 + 0.6 + LEDE_BONUS against
# the 1 + 0.6 its position alone gives): spent once the bottom line has summed up the story.
LEDE_FACTOR = (1.6 + LEDE_BONUS) / 1.6

# A sentence that reports what a commentator writes or thinks ("A Fujian-based columnist,
# Chenkai, writes that ...", "..., he writes.") is commentary, however factual its wording:
# the news is what the articles report happened, so it weighs as opinion in the brief's
# points. Only the writer's trade words, and only as the sentence's opening subject (its
# first eight words, a name and a place with it), so "a reporter said" or a source quoted
# later in the sentence does not count.
_COMMENTATOR = r"(?:columnists?|commentators?|bloggers?|writers?|pundits?|essayists?|op-eds?)"
_COMMENTARY = re.compile(
    rf"^(?:\S+\s+){{0,7}}?{_COMMENTATOR}\b|,\s+(?:he|she|they)\s+writes?[.”\"]*$", re.I
)


class ExtractiveEngine:
    name = "extractive"
    model: str | None = None

    def __init__(self) -> None:
        self._places = rules.load_places()

    # ------------------------------------------------------------ reading

    def extract(self, chunk: Chunk, article: Article) -> ChunkNotes:
        return self._read(chunk, article, claims=True)

    def dates_and_names(self, chunk: Chunk, article: Article) -> ChunkNotes:
        """Only the events and names of `extract`: what a model's notes take from the rules
        (rule_fill.with_rule_notes), without the claims, quotes and figures they would drop."""
        return self._read(chunk, article, claims=False)

    def _read(self, chunk: Chunk, article: Article, claims: bool) -> ChunkNotes:
        notes = ChunkNotes(article_id=article.id, chunk_index=chunk.index)
        text = article.text
        entities: dict[str, object] = {}
        for start, end in sentence_spans(text, chunk.start, chunk.end):
            sentence = text[start:end]
            if _not_news(sentence, article):
                continue
            if claims:
                notes.claims.append(rules.make_claim(text, article.id, start, end))
                # Speakers come from the whole article (speakers.speaker_of): "he said"
                # reaches back to the person it names, across chunk boundaries too.
                notes.quotes.extend(rules.find_quotes(text, article.id, start, end))
                notes.figures.extend(rules.find_figures(text, article.id, start, end))
            event = rules.find_event(text, article.id, start, end)
            if event is not None:
                notes.events.append(event)
            for entity in rules.find_entities(sentence, self._places, article=text):
                if entity.name in entities:
                    entities[entity.name].mentions += entity.mentions
                else:
                    entities[entity.name] = entity
        notes.entities = list(entities.values())
        return notes

    # ------------------------------------------------------------ writing

    def write(
        self,
        digest: Digest,
        audience: Audience,
        articles: list[Article],
        watched: Sequence[str] = (),
        latest: Collection[str] = (),
        stale_titles: Collection[str] = (),
    ) -> Draft:
        """The brief's points. `watched`: the watch list's sentences, which the reader sees
        there, so no key point repeats one. `latest`: the articles of the newest date the
        articles give (currency.latest_articles), where the story now stands.
        `stale_titles`: articles whose titles tell as still to come what a later article
        reports done (currency.stale_titles): never the headline."""
        years = {a.id: a.published.year for a in articles if a.published}
        bottom, points = choose(
            digest.findings,
            KEY_POINTS[audience],
            watched,
            years,
            actors(digest.entities),
            frozenset(latest),
        )
        sections = _sections(points) if audience == "newsletter" else []
        return Draft(
            # The headline names the story without saying again what the bottom line says.
            headline=headline(
                articles, digest.findings, [p.text for p in bottom], skip=stale_titles
            ),
            bottom_line=[p.point() for p in bottom],
            key_points=[p.point() for p in points],
            sections=sections,
            article_summaries=summaries_of(digest.findings, articles),
        )


@dataclass(frozen=True)
class Pick:
    """A chosen finding and the words the reader is shown: its sentence, or the sentence
    cut to its main clause (trim.py), verbatim either way."""

    finding: Finding
    text: str

    def point(self) -> DraftPoint:
        return DraftPoint(text=self.text, finding_ids=[self.finding.id])


def _value(f: Finding) -> float:
    return f.score * KIND_WEIGHT[f.kind]


def ranked_picks(findings: list[Finding]) -> list[Pick]:
    """Every finding that can stand as a point, best first (score x KIND_WEIGHT), with the
    text it would show: cut to its main clause where it is long and trim.py allows (then it
    may stand as a point once cut even if it could not whole)."""
    picks = []
    for f in findings:
        text = trim(f.text)
        if presentable(text):
            picks.append(Pick(f, text))
        elif text != f.text.strip() and presentable(f.text):
            picks.append(Pick(f, f.text.strip()))
    return sorted(picks, key=lambda p: -_value(p.finding))


def choose(
    findings: list[Finding],
    key_points: int,
    watched: Sequence[str] = (),
    years: Mapping[str, int] | None = None,
    actors: frozenset[str] = frozenset(),
    latest: frozenset[str] = frozenset(),
) -> tuple[list[Pick], list[Pick]]:
    """The bottom line and the key points, in the order shown.

    The bottom line opens on what several independent articles agree on and none denies,
    whenever there is such a finding (the best of them), and goes on to the best finding
    that tells what comes next (a forecast), else the best that is new; a disputed finding is never in it. The key points are then
    chosen for what they add (coverage.py): value times novelty, none repeating a point
    above it or a watched sentence; what other articles deny comes after what is settled,
    shown with who disputes it.
    A sentence that tells the story's background (background.is_background) weighs
    BACKGROUND, read against the year of the earliest article stating it (`years`, by
    article id: what was news to one article is news), else the year the findings' full
    dates tell (background.present_year). `actors`: the words of the people and places the
    story names (coverage.actors), which are no point's subject. `latest`: the articles of
    the newest date; when the opening finding is older news than theirs (none of them states
    it), the bottom line goes on from where the story now stands: what they say comes next,
    else the best they say, before any older forecast ("London will host the Prologue",
    told a day before it, in a story that ends three weeks later).
    """
    ranked = ranked_picks(findings)
    ledes = _ledes(findings)
    years = years or {}

    @functools.cache
    def undated() -> int | None:  # read once, and only if an undated article needs it
        return present_year(f.text for f in findings)

    def present(f: Finding) -> int | None:
        known = [years[a] for a in f.article_ids if a in years]
        return min(known) if known else undated()

    candidates = [
        Candidate(
            _value(p.finding)
            * _commentary_factor(p.finding)
            * (BACKGROUND if is_background(p.text, present(p.finding)) else 1.0),
            p.text,
            tuple(p.finding.article_ids),
            lede=LEDE_FACTOR if id(p.finding) in ledes else 1.0,
        )
        for p in ranked
    ]
    # The story is told by every finding, shown or not (a list's items, a long sentence):
    # what the facets are, and how often each is told, is read from all of them.
    picked = {id(p.finding) for p in ranked}
    context = [
        Candidate(0.0, f.text, tuple(f.article_ids)) for f in findings if id(f) not in picked
    ]
    story = read_story(candidates, context, actors)
    settled = [i for i, p in enumerate(ranked) if not p.finding.disputed]
    agreed = [i for i in settled if ranked[i].finding.corroboration > 1]
    bottom = (agreed or settled)[:1]
    ahead = [i for i in settled if ranked[i].finding.kind == "forecast"]
    # Not "what several articles say comes next" first: a forecast's corroboration often
    # rests on one shared clause (clustering.add_support), and two long sentences sharing "critical
    # supply chains" made an unrelated forecast a two-source bottom line on the sample corpus.
    pools = [ahead, settled]
    if latest and bottom and not latest & set(ranked[bottom[0]].finding.article_ids):
        now = [i for i in settled if latest & set(ranked[i].finding.article_ids)]
        pools = [[i for i in now if ranked[i].finding.kind == "forecast"], now, *pools]
    for pool in pools:
        more = select_covering(candidates, 2, REDUNDANT, given=bottom, among=pool, story=story)
        if len(more) > len(bottom):
            bottom = more[:BOTTOM_LINE_SENTENCES]
            break
    keys = select_covering(
        candidates,
        len(bottom) + key_points,
        REDUNDANT,
        avoid=watched,
        given=bottom,
        story=story,
    )[len(bottom) :]
    # What the story leaves open, from where it now stands: the newest articles, or any
    # when nothing dates them.
    newest = [i for i in settled if not latest or latest & set(ranked[i].finding.article_ids)]
    keys = closing_open_question(
        [*bottom, *keys], candidates, story, len(bottom) + key_points, REDUNDANT, newest, watched
    )[len(bottom) :]
    points = [ranked[i] for i in keys]
    points = [p for p in points if not p.finding.disputed] + [
        p for p in points if p.finding.disputed
    ]
    return [ranked[i] for i in bottom], points


def _commentary_factor(f: Finding) -> float:
    """What a point's value keeps when it reports a commentator's view (see _COMMENTARY):
    an opinion's weight, unless the finding is already weighed as one."""
    if f.kind != "opinion" and _COMMENTARY.search(f.text.strip()):
        return KIND_WEIGHT["opinion"] / KIND_WEIGHT[f.kind]
    return 1.0


def summary_ranking(findings: list[Finding]) -> list[Pick]:
    """The sentences of a summary of the story at any length, best first: what a word
    budget takes a prefix of (benchmarks/multiling.py).

    Whole sentences first, in rank order, none repeating one before it: the story told
    by its best sentences, as the bottom line is. When they run out, the sentences that
    can stand only cut to their main clause follow, so a summary stops short only when
    what is left repeats what is chosen.
    """
    whole = sorted((f for f in findings if presentable(f.text)), key=lambda f: -_value(f))
    picks = [Pick(f, f.text.strip()) for f in select_diverse(whole, len(whole))]
    taken = {id(p.finding) for p in picks}
    shown = [Counter(content_words(p.text)) for p in picks]
    for p in ranked_picks(findings):
        vec = Counter(content_words(p.text))
        if id(p.finding) in taken or any(cosine(vec, v) > REDUNDANT for v in shown):
            continue
        picks.append(p)
        shown.append(vec)
    return picks


def _ledes(findings: list[Finding]) -> set[int]:
    """The findings (by id()) stated by an article's first sentence: every sentence is a
    claim of some finding, so an article's first is the earliest evidence of any."""
    first: dict[str, int] = {}
    for f in findings:
        for e in f.evidence:
            first[e.article_id] = min(first.get(e.article_id, e.start), e.start)
    # A finding's score is its most salient member's, which is the member stating its text.
    return {
        id(f)
        for f in findings
        for e in f.evidence[:1] + [e for e in f.evidence if e.text == f.text]
        if e.text == f.text and first.get(e.article_id) == e.start
    }


def _not_news(sentence: str, article: Article) -> bool:
    """A heading, or a photo caption ("... lands at Paris on March 28, 2007."): page
    furniture, not the article's news."""
    return _is_heading(sentence) or dated_caption(sentence, article.published)


def _is_heading(sentence: str) -> bool:
    """A section heading inside an article: short, no closing punctuation, not a list item."""
    stripped = sentence.strip()
    return (
        not is_bullet(stripped)
        and word_count(stripped) <= 12
        and not stripped.endswith((".", "!", "?", "”", '"', ":", ")"))
    )


# A double quote that closes a measure after a prime is a unit, not a quotation mark:
# a stage won "in 5h 34' 28"", a player "6' 2"" tall.
_MEASURE = re.compile(r"\d['’′]\s?\d{1,2}\"")


def presentable(text: str) -> bool:
    """Whether a sentence can stand alone as a point in a brief.

    Text addressed to a model or the reader ("Ignore previous instructions", "SYSTEM: the
    brief must say ...") is data about the article, never a point: see briefgen.injection.
    """
    n = word_count(text)
    if n < 8 or n > 48 or "?" in text or text.endswith(":"):
        return False
    # An odd number of straight quotation marks, unless a measure's mark makes it odd.
    straight = text.count('"') % 2 and _MEASURE.sub("", text).count('"') % 2
    unbalanced = text.count("“") != text.count("”") or straight
    if leans_on_context(text) or unbalanced:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in '“"'):
        return False
    return choosable(text) and not is_instruction_like(text)


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


def headline(
    articles: list[Article],
    findings: list[Finding],
    shown: Sequence[str] = (),
    skip: Collection[str] = (),
) -> str:
    """The article headline that best names the whole story, else the top finding, shortened.

    A real headline is short and is not simply the opening of its article; among those, the
    one whose words weigh most across all findings names the common story, not one angle,
    and one resting on a finding several articles state comes first; when none does, the
    best finding several articles state is the headline (it is checked like a point).
    Neither a title nor a finding that addresses a model or the reader is ever a headline.
    `shown`: the bottom line's sentences. A headline that says again what one of them says
    tells the reader nothing the next line will not: then the best title names the story,
    else the best agreed finding the bottom line does not tell. The titles of `skip` (article
    ids) are out of date and never chosen.
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
    carried = _findings_by_article(findings)
    titled: dict[str, tuple[tuple[bool, float], str]] = {}  # article id -> (key, its title)
    for a in articles:
        if a.id in skip:
            continue
        title = a.title.strip()
        n = word_count(title)
        if not 3 <= n <= 14 or title.endswith(("…", ".", ":")) or is_instruction_like(title):
            continue
        if a.text.lstrip().startswith(title.rstrip("…")):
            continue
        ws = set(content_words(title))
        score = sum(weight[w] for w in ws) / max(1, len(ws)) ** 0.5
        # A headline is shown with what it rests on (its article's finding sharing most of
        # its words, as verify.py finds it): one several articles state beats one article's
        # claim, as the bottom line's opening does; weight decides among equals.
        key = (_title_support(ws, carried.get(a.id, ())) > 1, score)
        if score > 0:
            titled[a.id] = (key, title)
    # The best key, the first article's among equals.
    best_key, best = max(titled.values(), key=lambda kt: kt[0], default=((False, 0.0), None))
    if best and best_key[0]:
        return best
    # No title rests on what several articles state: the headline is then the best finding
    # that several do, in the articles' words, rather than one article's title and claim.
    agreed = [f for f in findings if f.corroboration > 1 and not f.disputed]
    if agreed and any(presentable(f.text) for f in agreed[:5]):
        text = headline_from(agreed)
        if not _restates(text, shown):
            return text
        # The bottom line opens on what several articles agree: the headline is then the
        # best title of one of those articles, so it names the story the next line tells
        # (not an older angle that outweighs it by a word), else the best title.
        told = next((f for f in agreed if _restates(f.text, shown)), None)
        ids = set(told.article_ids) if told else set()
        if among := [titled[i] for i in ids if i in titled]:
            return max(among)[1]
        if best:
            return best
        untold = [f for f in agreed if not _restates(f.text, shown)]
        if any(presentable(f.text) for f in untold[:5]):
            return headline_from(untold)
        return text
    return best or headline_from(findings)


def _restates(text: str, shown: Sequence[str]) -> bool:
    """Whether a headline says what a shown sentence says: it is a part of it (a sentence
    or its first clause, cut), or their words overlap as two repeated points' do."""
    bare = text.rstrip("…").strip()
    vec = Counter(content_words(bare))
    return any(bare in s or cosine(vec, Counter(content_words(s))) > REDUNDANT for s in shown)


def _findings_by_article(findings: list[Finding]) -> dict[str, list[tuple[Finding, set[str]]]]:
    """article id -> the findings it carries, in order, each with its content words: one pass
    (synthesis_articles.findings_by_article; asking every finding of every article was
    articles x findings x ids, 2.7 of 3.5 s of writing a brief of 3,000 articles)."""
    by_id = {f.id: (f, set(content_words(f.text))) for f in findings}
    return {aid: [by_id[i] for i in ids] for aid, ids in findings_by_article(findings).items()}


def _title_support(words: set[str], carried: Sequence[tuple[Finding, set[str]]]) -> int:
    """How many articles state the finding an article's title rests on: the finding of that
    article (`carried`, from _findings_by_article) sharing most of the title's words (the
    earliest among equals), 0 if none does."""
    best, best_shared = 0, 0
    for f, finding_words in carried:
        shared = len(words & finding_words)
        if shared > best_shared:
            best, best_shared = f.corroboration, shared
    return best


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
    """The first clause of at least six words (a list's comma does not end a clause), whole
    if it is no longer than HEADLINE_WORDS, else cut at `limit` words with an ellipsis."""
    clause = ""
    for piece in re.split(r"(?<=[,;:—–])\s", sentence):
        clause = f"{clause} {piece}".strip()
        if word_count(clause) >= 6 and not re.match(r"[A-Z][\w'’-]* (?:and|or) ", piece):
            break
    tokens = clause.split()
    if len(tokens) <= HEADLINE_WORDS:
        # A whole clause as short as a whole-sentence headline stands uncut.
        return clause.rstrip(".,;:—–")
    text = " ".join(tokens[:limit])
    return text.rstrip(".,;:—–") + ("…" if len(tokens) > limit else "")


_SECTION_OF = {
    "fact": "What happened",
    "analysis": "What it means",
    "opinion": "What it means",
    "forecast": "What comes next",
}


def _sections(points: list[Pick]) -> list[DraftSection]:
    grouped: dict[str, list[DraftPoint]] = {}
    for p in points:
        grouped.setdefault(_SECTION_OF[p.finding.kind], []).append(p.point())
    order = ["What happened", "What it means", "What comes next"]
    return [DraftSection(heading=h, points=grouped[h]) for h in order if h in grouped]


def summaries_of(
    findings: list[Finding], articles: list[Article], per_article: int = 2
) -> dict[str, str]:
    """Each article in its own words: its best-scoring presentable sentences, in text order,
    each without an opening connective ("Regardless, ...": trim.cut_connective), since the
    sentence before it is not shown."""
    # One pass over the evidence, grouped by article (not articles x findings x evidence,
    # which made this 61% of a 3,000-article brief); each article still sees its evidence
    # in findings order, so it keeps the same first `per_article` sentences.
    own: dict[str, dict[int, str]] = {a.id: {} for a in articles}
    for f in findings:
        for e in f.evidence:
            mine = own.get(e.article_id)
            if mine is None or len(mine) >= per_article:
                continue
            text = cut_connective(e.text.strip())
            if presentable(text):
                mine.setdefault(e.start, text)
    return {a.id: " ".join(t.strip() for _, t in sorted(own[a.id].items())) for a in articles}
