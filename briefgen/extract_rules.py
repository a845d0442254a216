"""Rules that read notes out of a chunk with no model: claims, quotes, figures, events, entities.

Each function takes the article text and the offsets of one sentence and returns schema
objects whose evidence is the sentence itself, so every note is grounded by construction
(`Span.alignment == "exact"`). The rules are general English news conventions (speech verbs,
number formats, modal verbs, capitalised names), not facts about any one corpus.
"""

from __future__ import annotations

import bisect
import re

from briefgen import dated_future, dates, entities, speakers
from briefgen.schema import (
    Claim,
    ClaimKind,
    Event,
    EventStatus,
    Figure,
    Quote,
    Span,
)
from briefgen.text import (
    collapse_spaces,
    holds_any,
    line_end,
    line_start,
    sentence_spans,
    strip_bullet,
    words,
)

# ---------------------------------------------------------------- claims

_OPINION = re.compile(
    r"\b(we|i) (believe|think|expect|doubt|feel|suspect|argue|view)\b|\bin (my|our) view\b|"
    r"\bwe do not expect\b|\bwe don't expect\b|\bas we have been predicting\b",
    re.I,
)
_FORECAST = re.compile(
    r"\b(will|won't|would|could|may|might|likely|unlikely|expected|expects|expect|set to|"
    r"is to|are to|plans? to|poised|on track|forecasts?|predicts?|predicted|anticipated?|"
    r"going to|should)\b",
    re.I,
)
_ANALYSIS = re.compile(
    r"\b(suggests?|signals?|signalling|signaling|indicates?|implies|imply|reflects?|underscores?|"
    r"highlights?|demonstrates?|means|appears?|seems?|analysts?|experts? say|represents?|"
    r"interpreted as|a sign of|shows? that)\b",
    re.I,
)


# "announced plans to", "its plans to", "than expected": the cue names a plan or compares,
# it does not say what will happen.
_NOT_A_FORECAST_BEFORE = frozenset(
    "announced unveiled outlined revealed shelved dropped scrapped its their his her our the "
    "new of than".split()
)


def _is_forecast_cue(text: str, m: re.Match[str]) -> bool:
    before = text[: m.start()].rsplit(None, 1)  # the word before the cue, split off alone
    if not before or before[-1].lower().strip(",;:") not in _NOT_A_FORECAST_BEFORE:
        return True
    return m.group(1).lower() not in {"plan to", "plans to", "expected"}


# Words one of which every match of each pattern above holds ("may" as the word it is, not
# the letters of "Mayor"): most sentences hold none of a pattern's, and are passed over
# without its search.
_OPINION_STEMS = (
    "believe", "think", "expect", "doubt", "feel", "suspect", "argue", "view", "predicting",
)  # fmt: skip
_FORECAST_STEMS = (
    "will", "won't", "would", "could", "might", "likely", "expect", "set to", "is to", "are to",
    "plan", "poised", "on track", "forecast", "predict", "anticipate", "going to", "should",
)  # fmt: skip
_MAY = re.compile(r"\bmay", re.I)
_ANALYSIS_STEMS = (
    "suggest", "signal", "indicate", "impl", "reflect", "underscore", "highlight",
    "demonstrate", "means", "appear", "seem", "analyst", "expert", "represent",
    "interpreted as", "a sign of", "show",
)  # fmt: skip


def claim_kind(sentence: str) -> ClaimKind:
    """Fact, analysis, forecast or opinion, judged from the words outside any quotation."""
    bare = _QUOTE.sub(" ", sentence) if "“" in sentence or '"' in sentence else sentence
    if holds_any(bare, _OPINION_STEMS) and _OPINION.search(bare):
        return "opinion"
    if (holds_any(bare, _FORECAST_STEMS) or _MAY.search(bare)) and any(
        _is_forecast_cue(bare, m) for m in _FORECAST.finditer(bare)
    ):
        return "forecast"
    if holds_any(bare, _ANALYSIS_STEMS) and _ANALYSIS.search(bare):
        return "analysis"
    return "fact"


