"""Whether a sentence is whole enough to be shown to a reader alone.

General faults make a sentence never choosable, each told by its form, never by the wording
of a corpus:

- **cut off**: it does not end like a sentence (".", "!", "?", maybe inside closing quotes or
  brackets). Articles cut off by a feed or a crawler end mid-clause ("...is a reliable"),
  and a line that stops on a comma or a trailing ellipsis is not finished either.
- **no main verb**: not one word of it can be a finite verb. Captions ("President Xi at the
  summit in Busan on Thursday."), labels and citation lines read like sentences but say
  nothing happened. English marks finiteness with a closed class of words and two endings,
  so the test is a closed list: every form of be/have/do and every modal (the whole closed
  class, from any English grammar), the commonest irregular past forms (the irregular verbs
  a learner's list gives first, which carry most irregular use in news), a word ending in
  "-ed", a word ending in "-s" after its subject (a name, a pronoun, a noun), any word right
  after a subject pronoun ("they agree"), and the few base forms news reports with ("officials
  say") where no determiner makes them nouns. A number is a determiner too: "the July 7,
  2005 bombings", "15 sailors" are plural nouns, so a dated caption ("Ambulances at Russell
  Square after the July 7, 2005 bombings.") has no verb; after a name it is part of the name
  ("Section 232 allows"). It is deliberately lenient: a plural
  noun after a capitalised word passes as a verb, because leaving a real sentence out costs
  the reader more than letting a rare verbless one through.
- **a note about the page**: rights, update, paywall or comment notices glued into a
  paragraph, where ingest keeps the line (furniture.page_note).

Another test, leans_on_context, is asked where a sentence is shown without its neighbours
(a point, a watch item): one that opens on what a sentence before it told ("He said ...",
"The agreement, confirmed by ...", "Despite this, ...") leans on a sentence the reader was
not shown.

First person outside quotation marks (a writer's aside) needs the paragraph around the
sentence to see its quotation marks; briefgen.offtopic finds those passages.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from briefgen import dates
from briefgen.furniture import page_note

# Closing marks that may follow a sentence's full stop: "...he said.” (Reuters)" is whole.
_CLOSERS = "\"'”’»)]} "
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)$")

# Every form of be/have/do and every modal, with contractions: the closed class.
_AUXILIARIES = frozenset(
    """
    am is are was were be been being isn't aren't wasn't weren't ain't
    has have had hasn't haven't hadn't does do did doesn't don't didn't
    will would shall should can could may might must ought won't wouldn't shan't shouldn't
    can't cannot couldn't mightn't mustn't
    """.split()
)
# "it's", "they're", "we've", "he'd", "she'll": a subject with its auxiliary.
_CONTRACTED = re.compile(r"^[a-z]+['’](?:s|re|ve|d|ll|m)$")
# The commonest irregular past forms (and a few irregular presents that take no "-s").
_IRREGULAR = frozenset(
    """
    said told took made went came got gave saw met set put held left led won lost hit cut
    began became fell rose ran paid sold kept found thought brought bought sent spent built
    stood wrote spoke broke chose drove flew grew knew threw shot fought caught taught meant
    felt heard struck sought laid hung fled wore swore sank sat slept spread split quit
    forgot forgave froze hid rode rang sang shook shut stole swam swung tore understood
    withdrew overtook upheld undertook arose awoke bore beat bit bled blew bound dealt drew
    dug fed fit forbade lit let slid spun stuck stung stank strove sprang wept wound
    says
    """.split()
)
# Base forms that follow a plural subject ("officials say", "both sides agree"): the verbs
# news reports with most, counted only where no determiner or preposition makes them nouns.
_BASE_FORMS = frozenset(
    """
    say think believe expect want need agree plan hope know see remain seem continue warn
    argue claim fear face meet include call urge insist deny oppose support accept reject
    join show suggest mean make take come go get give keep find tell ask feel look become
    """.split()
)
_SUBJECT_PRONOUNS = frozenset("i we you they he she it who which that there".split())
# Words that end in "-ed" or "-s" but are never verbs in news copy: numbers, adverbs, and
# common nouns with those endings. (Plural nouns in "-s" are handled by position below.)
_NOT_VERBS = frozenset(
    """
    hundred red bed shed seed speed indeed creed greed steed sled naked wicked sacred
    kindred jagged rugged ragged
    is as us this thus has was yes its his hers ours yours theirs towards afterwards
    always perhaps news series species means less unless across various numerous previous
    famous serious nervous obvious ambitious anxious enormous dangerous
    """.split()
)
# Words and numbers: a number stands before what it counts ("15 sailors", "2005 bombings"),
# as a determiner does, so the word after it is a noun; but a number after a name is part of
# the name ("Section 232 allows", "Flight 447 vanished"), unless the name is a month's (a date).
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.:]*")
_NUMBER = "#"  # what `previous` holds after a number
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


# ---------------------------------------------------------------- leaning on a sentence not shown

_REFERRING_NOUNS = "|".join(
    "agreement deal move decision announcement measure step pact truce arrangement "
    "framework plan proposal".split()
)
# Sentences that lean on the one before them make poor stand-alone points.
NEEDS_CONTEXT = re.compile(
    # A sentence adverb first ("Notably, the agreement ...") leaves what follows as leaning.
    r"^(?:\w+ly,\s+)?"
    r"(he|she|it|they|this|that|these|those|but|and|so|also|however|meanwhile|still|yet|"
    r"instead|thus|therefore|then|such|here|there|which|its|his|her|their|later|"
    # "A few days later, Beijing softened its stance": later than what the reader was not told.
    r"(?:a few|\w+) (?:hours|days|weeks|months|years) (?:later|earlier)|"
    # "The agreement, confirmed by ...": which agreement the reader was not told. "The deal
    # between X and Y" names its referent, so a noun followed by what it is of stays.
    rf"the (?:{_REFERRING_NOUNS})(?!\s+(?:to|between|with|on|of|for|in|at|over)\b))\b"
    # "... could lead to such a deal": such a deal as a sentence the reader was not shown.
    r"|.*\bsuch an? \w+"
    # '"This is the third rise in a row," she said': a quotation whose speaker is named only
    # by a pronoun; who she is was told in a sentence not shown.
    r"|[“\"][^”\"]+[”\"],?\s+(?:(?:he|she|they)\s+(?:said|says|added|told|warned|noted|"
    r"explained|continued|insisted)|(?:said|says|added)\s+(?:he|she))\b"
    # "Should that trend accelerate, ...", "Despite this, ...": a clause opening the sentence
    # on what a sentence before it told.
    r"|(?:if|should|while|as|when|although|though|because|since|unless|once|until|despite|"
    # Not "given": "Given that China agreed ..." opens a clause of its own.
    r"after|before|with|without|beyond|besides)\s+(?:this|that|these|those)\b"
    # "Rhetoric is also a key component": one more part, factor or sign of something named
    # before; the noun names what it belongs to only with its "of" ("a key component of the
    # deal"), and "also" says the list began in a sentence not shown.
    r"|.*\b(?:is|are|was|were|remains?|will\s+be)\s+also\s+(?:an?\s+|the\s+|one\s+of\s+the\s+)?"
    r"(?:\w+\s+)?(?:component|part|factor|element|aspect|piece|feature|consideration|"
    r"ingredient|pillar|dimension|reason|sign|point)s?\b(?!\s+(?:of|in|to|for|behind|that)\b)",
    re.I,
)


# "There were no reports of injuries", "It is alleged that officials knew": "there" and "it"
# as grammar's dummy subjects refer to nothing before them, so what they open leans only if
# what follows does ("It was reported that he ..." still leans on who "he" is).
_EXPLETIVE = re.compile(
    r"^(?:there\s+(?:is|are|was|were|remains?|(?:will|may|might|could|would)\s+be|"
    r"(?:has|have|had)\s+been)\b"
    r"|it\s+(?:(?:is|was|(?:has|had)\s+been|will\s+be|would\s+be)\s+(?:not\s+|also\s+|still\s+)?"
    r"\w+|seems|appears)\s+(?:that|whether)\b)",
    re.I,
)


def leans_on_context(text: str) -> bool:
    """Whether a sentence needs one the reader was not shown (NEEDS_CONTEXT), after a
    dummy subject's opening (_EXPLETIVE) is set aside."""
    if not NEEDS_CONTEXT.match(text):
        return False
    opening = _EXPLETIVE.match(text)
    return opening is None or bool(NEEDS_CONTEXT.match(text[opening.end() :].lstrip()))


