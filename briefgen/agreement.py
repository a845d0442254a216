"""Whether two clauses agree, contradict or differ: facts.relation, and what it misses.

relation() reads polarity, figures and antonyms; a contradiction it finds is kept only when
the two clauses speak of one thing. A negation must bear on the same act in both ("will not
delay" denies "will delay", not "controls have intensified friction", which shares the topic
and not the act); the two sentences must not name different actors; and differing figures
must count the same thing (the words around each figure meet), not two things of one unit
or a time of day. Everything here reads the text only, so a verdict on a pair of sentences
holds for every reprint of them, and merge.py remembers it (JUDGED).
"""

from __future__ import annotations

import functools
import re

from briefgen.facts import Quantity, actors, polarity_cues, quantities, relation, same_quantity
from briefgen.polarity import cue_spans
from briefgen.text import content_words

_WORDS = re.compile(r"[A-Za-z][\w'’-]*")
# Words between a negation and what it negates ("will not be delayed", "has not yet agreed",
# "denied that the ferry was overloaded").
_AUXILIARY = frozenset(
    "be been being is are was were has have had do does did will would shall should can could "
    "may might must yet still even ever immediately fully to the a an its their any that".split()
)
# Cues that stop an event rather than deny an act: what they bear on is named before them
# ("the meeting was cancelled", "talks collapsed"); every other cue negates what follows.
_STOPPING = frozenset(
    {"cancel", "call off", "scrap", "collapse", "break down", "halt", "suspend", "abandon"}
    | {"postpone", "stall"}
)


def _stem(word: str) -> str:
    w = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def _negated_acts(text: str) -> set[str]:
    """What a clause's negations bear on (polarity.cue_spans): the first word after "not" or
    "refused to" that is not an auxiliary ("will not delay" -> delay), and the word before a
    cue that stops an event ("the meeting was cancelled" -> meeting)."""
    out: set[str] = set()
    for cue, start, end in cue_spans(text):
        if cue in _STOPPING:
            before = [w for w in _WORDS.findall(text, 0, start) if w.lower() not in _AUXILIARY]
            if before:
                out.add(_stem(before[-1]))
            continue
        for w in _WORDS.findall(text, end):
            if w.lower() not in _AUXILIARY:
                out.add(_stem(w))
                break
    return out


def judge(a: str, b: str, sentence_a: str = "", sentence_b: str = "") -> str:
    """facts.relation, with one more condition for a contradiction by negation: the two
    clauses must speak of the same act. "China will not delay its rare earth controls"
    denies "China will delay them", but not "China's rare earth controls have intensified
    friction", which shares the topic and not the act. (Figures and antonyms name their
    act already: "one year" against "two years", "rose" against "fell".)"""
    verdict = relation(a, b)
    if verdict != "contradict":
        return verdict
    # Who a clause speaks of may stand elsewhere in its sentence: "Lolol, named a National
    # Monument, was severely damaged" says nothing of Pichilemu, "not severely damaged".
    people_a, people_b = _actor_words(sentence_a or a), _actor_words(sentence_b or b)
    if people_a and people_b and not people_a & people_b:
        return "differ"
    cues_a, cues_b = polarity_cues(a), polarity_cues(b)
    if cues_a and cues_b:
        # Both clauses deny something ("did not have paperwork, nor permissions" and "did not
        # have any paperwork"): a second cue in one is emphasis, not a double negation.
        return "contradict" if _differing_figures(a, b) else "differ"
    if not (cues_a or cues_b):
        figures = _differing_figures(a, b)
        if figures is None:
            return verdict  # an antonym: "rose" against "fell"
        return "contradict" if figures else "differ"
    acts = _negated_acts(a) | _negated_acts(b)
    words_a = {_stem(w) for w in _WORDS.findall(a)}
    words_b = {_stem(w) for w in _WORDS.findall(b)}
    return "contradict" if acts & words_a & words_b else "differ"


def _actor_words(text: str) -> set[str]:
    """The words of the names a sentence gives: "US-China" names the US and China, "Scott
    Bessent" Bessent; two sentences share an actor when they share one of these."""
    return {w for name in actors(text) for w in re.split(r"[\s-]+", name) if len(w) > 1}


FIGURE_CONTEXT = 3  # content words either side of a figure that say what it counts


def _differing_figures(
    a: str, b: str, xs: list[Quantity] | None = None, ys: list[Quantity] | None = None
) -> bool | None:
    """Whether the two clauses give different figures for the same thing; None when they
    give no figures of one kind that differ (the contradiction is of another sort).

    "killed about 200,000 people" and "3 million people have been affected" are figures of
    one unit for two things: the words around each figure, besides its unit, must meet
    ("a magnitude of 5.4" and "a magnitude of 5.6" do).
    """
    found = None
    for x in quantities(a) if xs is None else xs:  # `xs`, `ys`: only these figures of each
        for y in quantities(b) if ys is None else ys:
            if x.unit != y.unit or x.noun != y.noun or same_quantity(x, y):
                continue
            if _clock_time(a, x) or _clock_time(b, y):
                continue  # "20:36 local time" is a time of day, not a count
            found = False
            if _figure_context(a, x) & _figure_context(b, y):
                return True
    return found


@functools.lru_cache(maxsize=1 << 14)
def figures_differ(sentence_a: str, sentence_b: str) -> bool:
    """Whether two sentences give different figures for one thing anywhere in them: "at
    least 12 people were killed" beside "killing at least 15 people". A clause of one that
    says what a clause of the other says ("carrying 65 people") does not make it support
    the other's sentence, which a reader takes whole, its figures with it."""
    # Only figures the other sentence does not give too: "an additional 100% tariff, on top
    # of the current 55% tariffs" gives the "100% tariffs" of the other sentence, and its 55%
    # counts another thing.
    qa, qb = quantities(sentence_a), quantities(sentence_b)
    lone_a = [x for x in qa if not any(same_quantity(x, y) or same_quantity(y, x) for y in qb)]
    lone_b = [y for y in qb if not any(same_quantity(x, y) or same_quantity(y, x) for x in qa)]
    return bool(_differing_figures(sentence_a, sentence_b, lone_a, lone_b))


def _clock_time(text: str, q: Quantity) -> bool:
    at = text.find(q.text)
    return at >= 0 and (
        text[at + len(q.text) : at + len(q.text) + 1] == ":" or text[at - 1 : at] == ":"
    )


def _figure_context(text: str, q: Quantity) -> set[str]:
    at = text.find(q.text)
    if at < 0:
        return set()
    unit = set(content_words(f"{q.unit or ''} {q.noun or ''} {q.text}"))
    before = content_words(text[:at])[-FIGURE_CONTEXT:]
    after = content_words(text[at + len(q.text) :])[:FIGURE_CONTEXT]
    return {_stem(w) for w in [*before, *after] if w not in unit and not w.isdigit()}