# "TEXAS, US – ", "BEIJING (Reuters) - ": where the story was filed, not part of what it says.
# No "^": make_claim matches at the sentence's own start, where "^" would hold only at the
# text's first character (a dateline opening a later paragraph was kept).
_CLAIM_DATELINE = re.compile(
    r"\s*[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}(?:,\s*[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,2})?"
    r"(?:\s*\([^)]{1,40}\))?\s+[-—–]+\s+(?=[A-Z0-9“\"])"
)


def make_claim(text: str, article_id: str, start: int, end: int) -> Claim:
    if m := _CLAIM_DATELINE.match(text, start, end):
        start = m.end()  # the claim is the rest: still a verbatim span of the article
    sentence = text[start:end]
    return Claim(
        text=collapse_spaces(strip_bullet(sentence))[:600],
        kind=claim_kind(sentence),
        evidence=sentence,
        span=Span(article_id=article_id, start=start, end=end),
    )


# ---------------------------------------------------------------- quotes

_QUOTE = re.compile(r"“([^”]{2,}?)”|\"([^\"]{2,}?)\"")


def find_quotes(text: str, article_id: str, start: int, end: int) -> list[Quote]:
    """Quotations that open in the sentence text[start:end], with their speakers.

    A quotation may run on into later sentences of its paragraph; its evidence is then every
    sentence it spans. The speaker is whoever the article attributes it to
    (`speakers.speaker_of`), or None when the article does not say.
    """
    opens, closes = line_start(text, start), line_end(text, end)
    quotes = []
    # The quotations opening in this sentence, found by bisection in its line's (which come
    # in text order): a line of megabytes is not walked again for each of its sentences.
    in_line = speakers.quotations(text, opens, closes)
    first = bisect.bisect_left(in_line, start + 1, key=lambda q: q[0])
    last = bisect.bisect_left(in_line, end + 1, key=lambda q: q[0])
    for qs, qe in in_line[first:last]:
        inner = text[qs:qe].strip().rstrip(",")
        n_words = len(words(inner))
        speaker = attribute_speaker(text, qs, qe)
        # Scare quotes ("Liberation Day") are names, not statements: keep short ones only
        # when someone is said to have spoken them.
        if n_words < 4 and not (n_words >= 2 and speaker):
            continue
        stop = end
        if qe >= end:  # the sentence the quotation closes in ends the evidence
            stop = next((e for s, e in _sentences_after(text, end, closes, qe)), closes)
        quotes.append(
            Quote(
                text=inner,
                speaker=speaker,
                evidence=text[start:stop],
                span=Span(article_id=article_id, start=start, end=stop),
            )
        )
    return quotes


def _sentences_after(text: str, end: int, closes: int, at: int) -> list[tuple[int, int]]:
    """sentence_spans(text, end, closes) that end after `at` (>= end): taken from the
    line's sentences, split once (text.sentence_spans keeps them), when `end` ends one of
    them, as the end of a sentence does; split again only when it does not."""
    line = sentence_spans(text, line_start(text, end), closes)
    across = bisect.bisect_right(line, end, key=lambda span: span[1])
    if across < len(line) and line[across][0] < end:  # `end` cuts a sentence of the line
        return [(s, e) for s, e in sentence_spans(text, end, closes) if e > at]
    return line[bisect.bisect_right(line, at, key=lambda span: span[1]) :]


def attribute_speaker(text: str, quote_start: int, quote_end: int) -> str | None:
    """Who the article attributes the quotation text[quote_start:quote_end] to, or None."""
    return speakers.speaker_of(text, quote_start, quote_end)


# ---------------------------------------------------------------- figures

