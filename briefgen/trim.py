"""A long sentence cut to its main clause, in the article's own words.

News sentences carry more than their news: who said it ("..., he said", "according to X"),
asides (a parenthesis, an aside between dashes, a "which ..." clause between commas), and a
trailing subordinate clause (", as ...", ", while ...", "amid ..."). A reader of a brief
wants the news; the brief must stay verbatim. So a cut keeps the text as written: what is
left is one contiguous stretch of the sentence, or stretches joined by an ellipsis ("…"), in
their order, so every word is still found in the article (verify.py reads an ellipsis as a
gap between verbatim pieces).

What is never cut: a clause that carries a condition or a denial ("unless", "if", "not",
"except"), since cutting it would change what the point asserts; a quotation's inside; and
anything that would leave fewer than MIN_WORDS words or no verb-like word.
"""

from __future__ import annotations

import re

from briefgen.text import word_count

# A point longer than this is cut where a rule allows: about the length a reader takes in
# at one glance (the "exec points read at most ~30 words"), not a tuned value.
TRIM_ABOVE = 30
MIN_WORDS = 8
ELLIPSIS = " … "

_KEEP = re.compile(r"\b(?:not|no|never|unless|if|except|without|nor|n't)\b|n’t\b", re.I)
_SAID = r"(?:said|says|say|told\s+\w+(?:\s+\w+)?|added|noted|stated|explained|wrote|warned|reported|announced)"
_NAME = r"[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|of|the|de|al|bin|van|von))*"
# "..., he said." / "..., said John Smith, a spokesman." / "..., the ministry said on Friday."
_TRAILING_ATTRIBUTION = re.compile(
    rf",\s*(?:(?:he|she|they|it|officials|analysts)\s+{_SAID}|{_SAID}\s+[^,.;]{{2,80}}?"
    rf"|(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){{0,6}}\s+{_SAID}(?:\s+[^,.;]{{0,40}})?"
    rf"|according\s+to\s+[^.;]{{2,120}}?)(?:,[^.;]{{0,80}})?([.!]?)[\"”’]?\s*$"
)
_LEADING_ATTRIBUTION = re.compile(
    rf"^(?:According\s+to\s+[^,]{{2,120}}|{_NAME}\s+{_SAID}(?:\s+on\s+\w+)?\s+that),\s*", re.U
)
_LEADING_ATTRIBUTION_THAT = re.compile(rf"^{_NAME}\s+{_SAID}(?:\s+on\s+\w+)?\s+that\s+")
_PARENTHESIS = re.compile(r"\s*\([^()]{1,200}\)")
_DASH_ASIDE = re.compile(r"\s*[—–]\s*[^—–]{3,200}?\s*[—–]\s*|\s+-{1,2}\s+[^-]{3,200}?\s+-{1,2}\s+")
_RELATIVE_ASIDE = re.compile(r",\s+(?:who|which|whose)\s+[^,;]{3,160},\s*")
_TRAILING_SUBORDINATE = re.compile(
    r"(?:,\s*|\s+[—–]\s*)(?:as|while|amid|after|before|following|with|which|who|whereas|"
    r"even as|adding|saying|citing|(?!(?:nothing|something|anything|everything|during|"
    r"morning|evening|spring|thing|king)\b)[a-z]{3,}ing)\s+[^;]{3,}?([.!]?)[\"”’]?\s*$"
)  # the last: a participle's clause (", underscoring ...", ", raising ..."), not a noun in -ing


def trim(sentence: str, limit: int = TRIM_ABOVE) -> str:
    """`sentence` cut to at most about `limit` words by the rules above, or as it is.

    Cuts are tried in the order that loses least: attribution, then asides, then a leading
    concession ("While ..., "), then a trailing subordinate clause, each only while the sentence is still longer than `limit`. A list
    item's label ("APEC summit uncertainty: The proposed meeting remains tentative ...") goes
    at any length: it heads the item, and the sentence after it says the news; so does an
    opening connective ("Separately, ...", cut_connective).
    """
    text = cut_connective(cut_label(sentence.strip()))
    if word_count(text) <= limit or _in_quotation(text):
        return text
    for cut in (_cut_attribution, _cut_asides, _cut_concession, _cut_subordinate):
        if word_count(text) <= limit:
            break
        shorter = cut(text)
        if _fit(shorter):
            text = shorter
    return text


# A main clause has a verb: a finite auxiliary, a verb of saying, or a past form in -ed.
# ("The VI Congress of Mayors of the O'Higgins Region." is a subject left without one.)
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|may|might|must|shall|"
    r"should|do|does|did|said|says|\w{3,}ed)\b",
    re.I,
)


# "Tariff threats: Trump's proposed 100% tariffs ...": a few words without a verb, a colon,
# then a sentence of its own. Not a speaker's name before a quotation ("Trump: “We have a
# deal”"): what follows the colon must not open a quotation.
_LABEL = re.compile(r"^[A-Z][\w’'&/-]*(?:\s+[\w’'&/-]+){0,4}:\s+(?=[A-Z])")


def cut_label(text: str, sentence: bool = True) -> str:
    """The text without a list item's label ("Time-sensitive talks: "), verbatim, when what
    follows it is a sentence of its own (`sentence`: with a verb; a watch item's
    description needs none: "Negotiations to resume by mid-November"); else the text."""
    label = _LABEL.match(text)
    if label is None or _VERB.search(label.group()):
        return text
    rest = text[label.end() :]
    fits = _fit(rest) if sentence else word_count(rest) >= MIN_WORDS
    return rest if fits else text


