"""The words that say what a name is: lists of English function words, titles, head words,
aliases, demonyms, and a dictionary that keeps case. General English, not any corpus; used by
briefgen/entities.py, which finds and types the names.
"""

from __future__ import annotations

import functools
import re

from briefgen.schema import EntityKind

# ---------------------------------------------------------------- word lists
# Closed classes of English (pronouns, determiners, prepositions, conjunctions, auxiliaries)
# and sentence adverbs: never the first word of a name.
FUNCTION_WORDS = frozenset(
    """
    a an the this that these those it its he she they we i you me him her us them his their our
    my your who whom whose which what where when why how there here all any both each every few
    many more most much some such no none nor not only other another either neither one but and
    or so yet if then than though although while whereas because since unless until as at by
    for from in into of off on onto out over per to toward towards under up upon via with within
    without about above across after against along amid among around before behind below
    beneath beside between beyond despite during except inside near outside past through
    throughout is are was were be been being am do does did done has have had having can could
    may might must shall should will would also however meanwhile moreover furthermore
    nevertheless instead still even just perhaps indeed thus therefore hence according
    following including regarding concerning
    """.split()
)
TITLES = frozenset(
    """
    President Vice Premier Secretary Minister Chancellor Prime Senator Sen Rep Representative
    Governor Gov Mayor Ambassador Commissioner Director Economist Analyst Professor Columnist
    Chairman Chairwoman Chair CEO Spokesperson Spokesman Spokeswoman Mr Mrs Ms Dr Prof King Queen
    Prince Princess Pope General Gen Judge Justice Speaker Leader Colonel Col Captain Capt
    Lieutenant Lt Sergeant Sgt Major Admiral Bishop Archbishop Cardinal Rev Reverend Sheikh
    Sir Lord Lady Dame Deputy Councillor Councilor Attorney Inspector Commander Chief USTR PM
    Consul
    Presidents Ministers Leaders Senators Governors Mayors Councillors Councilors
    """.split()
)
# A lower-case title just before a name: "president George W. Bush", "economist Wu Xinbo".
LOWER_TITLES = frozenset(t.lower() for t in TITLES) | frozenset(
    "spokesman spokeswoman spokesperson official economist analyst researcher lawyer scientist "
    "seismologist professor author writer reporter correspondent singer actor actress player "
    "coach founder executive chief teacher student resident witness survivor".split()
)
HONORIFICS = frozenset("Mr Mrs Ms Dr Prof Sir Dame".split())
# The last word of a name that says what kind of thing it names.
ORG_HEADS = frozenset(
    """
    Inc Corp Corporation Ltd LLC Plc Co Company Companies Group Bank Ministry Department
    Commission Council Agency Association Committee University Universidad College School
    Center Centre Party Fund Organization Organisation Union Institute Institution Foundation
    Administration Congress Parliament Senate Assembly House Court Forum Chamber Office Board
    Authority Service Services Survey Network News Times Post Press Journal Herald Tribune
    Radio Television TV Channel Airlines Airways Army Navy Police Force Guard Corps Brigade
    Brigades Federation Alliance Coalition League Club Church Hospital Museum Cooperation
    Bureau Cross Crescent Society Secretariat Reuters Bloomberg Cabinet Government Ministries
    Industries Holdings Partners Systems Technologies Motors Energy Enterprises Exchange
    International Management Team Guards Detachment Unit Division Regiment Battalion
    """.split()
)
ORG_LEADS = frozenset(
    "University Universidad Bank Banco Banque Ministry Department Institute Office Bureau Union "
    "Agence".split()
)
PLACE_HEADS = frozenset(
    """
    Ocean Sea River Island Islands Lake Bay Gulf Strait Peninsula Valley Hill Hills Mountain
    Mountains Province Region County District City Town Village Street Square Avenue Road
    Coast Beach Desert Canal Harbour Harbor Port Airport Prefecture Territory Oblast Plaza
    Park Bridge Falls Basin Delta Plateau Highlands Archipelago Stadium Station Line Arena
    Rainforest Forest Jungle Reef
    """.split()
)
PLACE_LEADS = frozenset("Mount Mt Lake Port San Santa Santo São Saint St Fort Cape".split())
COMPASS = frozenset(
    "North South East West Northern Southern Eastern Western Central Northeast Northwest "
    "Southeast Southwest Upper Lower Greater Inner Outer".split()
)
# Names of things done or made, not of who or where: laws, days, plans, meetings, prizes.
OTHER_HEADS = frozenset(
    """
    Act Acts Bill Law Day Plan Summit Treaty Agreement Accord Accords War Games Olympics Cup
    Prize Award Awards Festival Doctrine Initiative Protocol Convention Declaration Plenum
    Strategy Program Programme Project Index Deal Talks Conference Expo Week Resolution Flight
    """.split()
)
# Small words inside names: "Bank of England", "Universidad de Chile", "Ludwig van Beethoven".
CONNECTORS = frozenset(
    "of de del da di do dos das la las los le du van von der den bin al y the for".split()
)
# "for" joins a name only after an organisation's head ("Office for the Coordination of ..."),
# "the" only after "of" or "for": "in Kuala Lumpur for ASEAN talks" is two names.
AFTER_HEAD_ONLY = frozenset({"for"})
CALENDAR_WORDS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    """.split()
)
# One thing, one name. The canonical name comes first; its kind is the entity's kind.
_ALIAS_GROUPS: tuple[tuple[str, EntityKind, tuple[str, ...]], ...] = (
    ("United States", "place", ("US", "U.S.", "U.S", "USA", "U.S.A.", "U.S.A", "America",
                                "United States of America", "the States")),
    ("United Kingdom", "place", ("UK", "U.K.", "U.K", "Britain", "Great Britain")),
    ("European Union", "organization", ("EU", "E.U.", "E.U")),
    ("United Nations", "organization", ("UN", "U.N.", "U.N")),
    ("United Arab Emirates", "place", ("UAE", "U.A.E.")),
    ("Soviet Union", "place", ("USSR", "U.S.S.R.")),
    ("China", "place", ("PRC", "People's Republic of China", "People’s Republic of China")),
)  # fmt: skip
ALIASES: dict[str, tuple[str, EntityKind]] = {
    alias: (name, kind) for name, kind, aliases in _ALIAS_GROUPS for alias in (name, *aliases)
}

TOKEN = re.compile(
    r"[^\W\d_](?:\.[^\W\d_])+\.?"  # U.S., U.S.A., E.U.
    r"|[^\W\d_]\.(?=\s)"  # an initial: George W. Bush
    r"|[^\W_][\w’'\-]*"  # a word
)
POSSESSIVE = re.compile(r"[’']s?$")
CONTRACTION = re.compile(r"[’'](?:m|re|ve|ll|d|t)$", re.I)
ROMAN = re.compile(r"^[IVXLC]+$")
MODEL = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[\w-]+$")  # A330, F-16: a model, not a name
NUMBER_AFTER = re.compile(r"^[ \t]*(?:No\.?\s*)?\d")
NUMBER_BEFORE = re.compile(
    r"\d[\d:.,]*(?:\s+(?:thousand|million|billion|trillion)|\s?[ap]\.?m\.?)?[ \t(]*$", re.I
)
SPEECH_AFTER = re.compile(
    r"^[ \t]*(?:,[^,]{0,60},[ \t]*)?(?:said|says|told|added|explained|stated|wrote|warned|noted|"
    r"asked|replied|argued|insisted|announced|commented|confirmed|declared)\b"
)
SPEECH_BEFORE = re.compile(r"\b(?:said|says|according to|added|wrote)[ \t]*$")
PLACE_AFTER = re.compile(r"^,[ \t]*[A-Z][^,.;]{1,30}(?:[,.;]|$)")
PLACE_BEFORE = re.compile(
    r"\b(?:in|near|across|outside|throughout|around|towards?|city of|town of|village of|"
    r"region of|province of|capital,?)[ \t]*$"
)
OPENERS = "\"'“‘([{-–—•*·"
# Demonyms the endings below miss.
_DEMONYMS = frozenset("French Dutch Welsh Greek Thai Swiss Czech Scots Basque Inuit".split())
_DEMONYM_ENDING = re.compile(
    r"^[A-Z][a-z]+(?:ese|ian|ean|ish|ic|i|an|ine|ans|ians|eans|ics|is|ines)$"
)


class _Demonym:
    """'Chinese', 'Romanians', 'French': a people's adjective or the people, not an entity."""

    @staticmethod
    def match(token: str) -> bool:
        return token in _DEMONYMS or bool(_DEMONYM_ENDING.match(token))