_MULTIPLIERS = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_DIGIT = re.compile(r"\d")
# Every figure opens on "U" (of "US$"), "$" or a digit: asked first, that turns most places
# of a sentence away at once, where each of the three forms would be tried.
_FIGURE_OPENERS = r"(?=[U$\d])"
_FIGURE = re.compile(
    _FIGURE_OPENERS
    + rf"(?:(?P<money>(?:US|U\.S\.)?\$\s?(?P<mnum>{_NUM})(?:\s?(?P<mmul>trillion|billion|million|thousand|bn|tn|mn|[kmb])\b)?)"
    rf"|(?P<pct>(?P<pnum>{_NUM})\s?(?:%|percent\b|per cent\b))"
    rf"|(?P<qty>(?P<qnum>{_NUM})(?:\s(?P<qmul>trillion|billion|million|thousand))?\s"
    r"(?P<qunit>(?:metric\s)?tons|tonnes|barrels|cargoes|people|deaths|dollars|euros|yuan|vehicles|"
    r"jobs|workers|troops|soldiers|votes|members|companies|firms|homes|units|[A-Z]\.?S\.?\sdollars)))",
)


def find_figures(text: str, article_id: str, start: int, end: int) -> list[Figure]:
    sentence = text[start:end]
    if not _DIGIT.search(sentence):
        return []  # every form of _FIGURE has a number in digits; most sentences have none
    figures = []
    for m in _FIGURE.finditer(sentence):
        if m.group("money"):
            number, unit = _number(m.group("mnum"), m.group("mmul")), "USD"
        elif m.group("pct"):
            number, unit = _number(m.group("pnum"), None), "percent"
        else:
            unit = m.group("qunit").lower().replace("metric ", "")
            if unit in {"u.s. dollars", "us dollars", "dollars"}:
                unit = "USD"
            number = _number(m.group("qnum"), m.group("qmul"))
        figures.append(
            Figure(
                value=m.group(0).strip(),
                number=number,
                unit=unit,
                about=_context_words(sentence, m.start(), m.end()),
                evidence=sentence,
                span=Span(article_id=article_id, start=start, end=end),
            )
        )
    return figures


def _number(digits: str, multiplier: str | None) -> float:
    value = float(digits.replace(",", ""))
    return value * _MULTIPLIERS.get((multiplier or "").lower(), 1.0)


def _context_words(sentence: str, start: int, end: int, width: int = 4) -> str:
    """A few content words on each side of the figure: what it is a figure of."""
    from briefgen.text import content_words

    before = content_words(sentence[:start])[-width:]
    after = content_words(sentence[end:])[:width]
    return " ".join(before + after)


# ---------------------------------------------------------------- dated events

_STATUS_RULES: list[tuple[EventStatus, re.Pattern[str]]] = [
    (
        "deadline",
        re.compile(
            r"\b(deadlines?|due by|no later than|expires?|expiry|effective|takes? effect|ultimatum|cut-?off)\b",
            re.I,
        ),
    ),
    (
        "possible",
        re.compile(
            r"\b(could|may|might|if|unless|risk|risks|threat|threatens?|threatened|possible|possibly|potential|contingent|tentative)\b",
            re.I,
        ),
    ),
    (
        "scheduled",
        re.compile(
            r"\b(set to|scheduled|slated|due to|is to|are to|(?:will|to) be held|will take place|will (?:meet|hold|visit|travel|attend|sign|host|vote|begin|start|open|resume)|summit|meeting|planned|plans? to)\b",
            re.I,
        ),
    ),
    (
        "expected",
        re.compile(
            r"\b(expected|expects?|likely|anticipated?|poised|on track|predicted|forecast|will|would|should|to resume|pending)\b",
            re.I,
        ),
    ),
]


