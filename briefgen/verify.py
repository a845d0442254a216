"""Check a written brief against what it rests on, before anyone reads it.

A model writes the brief's prose, so nothing it says is taken on trust, citations included:
- citations are recomputed from the point's words (`rest_on`): a sentence verbatim in an
  article cites the findings that hold that sentence, all of them, with their true source
  count; other sentences cite the fewest findings that cover their words and pass the checks
  below. When these differ from the model's, the point's citations are replaced and the
  change counted (`Verification.corrected`);
- words it puts in quotation marks, in any quote style and of any length, must stand
  verbatim in a cited article; when the point names who said them, that must be the speaker
  of record (the digest's quotes, else the article's own attribution);
- every figure (in digits or words, with its scale and unit), date (vague ones too), negation
  and name it states must be in what it cites (facts.additions);
- what it says about its sources ("all five reports", "several outlets", "according to
  Reuters") must match its citations, their corroboration and the corpus;
- most of its content words must be in what it cites (MIN_SUPPORT): a point that says what
  no finding says, or that obeys an instruction hidden in an article, fails.
A point word for word in an article is checked like any other (it passes the content checks
against the findings holding it, and its citations are still recomputed). Article summaries
are checked against their own article; the headline against the findings its words rest on
(`Draft.headline_findings`), or the title it repeats. What fails is reported as a Problem:
the LLM engine re-asks once with the problems, then drops what still fails (`drop_failing`),
and the run report counts points verified, dropped and corrected.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from briefgen import dates, facts, injection
from briefgen.copies import independent_sources
from briefgen.ground import find_folded, quote_is_verbatim
from briefgen.schema import Article, Digest, Draft, DraftPoint, DraftSection, Finding
from briefgen.speakers import same_speaker, speaker_of
from briefgen.text import STOPWORDS, collapse_spaces, content_words, sentence_spans

# A point shares at least this share of its content words with what it cites. A paraphrase
# keeps most names and nouns; a point made up, or an instruction obeyed, keeps few.
MIN_SUPPORT = 0.4
MIN_WORDS_TO_WEIGH = 3
# A point rests on at most this many findings: a sentence joins two or three facts, and one
# citing more is a summary of the story, which no single sentence of evidence supports.
MAX_CITED = 3
# A further finding is cited only when it brings at least this many of the point's words
# that the ones before did not: one shared word ("China") is no sign a fact came from it.
MIN_NEW_WORDS = 2
# "several outlets": three or more, as dictionaries define "several" (more than two).
SEVERAL = 3


@dataclass
class Problem:
    where: str  # "bottom line 1", "key point 3", "section 'What next' point 2", ...
    text: str
    reason: str


@dataclass
class Verification:
    draft: Draft
    problems: list[Problem] = field(default_factory=list)
    verified: int = 0
    dropped: int = 0
    corrected: int = 0  # points whose citations were recomputed from their words
    index: _Index | None = field(default=None, repr=False)


# ---------------------------------------------------------------- reading the digest once


def sentence_key(text: str) -> str:
    """How sentences are compared for 'word for word': case, spacing, quote marks and the
    closing full stop do not count."""
    folded = collapse_spaces(text).casefold().translate(_QUOTE_FOLD)
    return folded.strip().rstrip(".!?;:,").strip("\"' ")


_QUOTE_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"', "„": '"'})


@functools.lru_cache(maxsize=256)
def _words(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


def _facts(found: Iterable[Finding]) -> str:
    found = list(found)
    return "\n".join([f.text for f in found] + [e.text for f in found for e in f.evidence])


class _Index:
    """The digest read once per verification: each finding's words, which findings state a
    sentence, the quotes with their speakers, the corpus's sources."""

    def __init__(self, digest: Digest, articles: list[Article]) -> None:
        self.findings = {f.id: f for f in digest.findings}
        self.order = {f.id: n for n, f in enumerate(digest.findings)}
        self.articles = {a.id: a for a in articles}
        self.quotes = digest.quotes
        self.n_articles = len(articles)
        self.independent = independent_sources([a.id for a in articles], digest.copies)
        self.words: dict[int, frozenset[str]] = {}
        self.by_word: dict[str, list[int]] = defaultdict(list)
        self.by_text: dict[str, list[int]] = defaultdict(list)  # a finding's own text
        self.by_evidence: dict[str, list[int]] = defaultdict(list)  # one of its sentences
        self.evidence_norm: dict[int, list[str]] = {}
        # Reprints make one sentence the evidence of a finding a hundred times over: each
        # distinct text is read once (issue 16: 10,000 articles).
        normed: dict[str, str] = {}
        for f in digest.findings:
            # The words of _facts([f]): words never span its line breaks, so they are the
            # union of each distinct sentence's words.
            texts = dict.fromkeys([f.text, *(e.text for e in f.evidence)])
            self.words[f.id] = frozenset().union(*map(_words, texts))
            for w in self.words[f.id]:
                self.by_word[w].append(f.id)
            self.by_text[sentence_key(f.text)].append(f.id)
            for e in f.evidence:
                if e.text not in normed:
                    normed[e.text] = sentence_key(e.text)
            self.evidence_norm[f.id] = [normed[e.text] for e in f.evidence]
            for key in self.evidence_norm[f.id]:
                self.by_evidence[key].append(f.id)
        self.sources = {a.id: (a.source or "").strip() for a in articles}
        self.flagged = digest.flagged

    def article_texts(self, found: Iterable[Finding]) -> list[str]:
        ids = dict.fromkeys(a for f in found for a in f.article_ids)
        return [self.articles[a].text for a in ids if a in self.articles]

    def holding(self, sentence: str) -> list[int]:
        """The findings a sentence is word for word: the findings whose own text it is, else
        those with it among their evidence sentences, else those with an evidence sentence
        that contains it."""
        key = sentence_key(sentence)
        if not key:
            return []
        if key in self.by_text:
            return list(self.by_text[key])
        if key in self.by_evidence:
            return list(self.by_evidence[key])
        words = _words(sentence)
        if len(words) < MIN_WORDS_TO_WEIGH:
            return []  # "China agreed." is part of too many sentences to say which
        rarest = min(words, key=lambda w: len(self.by_word.get(w, ())))
        return [
            i
            for i in self.by_word.get(rarest, ())
            if words <= self.words[i] and any(key in e for e in self.evidence_norm[i])
        ]