DEMONYM = _Demonym()


# ---------------------------------------------------------------- the dictionary


_LISTS = ("web2", "gcide")  # Webster's Second and GCIDE: see entities.py


@functools.lru_cache(maxsize=1)
def _dictionaries() -> tuple[set[str], ...]:
    """The two word lists, each as it is unpickled: neither joined nor filtered, which took
    as long again as reading them (0.1 s of each run's 0.2 s)."""
    from english_words import get_english_words_set

    return tuple(get_english_words_set([name], lower=False, alpha=True) for name in _LISTS)


def _listed_lower(word: str) -> bool:
    """Whether a dictionary lists `word` in lower case: a common word, not a name."""
    return word.islower() and any(word in listed for listed in _dictionaries())


def is_acronym(token: str) -> bool:
    return len(token) > 1 and token.isupper()


# Cached: each article asks again about the same capitalised words; 1 << 14 words is far
# more than a brief's vocabulary of names and sentence-openers.
@functools.lru_cache(maxsize=1 << 14)
def is_common_word(token: str) -> bool:
    """Whether a token is an English common word, also in a regular inflection."""
    if is_acronym(token):
        return False  # "US", "AI": an acronym, not the word "us"
    w = token.lower()
    if w in FUNCTION_WORDS:
        return True
    if not w.isalpha():
        return False
    if _listed_lower(w):
        return True
    stems = []
    if w.endswith("ies"):
        stems.append(w[:-3] + "y")
    if w.endswith("es"):
        stems.append(w[:-2])
    if w.endswith("s"):
        stems.append(w[:-1])
    if w.endswith("ing"):
        stems += [w[:-3], w[:-3] + "e", w[:-4]]
    if w.endswith("ed"):
        stems += [w[:-2], w[:-1], w[:-3]]
    if w.endswith("ly"):
        stems.append(w[:-2])
    return any(len(s) > 2 and _listed_lower(s) for s in stems)


# ---------------------------------------------------------------- names


def canonical(name: str) -> str:
    """The one name of a thing with many ("U.S." -> "United States")."""
    key = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    return ALIASES.get(key, ALIASES.get(name.strip(), (key, "other")))[0]


def load_places() -> frozenset[str]:
    """The gazetteer of countries, regions and large cities (data/places.txt)."""
    from importlib.resources import files

    lines = files("briefgen").joinpath("data/places.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))