# Words one of which every match of _STATUS_RULES holds, rule by rule; the short cues ("if",
# "may", "cut-off") are looked for as the words they are (_SHORT_STATUS), since as letters
# they stand inside "different", "Mayor", "office". More than half of MultiLing's sentences
# (54%) hold neither: no status can be found in them, so their dates are not read.
_STATUS_STEMS = (
    "deadline", "due by", "no later than", "expir", "effect", "ultimatum",
    "could", "might", "unless", "risk", "threat", "possib", "potential", "contingent",
    "tentative",
    "set to", "schedul", "slated", "due to", "is to", "are to", "be held", "will", "summit",
    "meeting", "plan",
    "expect", "likely", "anticipate", "poised", "on track", "predicted", "forecast", "would",
    "should", "to resume", "pending",
)  # fmt: skip
# The rules' "\b(...)\b" without the closing \b: what a rule finds in a window of the
# sentence that ends inside a word ("if" of "ifs", see _nearest_status) is found here too.
_SHORT_STATUS = re.compile(r"\b(?:if|may|cut-?off)", re.I)


def _may_have_status(sentence: str) -> bool:
    """False only when neither _nearest_status nor event_status can find a status in the
    sentence. A quotation is blanked by event_status, which may join the words either side
    of it ("set" and "to"): a sentence with a quotation mark may always have one."""
    return (
        "“" in sentence
        or '"' in sentence
        or holds_any(sentence, _STATUS_STEMS)
        or bool(_SHORT_STATUS.search(sentence))
    )


def event_status(sentence: str) -> EventStatus | None:
    """The kind of forward-looking event a sentence describes, or None when it looks back."""
    bare = _QUOTE.sub(lambda m: m.group(0) if _FORECAST.search(m.group(0)) else " ", sentence)
    for status, pattern in _STATUS_RULES:
        if pattern.search(bare):
            return status
    return None


def _nearest_status(sentence: str, start: int, end: int, width: int = 60) -> EventStatus | None:
    """The status whose cue stands closest to the date, within `width` characters of it
    and not across ; or : or a dash."""
    lo = max(0, start - width)
    hi = min(len(sentence), end + width)
    for m in re.finditer(r"[;:—–]", sentence):
        if m.end() <= start:
            lo = max(lo, m.end())
        elif m.start() >= end:
            hi = min(hi, m.start())
            break
    best: tuple[int, int, EventStatus] | None = None
    for rank, (status, pattern) in enumerate(_STATUS_RULES):
        for m in pattern.finditer(sentence, lo, hi):
            # The verb that governs a date usually comes before it ("set to meet on ..."), so
            # a cue after the date counts as farther than it stands.
            distance = start - m.end() if m.end() <= start else 15 + m.start() - end
            if best is None or (distance, rank) < best[:2]:
                best = (distance, rank, status)
    return best[2] if best else None


# "said on Tuesday", "announced last Friday": the date of something done, not to come.
# Not after "be" or "being": "before being finalized Friday", "to be signed on" tell what
# is to come in the passive.
_PAST_ACT = re.compile(
    r"(?<!\bbe )(?<!being )"
    r"\b(?!(?:scheduled|expected|planned|slated|proposed|delayed|postponed|extended)\b)"
    r"(?:\w+ed|said|told|met|began|spoke|wrote|made|took|held|sent|won|lost|left)"
    r"\s+(?:on|in|at|last|this|early|earlier)?\s*$",
    re.I,
)
# "the worst disaster since the November 2001 crash": a date after "since" dates the past.
_SINCE = re.compile(r"\bsince\s+(?:the\s+|early\s+|late\s+)?$", re.I)
# '"...," reported El Rancagüino, the region's newspaper, on February 28': a date in the
# attribution after a quotation dates the report, whatever the quoted words foresee.
_ATTRIBUTION = re.compile(
    r"[”\"]\s*(?:\w+\s+){0,3}?(?:said|reported|told|wrote|added|stated|announced)\b[^“”\"]*$",
    re.I,
)
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]{1,40}(?:\([^)]*\))?,\s[^-—–]{3,40}?\s[-—–]+\s")


