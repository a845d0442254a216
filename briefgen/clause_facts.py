"""Whether two clauses that share words state one fact, or only name one topic.

merge.py counts another article as support for a finding when one of its clauses says what
one of the finding's clauses says. Sharing words is not enough: "China's new export controls
on rare earth elements" and "Washington had exaggerated the impact of China's rare earths
export controls" share five words and most of the smaller clause, yet the first names the
story's topic and the second says something about it. Corroboration counted on such pairs
is false ("N sources" where one article tells the fact), so a pair states one fact only when

- the shared words carry a share of *both* clauses' weight (of the larger one's too, not only
  of the smaller one's: merge.py asks for the same share, SAME_CLAUSE, of each) and the
  smaller clause states something itself, a verb or a figure ("306 km off the Brazilian
  coast" twice), not only a name ("Yvo de Boer, the U.N.'s climate change chief"); or
- the shared words hold a figure other than a year ("100% tariffs" and "an additional 100%
  tariff"): the quantity merge.py checks for contradictions; or
- the shared words hold a predicate: a word one of the clauses uses as a verb ("will
  *delay*", "*killed*", "*struck*", "agreed to *resume*"). A fact is something done or
  happening; the nouns around it ("rare earth export controls", "critical supply chains",
  "the earthquake-ravaged country", "Charles de Gaulle airport") are only where it happens.

Verbs are found by general English morphology, not by a tagger: an -ed or -ing form, an
irregular past or participle, or a word after a modal or "to" ("will meet", "to pause").
Verbs of saying ("said", "stated", "told") are attributions, not the fact. Hyphenated
compounds ("earthquake-ravaged") and capitalised words (names, a sentence's first word) are
never read as verbs. The rule was checked against hand-labelled pairs of the sample corpus
and MultiLing (tests/data/clause_support.jsonl, tests/test_clause_support.py).
"""

from __future__ import annotations

import functools
import math
import re

from briefgen.text import STOPWORDS, content_words

_MODAL = frozenset(
    "will would can could may might must shall should to did does do not never cannot".split()
)
_AUXILIARY = _MODAL | frozenset("has have had is are was were be been being".split())
# Words after a modal or "to" that are not verbs ("to the", "as to whether").
_NOT_VERB = frozenset(
    "the a an this that these those its their his her our your my any all some no each every "
    "more most less very also just only even still further whether what which who how where "
    "when why if".split()
)
# Adjective and adverb endings: "due to national", "has previously".
_ADJECTIVE_ENDINGS = (
    "ly",
    "al",
    "ous",
    "ive",
    "ic",
    "ent",
    "ant",
    "ary",
    "ful",
    "less",
    "ible",
    "able",
)
# English irregular past tenses and participles, leaving out those that are mostly nouns
# ("ground", "set", "cut", "lead", "run", "spread").
_IRREGULAR = frozenset(
    """arose awoke beat became began bent bled blew broke bred brought built burnt burst bought
    caught chose clung came crept dealt dug drew drank drove ate fell fed fought found fled
    flung flew forbade forgot forgave froze got gave went grew hung heard hid held knelt knew
    laid led leapt left lent meant met paid rode rang ran saw sought sold sent shook shone
    shot showed shrank shut sang sank sat slept slid spoke sped spent spun sprang stood stole
    stuck stung struck strove swore swept swam swung took taught tore thought threw
    understood woke wore wove wept won arisen awoken borne beaten become begun bitten blown
    broken chosen done drawn drunk driven eaten fallen flown forgotten forgiven frozen gotten
    given gone grown hidden known lain ridden risen seen shaken shown shrunk sung sunk slain
    spoken stolen striven sworn swum taken torn thrown woken worn woven""".split()
)
# Verbs of saying attribute a fact; they are not it ("stated Yvo de Boer").
_SAYING = frozenset(
    "said says say told tells tell stated states state added adds noted notes reported "
    "reports wrote writes according claimed claims".split()
)
# A number, and the word before it: a capitalised word makes it part of a name ("Section
# 232", "Flight 447") or a date ("March 23"), not a figure the clause states.
_NUMBER = re.compile(r"(?:([A-Z][\w’']*)\s+)?(?<![\w.,])(\d[\d.,]*)")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_TOKEN = re.compile(r"[\w'’]+(?:-[\w'’]+)*")


@functools.lru_cache(maxsize=1 << 14)  # reprints repeat clauses word for word
def predicates(clause: str) -> frozenset[str]:
    """The content words (as text.content_words spells them) that `clause` uses as verbs."""
    found: set[str] = set()
    previous = ""
    for token in _TOKEN.findall(clause):
        word = token.lower()
        if (
            "-" in word
            or not token[0].isalpha()
            or not token[0].islower()
            or word in _AUXILIARY
            or word in _SAYING
        ):
            previous = word
            continue
        if (
            word in _IRREGULAR
            or (len(word) > 4 and word.endswith("ed"))
            or (len(word) > 5 and word.endswith("ing") and not word.endswith("thing"))
            or (
                previous in _MODAL
                and word not in _NOT_VERB
                and not word.endswith(_ADJECTIVE_ENDINGS)
            )
        ):
            found.update(content_words(word))
        previous = word
    return frozenset(found)


@functools.lru_cache(maxsize=1 << 14)
def figures(clause: str) -> frozenset[str]:
    """The figures `clause` states, as content words ("100" of "100% tariffs", "228" of "228
    people"): no year, and no number that is part of a name or a date ("Section 232")."""
    found: set[str] = set()
    for named, number in _NUMBER.findall(clause):
        number = number.rstrip(".,")
        # "The 228 people": a capitalised stop word opens a sentence; it names nothing.
        if (not named or named.lower() in STOPWORDS) and not _YEAR.fullmatch(number):
            found.update(content_words(number))
    return frozenset(found)


def one_fact(
    said_a: str,
    said_b: str,
    weights_a: dict[str, float],
    weights_b: dict[str, float],
    least: float,
) -> bool:
    """Whether two clauses, already found to share `least` of the smaller one's weight, state
    one fact: the shared words hold a verb of one of them or a figure, or carry `least` of the
    larger one's weight too while the smaller one holds a verb or a figure."""
    shared = weights_a.keys() & weights_b.keys()
    if not shared.isdisjoint(predicates(said_a) | predicates(said_b)):
        return True
    # A figure both give is a fact both state ("100% tariffs" and "a 100% tariff"), the one
    # merge.py already checks for contradictions (facts.same_quantity).
    if not shared.isdisjoint(figures(said_a) & figures(said_b)):
        return True
    # Without a shared verb, the smaller clause must state something itself (a verb or a
    # figure), not only name someone: "Yvo de Boer, the U.N.'s climate change chief".
    # fsum: a float sum over a set would depend on the hash seed (see merge._salience).
    total_a, total_b = math.fsum(weights_a.values()), math.fsum(weights_b.values())
    smaller = said_a if total_a <= total_b else said_b
    states = bool(predicates(smaller)) or any(c.isdigit() for c in smaller)
    if not states or max(total_a, total_b) <= 0:
        return False
    covered = math.fsum(min(weights_a[w], weights_b[w]) for w in shared)
    return covered / max(total_a, total_b) >= least