# ---------------------------------------------------------------- what a point rests on


def rest_on(
    point_text: str, digest: Digest, articles: list[Article], claimed_ids: Iterable[int] = ()
) -> list[int]:
    """The finding ids a point's words come from (see _rest_on); [] when nothing holds them."""
    return _rest_on(point_text, _Index(digest, articles), list(claimed_ids))


def _rest_on(text: str, idx: _Index, claimed: list[int]) -> list[int]:
    """Each sentence word for word in an article: the findings holding it (all of them, every
    article that states it). The rest: the fewest findings, the claimed ones first on a tie,
    that best cover its content words (each further one bringing MIN_NEW_WORDS new words),
    growing while the checks fail, up to MAX_CITED."""
    chosen: list[int] = []
    rest: list[str] = []
    for s, e in sentence_spans(text):
        held = idx.holding(text[s:e])
        if held:
            chosen += [i for i in held if i not in chosen]
        else:
            rest.append(text[s:e])
    if not rest:
        return chosen
    words = set(content_words(" ".join(rest)))
    for i in chosen:
        words -= idx.words[i]
    claimed_set = {i for i in claimed if i in idx.findings}
    overlap = Counter(i for w in words for i in idx.by_word.get(w, ()))

    def rank(i: int) -> tuple:
        # Most words covered; then the claimed; then the tightest (fewest words of its own,
        # so a sentence beats a cluster that merely contains it); then digest order.
        return (-overlap[i], i not in claimed_set, len(idx.words[i]), idx.order[i])

    first = True
    while overlap and len(chosen) < MAX_CITED:
        best = min(overlap, key=rank)
        if overlap[best] < (1 if first else MIN_NEW_WORDS):
            break
        chosen.append(best)
        first = False
        covered = idx.words[best] & words
        words -= covered
        overlap = Counter(i for w in words for i in idx.by_word.get(w, ()) if i not in chosen)
    return chosen


# ---------------------------------------------------------------- the checks