def why_not_choosable(sentence: str) -> str | None:
    """Why this sentence cannot stand alone as a point, or None when it can."""
    s = sentence.strip()
    if not s:
        return "empty"
    if cut_off(s):
        return "cut off: it does not end like a sentence"
    if not has_finite_verb(s):
        return "no main verb: a caption, label or fragment"
    if page_note(s):
        return "a note about the page (rights, update, paywall, comments), not news"
    return None


@functools.lru_cache(maxsize=1 << 14)
def choosable(sentence: str) -> bool:
    # Cached: the engine asks of the same sentences again for points, summaries, headlines.
    return why_not_choosable(sentence) is None


def cut_off(sentence: str) -> bool:
    """Does the sentence stop before its end: no closing punctuation, or a trailing ellipsis?"""
    s = sentence.rstrip(_CLOSERS)
    if not s or _ELLIPSIS.search(s):
        return True
    return s[-1] not in ".!?"


def has_finite_verb(sentence: str) -> bool:
    """Can any word of the sentence be a finite verb? See the module docstring for how."""
    tokens = _TOKEN.findall(sentence)
    previous = ""
    for i, token in enumerate(tokens):
        if token[0].isdigit():
            before = tokens[i - 1] if i else ""
            named = (
                before[:1].isupper() and previous not in _DETERMINERS and previous not in _MONTHS
            )
            previous = previous if named else _NUMBER
            continue
        word = token.lower().replace("’", "'")
        if word in _AUXILIARIES or word in _IRREGULAR or _CONTRACTED.match(word):
            return True
        if token[0].islower() and word not in _NOT_VERBS and len(word) > 3:
            if word.endswith("ed"):
                return True
            # "Beijing dominates", "the ministry says": "-s" after a subject word.
            if word.endswith("s") and not word.endswith(("ss", "us", "is")) and i > 0:
                if previous not in _DETERMINERS:
                    return True
            if previous in _SUBJECT_PRONOUNS and not word.endswith("ly"):
                return True  # "they agree", "we believe"
        if word in _BASE_FORMS and i > 0 and previous not in _DETERMINERS:
            return True
        previous = word
    return False