# "Separately, Bessent told CBS ...", "However, the talks ...": a connective tying the
# sentence to one before it, which a point does not show; what follows says the news. Only
# those whose loss leaves the sentence true as it stands: not "Instead," or "Then," (instead
# of what, after what), nor a connective without its comma ("However much ...").
_CONNECTIVE = re.compile(
    r"^(?:separately|meanwhile|additionally|also|moreover|furthermore|however|still|"
    r"nevertheless|nonetheless|regardless|conversely|likewise|similarly|besides|indeed|even\s+so|"
    r"that\s+said|in\s+addition|"
    r"at\s+the\s+same\s+time|in\s+turn|by\s+contrast|in\s+contrast|on\s+the\s+other\s+hand),\s+",
    re.I,
)


def cut_connective(text: str) -> str:
    """The text without an opening connective (_CONNECTIVE), verbatim, its first letter
    capitalised as a cut attribution's is, when what follows is a sentence of its own."""
    m = _CONNECTIVE.match(text)
    if m is None:
        return text
    rest = text[m.end() :]
    return rest[:1].upper() + rest[1:] if _fit(rest) else text


def _fit(text: str) -> bool:
    return word_count(text) >= MIN_WORDS and bool(_VERB.search(text))


def _in_quotation(text: str) -> bool:
    """A sentence that is mostly a quotation is a quote: it is shown whole or not at all."""
    return text.lstrip()[:1] in "“\"‘'"


def _cut_attribution(text: str) -> str:
    m = _TRAILING_ATTRIBUTION.search(text)
    # "..., told the BBC that it could take decades": what follows "that" is the news.
    if (
        m
        and not _KEEP.search(m.group(0))
        and not re.search(r"\bthat\b", m.group(0))
        and not _opens_quote(text, m.start())
    ):
        return _end(text[: m.start()], m.group(1))
    m = _LEADING_ATTRIBUTION.match(text) or _LEADING_ATTRIBUTION_THAT.match(text)
    # A quotation keeps the words that say whose it is.
    if m and not _KEEP.search(m.group(0)) and not re.search('[“"]', text[m.end() :]):
        rest = text[m.end() :]
        return rest[:1].upper() + rest[1:]
    return text


def _cut_asides(text: str) -> str:
    pieces: list[str] = []
    last = 0
    for pattern in (_PARENTHESIS, _DASH_ASIDE, _RELATIVE_ASIDE):
        for m in pattern.finditer(text):
            if m.start() < last or _KEEP.search(m.group(0)) or _opens_quote(text, m.start()):
                continue
            if m.end() >= len(text.rstrip('.!"”’ ')):
                continue  # an aside at the very end is a trailing clause: _cut_subordinate
            pieces.append(text[last : m.start()])
            last = m.end()
        if pieces:
            break
    if not pieces:
        return text
    pieces.append(text[last:])
    return ELLIPSIS.join(p.strip(" ,;") for p in pieces if p.strip(" ,;"))


# "While both sides are signaling cooperation, the scope of concessions ... indicate ...":
# a concession before the main clause grants what the main clause then qualifies; the main
# clause holds the point. Only concessions: a clause of time or cause ("When the vote
# passes, ...", "Because ...") may be what the main clause's truth hangs on, and a condition
# is never cut (_KEEP). The first comma ends the clause, so one holding a comma of its own
# ("Although Beijing, for its part, ...") is left whole: the main clause would start
# inside it.
_LEADING_CONCESSION = re.compile(
    r"^(?:while|whilst|although|though|even\s+though|even\s+as|despite|in\s+spite\s+of)\s+"
    r"[^,;:“”\"]{3,160},\s+(?=[a-z])",
    re.I,
)


def _cut_concession(text: str) -> str:
    m = _LEADING_CONCESSION.match(text)
    if not m or _KEEP.search(m.group(0)):
        return text
    # A conjunction opens a clause, which has a verb: without one, the comma is an aside's
    # ("Although Beijing, for its part, has ..."), not the clause's end. A preposition
    # ("Despite the productive tone, ...") takes a noun alone.
    first = m.group(0).split()[0].lower()
    if first not in ("despite", "in") and not _VERB.search(m.group(0).split(None, 1)[1]):
        return text
    rest = text[m.end() :]
    return rest[:1].upper() + rest[1:]


def _cut_subordinate(text: str) -> str:
    m = _TRAILING_SUBORDINATE.search(text)
    if not m or _KEEP.search(m.group(0)) or _opens_quote(text, m.start()):
        return text
    return _end(text[: m.start()], m.group(1))


def _opens_quote(text: str, at: int) -> bool:
    """Whether position `at` is inside a quotation (an odd number of quote marks before it)."""
    before = text[:at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _end(kept: str, stop: str) -> str:
    kept = kept.rstrip(" ,;:—–-")
    return kept + (stop or ".")


def pieces(text: str) -> list[str]:
    """The verbatim stretches a (possibly cut) point is made of, in order: split at the
    ellipsis, without the full stop a cut at the end adds."""
    parts = [p.strip() for p in text.split(ELLIPSIS.strip())]
    if parts:
        parts[-1] = parts[-1].rstrip(".!")
    return [p for p in parts if p]


def verbatim_in(text: str, source: str) -> bool:
    """Whether every stretch of `text` stands in `source` word for word, in order (a leading
    attribution cut leaves the first letter capitalised: case of that letter aside)."""
    at = 0
    for n, piece in enumerate(pieces(text)):
        found = source.find(piece, at)
        if found < 0 and n == 0:
            found = source.find(piece[:1].lower() + piece[1:], at)
        if found < 0:
            return False
        at = found + len(piece)
    return True