def check_text(
    text: str,
    facts_text: str,
    articles: Iterable[str],
    *,
    cited: list[Finding] | None = None,
    index: _Index | None = None,
) -> str | None:
    """Why `text` is not supported by `facts_text` (and its quotes by `articles`), or None.

    With the cited findings and the corpus index, quotations' speakers and statements
    about sources are checked too.
    """
    articles = list(articles)
    reason = _quotations(text, articles, index)
    if reason:
        return reason
    words = set(content_words(text))
    if len(words) >= MIN_WORDS_TO_WEIGH:
        supported = len(words & _words(facts_text)) / len(words)
        if supported < MIN_SUPPORT:
            return (
                f"only {supported:.0%} of its words are in the cited findings: it says "
                "things they do not"
            )
    checked_here = cited is not None and index is not None
    # What it says about its sources ("all five reports", "according to Reuters") is checked
    # against the citations below, not as a figure or a name of the story.
    added = (
        []
        if _whole_sentences_of(text, facts_text)
        else facts.additions(_without_source_talk(text) if checked_here else text, facts_text)
    )
    if added:
        return "; ".join(added)
    if checked_here:
        return _about_sources(text, cited, index, facts_text, articles)  # type: ignore[arg-type]
    return None


@functools.lru_cache(maxsize=256)
def _sentence_set(text: str) -> frozenset[str]:
    return frozenset(sentence_key(text[s:e]) for s, e in sentence_spans(text))


def _whole_sentences_of(text: str, facts_text: str) -> bool:
    """Every sentence of `text` is a whole sentence of `facts_text`: then it adds nothing to
    them by construction (a clause cut out of a sentence might drop its negation, so only
    whole sentences count)."""
    mine = [sentence_key(text[s:e]) for s, e in sentence_spans(text)]
    return bool(mine) and all(m in _sentence_set(facts_text) for m in mine)


def _verbatim(quote: str, article: str) -> bool:
    """The quoted words stand in the article as words: "truce" is not in "truces"."""
    if not quote_is_verbatim(quote, article):
        return False
    folded = sentence_key(quote)
    if not folded:
        return True
    pattern = (r"\b" if folded[0].isalnum() else "") + re.escape(folded)
    pattern += r"\b" if folded[-1].isalnum() else ""
    return re.search(pattern, _folded_article(article)) is not None


def _fold_char(ch: str) -> str:
    return ch.casefold().translate(_QUOTE_FOLD)


@functools.lru_cache(maxsize=256)
def _folded_article(article: str) -> str:
    return collapse_spaces(article).casefold().translate(_QUOTE_FOLD)


# "X: “...”" and "“...” — X": attributions the speaker rule of a sentence does not read; the
# name must open the sentence (or follow the dash) and be no date ("Tuesday") or function word.
_COLON_SPEAKER = re.compile(r"(?:^|[.!?]\s+)([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*:\s*$")
_DASH_SPEAKER = re.compile(r"^[\s,.]*[—–]\s*([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})")


def _claimed_speaker(text: str, start: int, end: int) -> str | None:
    """Who the point says spoke the quotation at text[start:end], or None."""
    who = speaker_of(text, start, end)
    if who:
        return who
    for m in (
        _COLON_SPEAKER.search(text[: max(0, start - 1)]),
        _DASH_SPEAKER.match(text[end + 1 :]),
    ):
        if m and not dates.find_dates(m.group(1)) and m.group(1).lower() not in STOPWORDS:
            return m.group(1)
    return None


def _speakers_of_record(quote: str, articles: list[str], index: _Index | None) -> set[str]:
    """Who the quotation is attributed to: the digest's merged quotes holding it, else each
    cited article's own attribution of it."""
    key = sentence_key(quote)
    found = set()
    if index is not None:
        for q in index.quotes:
            if q.speaker and (key in sentence_key(q.text) or sentence_key(q.text) in key):
                found.add(q.speaker)
    if found:
        return found
    for article in articles:
        # Offsets in the article itself: a paragraph break ("\n\n") folds to one space, so
        # offsets in the folded text would point a little before the quotation.
        at = find_folded(key, article, 0, len(article), _fold_char)
        if at is not None:
            who = speaker_of(article, *at)
            if who:
                found.add(who)
    return found


def _quotations(text: str, articles: list[str], index: _Index | None) -> str | None:
    for start, end, quoted in facts.quoted_spans(text):
        if not sentence_key(quoted):
            continue
        if not any(_verbatim(quoted, a) for a in articles):
            return f"the quotation “{quoted}” is not verbatim in a cited article"
        claimed = _claimed_speaker(text, start, end)
        if not claimed:
            continue
        record = _speakers_of_record(quoted, articles, index)
        if record and not any(same_speaker(claimed, r) for r in record):
            return f"the quotation “{quoted}” is {' or '.join(sorted(record))}'s, not {claimed}'s"
    return None