# A noun follows these; a word in "-s" right after one is a plural noun, not a verb.
_DETERMINERS = frozenset(
    """
    a an the this that these those its his her their our your my some any many several
    few all both each every other such no more most of in on at for to by with from
    and or
    """.split()
) | {_NUMBER}


# A photo caption tells a past moment in the present tense ("Air France A330-200 F-GZCP lands
# at Paris-Charles de Gaulle Airport on March 28, 2007."): the convention of captions, not of
# news prose. Its form: a name, then a verb in -s; no auxiliary and no other mark of tense
# (dates.sentence_tense); and a full date earlier than the article's own. Prose in the present
# with a full date looks ahead ("The law takes effect on July 1, 2026"), so only a date
# already past counts; "says" is prose's present ("Obama says ...").
_CAPTION_VERB = re.compile(r"\b[A-Z][\w.-]*\s+(?!says\b)[a-z]{2,}(?<![sui])s\b")
# A full date's year (dates._YEAR: 19xx, 20xx, 2100) is written in ASCII digits.
_ASCII_DIGIT = re.compile(r"[0-9]")


def dated_caption(sentence: str, written: dt.date | None) -> bool:
    """Whether the sentence is a photo caption by the form above; never without the article's
    date (`written`), against which a date is past."""
    # A full date has digits: most sentences have none, and this runs on every sentence.
    if written is None or _ASCII_DIGIT.search(sentence) is None:
        return False
    if not _CAPTION_VERB.search(sentence):
        return False
    words = (w.lower().replace("’", "'") for w in _TOKEN.findall(sentence))
    if any(w in _AUXILIARIES or _CONTRACTED.match(w) for w in words):
        return False
    if dates.sentence_tense(sentence) != "unknown":
        return False
    for mention in dates.find_dates(sentence):
        if mention.kind == "full":
            day = dates.resolve(mention, written, "unknown").date
            if day is not None and day < written:
                return True
    return False