# A plan told from after its time ("the flight was scheduled to arrive"), or what would
# have been ("would have waited until 2006"): nothing to watch.
_TOLD_AFTER = re.compile(
    r"\b(?:was|were|had\s+been)\s+(?:due|scheduled|set|slated|expected|planned)\s+to\b"
    r"|\b(?:would|could|might)\s+have\b",
    re.I,
)

# Words one of which every match of _TOLD_AFTER holds (its verbs, and "have").
_TOLD_AFTER_STEMS = ("due", "schedul", "set", "slated", "expect", "plan", "have")

_DATE_KIND_RANK = {"full": 0, "month_day": 1, "weekday": 2, "period": 3, "relative": 4, "year": 5}


def find_event(text: str, article_id: str, start: int, end: int) -> Event | None:
    """An upcoming event, deadline or trigger in the sentence, with its date as written."""
    sentence = text[start:end]
    # "NORTHPORT, Oct. 21, 2025 - Mayor ..." : a dateline dates the article, not an event.
    dateline = _DATELINE.match(sentence)
    # A cue of the dated future ("is due on", "will be reviewed on", "votes on 14 November")
    # governs the date after it, whatever past-looking words the sentence also has.
    cued = [
        d for d in dated_future.find(sentence) if not dateline or d.mention.start >= dateline.end()
    ]
    ahead = [d for d in cued if not d.past and not dates.looks_back(d.mention.text)]
    if ahead:
        return _event(sentence, article_id, start, end, ahead[0].mention, ahead[0].status)
    if cued or (holds_any(sentence, _TOLD_AFTER_STEMS) and _TOLD_AFTER.search(sentence)):
        return None  # "was due on", "was scheduled to arrive": what was to come, told after
    if not _may_have_status(sentence):
        return None  # no kind of event to give a date: its dates need not be read
    mentions = [
        m
        for m in dates.find_dates(sentence)
        if (not dateline or m.start >= dateline.end())
        and not _PAST_ACT.search(sentence[: m.start])
        and not _SINCE.search(sentence[: m.start])
        and not _ATTRIBUTION.search(sentence[: m.start])
        and not dates.looks_back(m.text)
    ]
    if not mentions:
        return None
    if dates.sentence_tense(sentence) == "past" and not re.search(
        r"\b(deadline|effective|scheduled)\b", sentence, re.I
    ):
        return None
    # "will pay more from next month after the bank raised rates on Thursday": a date whose
    # own clause is past dates what was done; the event is dated by another, if there is one.
    ahead = [m for m in mentions if dates.tense_at(sentence, m.start) != "past"]
    best = min(ahead or mentions, key=lambda m: (_DATE_KIND_RANK.get(m.kind, 9), m.start))
    # Judge the kind of event by the words near its date first ("set to meet this Thursday"),
    # and only then by the whole sentence, which may speak of other things too.
    status = _nearest_status(sentence, best.start, best.end) or event_status(sentence)
    if status is None:
        return None
    return _event(sentence, article_id, start, end, best, status)


def _event(
    sentence: str, article_id: str, start: int, end: int, m: dates.DateMention, status: EventStatus
) -> Event:
    # A date written in full is resolved here, so a form only dateparser reads ("10/31/2026")
    # needs no second reading; the rest is resolved against the article's reference date.
    full = dates.resolve(m, None) if m.kind == "full" else dates.UNRESOLVED
    return Event(
        description=collapse_spaces(strip_bullet(sentence)),
        date_text=m.text,
        date=full.date,
        precision=full.precision,  # type: ignore[arg-type]
        status=status,
        evidence=sentence,
        span=Span(article_id=article_id, start=start, end=end),
    )


# ---------------------------------------------------------------- entities
# Names live in entities.py; these names stay here for the callers of the rules.

find_entities = entities.find_entities
load_places = entities.load_places