_SOURCE_NOUN = (
    r"(?:news\s+)?(?:reports?|articles?|outlets?|sources?|accounts?|stories|story|newspapers?"
    r"|papers?|publications?|media(?:\s+reports)?|agencies|wires?)"
)
_NUMBER_WORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_ALL = re.compile(rf"\ball\s+(?:(?P<n>{_NUMBER_WORD})\s+)?(?:of\s+the\s+)?{_SOURCE_NOUN}\b", re.I)
_BOTH = re.compile(rf"\bboth\s+(?:of\s+the\s+)?{_SOURCE_NOUN}\b", re.I)
_SEVERAL = re.compile(
    rf"\b(?P<w>several|many|numerous|various|multiple)\s+(?:\w+\s+)?{_SOURCE_NOUN}\b"
    r"|\bwidely\s+reported\b",
    re.I,
)
_MOST = re.compile(rf"\bmost\s+(?:of\s+the\s+)?{_SOURCE_NOUN}\b", re.I)
_COUNT = re.compile(
    rf"\b(?P<q>at\s+least\s+|more\s+than\s+|only\s+)?(?P<n>{_NUMBER_WORD}|a\s+single)"
    rf"\s+(?:\w+\s+)?{_SOURCE_NOUN}\b",
    re.I,
)
# "according to Reuters", "according to the commerce ministry": a name, else three words.
_ACCORDING = re.compile(
    r"\b[Aa]ccording\s+to\s+(?P<x>(?:the\s+)?[A-Z][\w'’.&-]*(?:\s+(?:of\s+)?[A-Z][\w'’.&-]*)*"
    r"|[\w'’-]+(?:\s+[\w'’-]+){0,2})"
)
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "one two three four five six seven eight nine ten eleven twelve".split(), 1
    )
}


def _without_source_talk(text: str) -> str:
    for pattern in (_ALL, _BOTH, _SEVERAL, _MOST, _COUNT, _ACCORDING):
        text = pattern.sub(" ", text)
    return text


def _number(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return 1 if word.startswith("a") else _WORD_NUMBERS[word]


def _about_sources(
    text: str, cited: list[Finding], idx: _Index, facts_text: str, articles: list[str]
) -> str | None:
    """What the point says about its sources, against its citations and the corpus. A
    phrase the cited evidence itself uses ("two sources familiar with the matter") is the
    article's words, not a claim about the brief's sources."""
    own = _folded_article(facts_text)
    n = min((f.corroboration for f in cited), default=0)

    def said(m: re.Match) -> bool:
        return sentence_key(m.group(0)) in own

    for m in _ALL.finditer(text):
        if said(m):
            continue
        want = _number(m.group("n")) if m.group("n") else None
        if want is not None and want not in (idx.n_articles, idx.independent):
            return f"says “{m.group(0)}” of a corpus of {idx.n_articles} articles"
        if n < max(2, idx.independent) or (want is not None and n < want):
            return f"says “{m.group(0)}” but {n} of {idx.independent} independent sources state it"
    for m in _BOTH.finditer(text):
        if not said(m) and n != 2:
            return f"says “{m.group(0)}” but {n} independent source(s) state it"
    for m in _SEVERAL.finditer(text):
        need = 2 if (m.group("w") or "").lower() == "multiple" else SEVERAL
        if not said(m) and n < need:
            return f"says “{m.group(0)}” but {n} independent source(s) state it"
    for m in _MOST.finditer(text):
        if not said(m) and n * 2 <= idx.independent:
            return f"says “{m.group(0)}” but {n} of {idx.independent} sources state it"
    for m in _COUNT.finditer(text):
        if said(m) or _ALL.search(text[max(0, m.start() - 4) : m.end()]):
            continue
        want, q = _number(m.group("n")), (m.group("q") or "").strip().lower()
        ok = n >= want if q in ("at least", "more than") else n == want
        if q == "more than":
            ok = n > want
        if not ok:
            return f"says “{m.group(0)}” but {n} independent source(s) state it"
    for m in _ACCORDING.finditer(text):
        who = m.group("x").strip()
        if not said(m) and not _attributed(who, cited, idx, articles):
            return f"says “according to {who}” but no cited article is {who}'s or cites {who}"
    return None


def _attributed(who: str, cited: list[Finding], idx: _Index, articles: list[str]) -> bool:
    """A cited article is the named source's, or its text names it."""
    key = sentence_key(re.sub(r"^(?:the|a|an)\s+", "", who, flags=re.I))
    ids = {a for f in cited for a in f.article_ids}
    for aid in ids:
        source = sentence_key(idx.sources.get(aid, ""))
        if source and (key in source or source in key):
            return True
    return any(key and key in _folded_article(a) for a in articles)


# ---------------------------------------------------------------- points


def check_point(
    point: DraftPoint, findings: dict[int, Finding], article_text: dict[str, str]
) -> tuple[DraftPoint, str | None]:
    """The point with unknown finding numbers removed, and why it fails against what it
    cites (its citations as given; verify_draft recomputes them)."""
    known = [i for i in dict.fromkeys(point.finding_ids) if i in findings]
    if not known:
        return point, "cites no finding in the list"
    cited = [findings[i] for i in known]
    texts = [article_text[a] for f in cited for a in dict.fromkeys(f.article_ids)]
    reason = check_text(point.text, _facts(cited), texts)
    return point.model_copy(update={"finding_ids": known}), reason


def _check(text: str, ids: list[int], idx: _Index) -> str | None:
    cited = [idx.findings[i] for i in ids]
    # Articles are data: a point that carries out what an article tells a model or reader
    # to say fails, whatever it cites (injection.py).
    obeys = injection.obeys_flagged(text, cited, idx.flagged) or injection.echoes_flagged(
        text, idx.flagged
    )
    if obeys:
        return obeys
    # The outlets of the cited articles are named by the corpus, not the findings: "experts
    # quoted by Reuters" names no one new when Reuters' article is cited.
    outlets = [idx.sources.get(a, "") for f in cited for a in f.article_ids]
    facts_text = "\n".join([_facts(cited), *dict.fromkeys(o for o in outlets if o)])
    return check_text(text, facts_text, idx.article_texts(cited), cited=cited, index=idx)


def _settle(text: str, claimed: list[int], idx: _Index) -> tuple[list[int], str | None]:
    """The findings a point rests on and why it fails, if it does. What its words come from
    is preferred; the model's own citations stand only when those fail and they pass."""
    known = [i for i in dict.fromkeys(claimed) if i in idx.findings]
    ids = _rest_on(text, idx, known)
    reason = _check(text, ids, idx) if ids else "nothing in the findings says this"
    if reason is None:
        return ids, None
    if known and set(known) != set(ids) and _check(text, known, idx) is None:
        return known, None
    if not known and not ids:
        return claimed, "cites no finding in the list"
    return (ids or known), (_check(text, known, idx) if known else reason)


def verify_draft(draft: Draft, digest: Digest, articles: list[Article]) -> Verification:
    """Every point checked and its citations recomputed; nothing dropped (drop_failing)."""
    idx = _Index(digest, articles)
    problems: list[Problem] = []
    verified = corrected = 0

    def points(where: str, items: list[DraftPoint]) -> list[DraftPoint]:
        nonlocal verified, corrected
        out = []
        for n, p in enumerate(items, start=1):
            ids, reason = _settle(p.text, p.finding_ids, idx)
            if reason:
                problems.append(Problem(f"{where} {n}", p.text, reason))
            else:
                verified += 1
                if list(dict.fromkeys(p.finding_ids)) != ids:
                    corrected += 1
            out.append(p.model_copy(update={"finding_ids": ids or p.finding_ids}))
        return out

    head_ids, head_reason = _headline(draft.headline, idx)
    if head_reason:
        problems.append(Problem("headline", draft.headline, head_reason))
    summaries = {}
    for aid, summary in draft.article_summaries.items():
        own = idx.articles[aid].text if aid in idx.articles else ""
        reason = check_text(summary, own, [own])
        if reason:
            problems.append(Problem(f"summary of article {aid}", summary, reason))
        summaries[aid] = summary
    checked = Draft(
        headline=draft.headline,
        bottom_line=points("bottom line", draft.bottom_line),
        key_points=points("key point", draft.key_points),
        sections=[
            DraftSection(heading=s.heading, points=points(f"section '{s.heading}' point", s.points))
            for s in draft.sections
        ],
        article_summaries=summaries,
        headline_findings=head_ids,
    )
    return Verification(
        draft=checked, problems=problems, verified=verified, corrected=corrected, index=idx
    )


def _headline(headline: str, idx: _Index) -> tuple[list[int], str | None]:
    """What the headline's words rest on, and why it fails. An article's title is its
    editors' words, a source too: repeated, it rests on that article's best-matching
    findings; otherwise it is checked like a point, against the findings it rests on and
    the titles sharing its words."""
    obeys = injection.headline_obeys_flagged(
        headline, list(idx.findings.values()), [a.title for a in idx.articles.values()], idx.flagged
    ) or injection.echoes_flagged(headline, idx.flagged)
    if obeys:
        return [], obeys
    key = sentence_key(headline)
    words = _words(headline)
    for a in idx.articles.values():
        if a.title and sentence_key(a.title) == key:
            mine = [f for f in idx.findings.values() if a.id in f.article_ids]
            best = sorted(mine, key=lambda f: (-len(words & idx.words[f.id]), idx.order[f.id]))
            return [f.id for f in best[:1] if words & idx.words[f.id]], None
    ids = _rest_on(headline, idx, [])
    titles = [a.title for a in idx.articles.values() if a.title and words & _words(a.title)]
    cited = [idx.findings[i] for i in ids]
    facts_text = "\n".join([_facts(cited), *titles])
    checked = _sentence_cased(headline, facts_text)
    reason = check_text(checked, facts_text, idx.article_texts(cited) + titles)
    return (ids if reason is None else []), reason


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _sentence_cased(headline: str, facts_text: str) -> str:
    """A Title Case headline ("US and China Reach Tentative Framework") with the words its
    facts hold in lower case ("reached a tentative framework") written so, so that only its
    names are checked as names: capitals are how headlines are set, not a sign of a name.
    A capitalised word its facts never write in lower case ("China", or a name the model
    made up) stays, and is checked as a name. A headline in sentence case is left as it is.
    """
    words = [m for m in _WORD.finditer(headline)][1:]  # the first is capitalised anyway
    long = [m for m in words if len(m.group(0)) >= 4]
    capitalised = [m for m in long if m.group(0)[0].isupper()]
    if len(capitalised) < 2 or len(capitalised) < 0.75 * len(long):
        return headline
    lower = {w for w in _WORD.findall(facts_text) if w[0].islower()}

    def common(word: str) -> bool:
        w = word.lower()
        # A form of it: "Reach" for "reached", "Talks" for "talk", "Agrees" for "agreed".
        stem = w[:-1] if w.endswith("s") and len(w) > 4 else w
        return any(f == w or (f.startswith(stem) and len(f) - len(stem) <= 3) for f in lower)

    out = list(headline)
    for m in words:
        word = m.group(0)
        if word[0].isupper() and not word.isupper() and common(word):
            out[m.start()] = word[0].lower()
    return "".join(out)


def drop_failing(verification: Verification, fallback_headline: Callable[[], str]) -> Verification:
    """The draft without the points that failed, and the count of what was dropped."""
    failed = {p.where for p in verification.problems}
    draft = verification.draft
    dropped = 0

    def keep(where: str, items: list[DraftPoint]) -> list[DraftPoint]:
        nonlocal dropped
        out = []
        for n, p in enumerate(items, start=1):
            if f"{where} {n}" in failed:
                dropped += 1
            else:
                out.append(p)
        return out

    summaries = {}
    for aid, text in draft.article_summaries.items():
        if f"summary of article {aid}" in failed:
            dropped += 1
        else:
            summaries[aid] = text
    sections = [
        DraftSection(heading=s.heading, points=kept)
        for s in draft.sections
        if (kept := keep(f"section '{s.heading}' point", s.points))
    ]
    headline, headline_findings = draft.headline, draft.headline_findings
    if "headline" in failed:
        headline = fallback_headline()
        idx = verification.index
        headline_findings = _headline(headline, idx)[0] if idx is not None else []
    cleaned = Draft(
        headline=headline,
        bottom_line=keep("bottom line", draft.bottom_line),
        key_points=keep("key point", draft.key_points),
        sections=sections,
        article_summaries=summaries,
        headline_findings=headline_findings,
    )
    return Verification(
        draft=cleaned,
        problems=verification.problems,
        verified=verification.verified,
        dropped=dropped,
        corrected=verification.corrected,
        index=verification.index,
    )
