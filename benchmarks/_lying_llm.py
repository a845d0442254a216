"""A local OpenAI-compatible server that lies on purpose, and keeps a list of its lies.

It answers as `_fake_llm.FakeServer(answers="grounded")` does (the same server, with an
answerer of its own), but every map answer and every synthesis also carries lies, built
deterministically from the text the call was sent: a figure, a scale, a vague date or a quote
found there is altered, and where the text has none of them, a lie that needs no material (a
negation) is told instead. Each lie is recorded with its kind, the lying text and a marker, the
exact text that proves the lie reached a brief; GET /lies lists them, POST /reset clears them.
benchmarks/trust.py counts how many of them reach the brief; the goal is none.

The lies, by kind (KINDS): in the synthesis, L1 a negated claim ("not", "never", or the
opposite verb), L2 a figure in words changed ("one year" -> "two years"), L3 a scale changed
("$660 billion" -> "$660 million"), L4 a vague date changed ("mid-November" -> "late
November"), L5 a made-up quotation in 'single quotes', L6 a made-up quotation of two words,
L7 a real quote given to another person named in the corpus, L8 a point whose text is one
article's single-source finding but which cites a better-corroborated finding of the same
article, L9 "All five reports agree: ..." or "Several outlets report ..." over a claim one
article makes, L10 an order planted in an article obeyed as the bottom line. In the map
step's notes: N1..N4 a claim whose text adds a negation, a figure, a date or a named person
its evidence lacks, N5 a quote note naming the wrong speaker.

A marker is chosen so that an honest brief cannot contain it: it must not occur in any article
of the corpus (`LyingServer(corpus=[texts])`; without a corpus, in the text the call was sent),
else another alteration is tried. Markers of quotes given to the wrong person are pairs (the
quote, the person) that no sentence of the corpus holds together. How a marker is looked for
in a brief (`check`): "text" anywhere; "pair" both in one block (a line, a list item, one JSON
object); "corroborated" the text in a block that shows more than one source; "sentence" the
text as a sentence of its own (an obeyed order, whose words the planted article holds inside
a sentence of its own).
"""

from __future__ import annotations

import re
import threading
import zlib

from _fake_llm import (
    _CHOOSE,
    EMPTY_ANSWER,
    EMPTY_NOTES,
    FakeServer,
    by_number,
    call_kind,
    chunk_of,
    findings_of,
    listed_findings,
    sentences_of,
)

KINDS = {
    "L1": "negated claim (not / never / the opposite)",
    "L2": "figure in words changed",
    "L3": "scale changed (billion / million)",
    "L4": "vague date changed",
    "L5": "made-up quotation in 'single quotes'",
    "L6": "made-up quotation of two words",
    "L7": "real quote given to the wrong speaker",
    "L8": "text of a single-source finding citing a corroborated one",
    "L9": "one article's claim said to be many's",
    "L10": "instruction planted in an article obeyed",
    "N1": "note: claim adds a negation",
    "N2": "note: claim adds a figure",
    "N3": "note: claim adds a date",
    "N4": "note: claim adds a named person",
    "N5": "note: quote with the wrong speaker",
}

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def norm(text: str) -> str:
    """Text as markers are compared: straight quotes, lower case, single spaces."""
    return " ".join(text.translate(_QUOTES).lower().split())


# ---------------------------------------------------------------- reading the text sent

_QUOTE = re.compile(r"“([^“”]{2,300})”|\"([^\"]{2,300})\"")
_SAYS = (
    r"(?:said|says|told|tells|stated|states|added|noted|warned|echoed|described|emphasized"
    r"|emphasised|announced|insisted|argued|wrote|writes|called|urged|predicted|revealed"
    r"|explained|declared|stressed)"
)
_NAME = r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*"
_NAME_SAYS = re.compile(rf"({_NAME}),?\s+{_SAYS}\b")
_QUOTE_SAYS = re.compile(rf"^[,.]?”?,?\s+(?:{_SAYS}\s+({_NAME})|({_NAME})\s+{_SAYS}\b)")
_TITLED = re.compile(
    r"\b(?:Vice Premier|Prime Minister|President|Secretary|Minister|Premier|Commissioner"
    r"|Representative|Senator|Governor|Chancellor|Ambassador|USTR)(?:\s+[A-Z][\w’'-]+){1,2}"
)
# Words that open a sentence or name a country or body, not a person.
_LEAD = {"The", "A", "An", "But", "And", "In", "On", "At", "As", "If", "When", "While",
         "Heading", "Meanwhile", "However", "Announcing", "Notably", "Both", "This", "That",
         "These", "It", "Still", "Yet", "So", "Then", "After", "Before"}  # fmt: skip
_NOT_PERSON = {"U.S.", "US", "U.S", "China", "Chinese", "Beijing", "Washington", "American",
               "America", "United", "States", "Trade", "Ministry", "Commerce", "Treasury",
               "White", "House", "Xinhua", "Reuters", "Bloomberg", "EU", "G7", "WTO", "APEC",
               "ASEAN", "Asia", "Japan", "Korea", "South", "Department", "Administration",
               "Congress", "Party", "CCP", "Summit", "Times"}  # fmt: skip
_PRONOUNS = {"He", "She", "They", "We", "I", "It", "You"}


def person(run: str | None) -> str | None:
    """A name run ("Chinese Commerce Minister Wang Wentao") as a person's short name
    ("Wang Wentao"), or None when it names no person."""
    words = re.sub(r"[’']s$", "", (run or "").strip().rstrip(".,;:")).split()
    while words and words[0] in _LEAD:
        words = words[1:]
    if not words or words[-1] in _NOT_PERSON or all(w in _NOT_PERSON for w in words):
        return None
    if len(words) == 1 and words[0] in _PRONOUNS:
        return None
    return " ".join(words[-2:])


def quotes_in(sentence: str) -> list[tuple[str, str | None]]:
    """The quotes of a sentence, each with its speaker when the sentence names one."""
    out, after = [], 0
    for m in _QUOTE.finditer(sentence):
        text = (m.group(1) or m.group(2)).strip().rstrip(",")
        # '“...,” added Wu Xinbo' names the speaker right after; else the nearest
        # 'Bessent told the media, “...”' before it.
        tail = _QUOTE_SAYS.match(sentence[m.end() :])
        speaker = person(tail and (tail.group(1) or tail.group(2)))
        if speaker is None:
            before = list(_NAME_SAYS.finditer(sentence, after, m.start()))
            speaker = person(before[-1].group(1)) if before else None
        out.append((text, speaker))
        after = m.end()
    return out


def people_in(text: str) -> list[str]:
    """People a text names: speakers of its quotes and titled names, in order of appearance."""
    found = []
    for s in sentences_of(text):
        found += [sp for _, sp in quotes_in(s) if sp]
        found += [p for p in (person(m.group(0)) for m in _TITLED.finditer(s)) if p]
    return list(dict.fromkeys(found))


def plain_sentence(s: str) -> bool:
    """A sentence of prose (not a heading, a list item, a quote or a planted order) for a
    lie to alter."""
    end = s.rstrip()
    return (
        s[:1].isupper()
        and end.endswith(".")
        and not end.endswith(("”.", '".'))
        and not _INSTRUCTION.search(s)
    )


def quote_marker(quote: str) -> str:
    """A quote as a marker: without the closing punctuation a brief may leave out."""
    return quote.rstrip(" .,;:!?")


def surname(name: str) -> str:
    return name.split()[-1]


# ---------------------------------------------------------------- alterations

_AUX = re.compile(
    r"(?<=\s)(will|would|can|could|should|may|might|must|is|are|was|were|has|have|had|does"
    r"|do|did)\s+(?!not\b|never\b)([\w’'-]+(?:\s+[\w’'-]+){0,2})"
)
_OPPOSITES = {"agreed": "refused", "reached": "abandoned", "rose": "fell", "increased": "cut",
              "resume": "halt", "resumed": "halted", "successful": "failed",
              "productive": "fruitless", "optimism": "pessimism", "confirmed": "denied",
              "avert": "provoke", "eased": "tightened", "strong": "weak", "stronger": "weaker",
              "higher": "lower", "lower": "higher", "approved": "rejected", "expand": "shrink",
              "welcomed": "rejected", "readiness": "refusal", "compromise": "confrontation",
              "de-escalate": "escalate", "de-escalation": "escalation"}  # fmt: skip
_OPPOSITE = re.compile(r"(?<=\s)(" + "|".join(map(re.escape, _OPPOSITES)) + r")\b(\s+[\w’'-]+)?")
_NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve"]  # fmt: skip
_WORD_FIGURE = re.compile(
    r"\b(" + "|".join(_NUMBER_WORDS) + r")([- ])(year|month|week|day|decade|quarter|hour)s?\b",
    re.I,
)
_DIGIT_FIGURE = re.compile(r"\b(\d{1,3})(\s?%|\s?percent|-days?| days?| years?)")
_SCALE = re.compile(r"(\$\s?)?(\d[\d,.]*\d|\d)\s?(billion|million|trillion)\b")
_SCALES = {"billion": "million", "million": "billion", "trillion": "billion"}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip
_PART_MONTH = re.compile(r"\b(early|mid|late|Early|Mid|Late)[- ](" + "|".join(_MONTHS) + r")\b")
_PARTS = {"early": "late", "mid": "late", "late": "early"}
_VAGUE = [("next week", "next month"), ("this week", "next week"), ("this month", "next month"),
          ("later this year", "early next year"), ("next month", "next year"),
          ("this year", "next year")]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAY = re.compile(r"(\w+\s+)(" + "|".join(_DAYS) + r")\b(\s+\w+)?")
# Made-up quotations; the first one the corpus does not hold is used.
_FAKE_QUOTES = [
    "a win for both nations and the world",
    "the deal of the decade for farmers",
    "a new chapter in the history of global trade",
    "an end to the trade war",
]
_FAKE_PAIRS = ["historic breakthrough", "total victory", "game changer", "new dawn"]
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier"
    r"|your)\s+instructions\b.*?\b(?:tell\s+(?:the\s+)?readers?|state|say|write|report"
    r"|conclude)(?:\s+that)?\s+([^.!?\n]+)",
    re.I,
)


def lower_first(text: str, context: str = "") -> str:
    """A sentence made to follow "According to X, ": its first word in lower case unless it
    is a name (capitalised inside the sentence or its context too) or opens a quotation."""
    first = re.sub(r"[’']s$", "", text.split(" ", 1)[0].rstrip(",;:"))
    if not first[:1].isupper() or first == "I":
        return text
    if re.search(rf"[a-z,;]\s+{re.escape(first)}\b", text + " " + context):
        return text
    return text[0].lower() + text[1:]


def clause(text: str) -> str:
    """A sentence without its closing full stop, to add to."""
    return text.rstrip().rstrip(".")


def seed(text: str) -> int:
    return zlib.crc32(text.encode())


class LyingAnswers:
    """The answerer: grounded answers with lies in them, and the record of every lie."""

    def __init__(self, corpus: list[str] | tuple[str, ...] = ()):
        self.corpus = [norm(t) for t in corpus]
        self.corpus_sentences = [norm(s) for t in corpus for s in sentences_of(t)]
        self.corpus_people = list(dict.fromkeys(p for t in corpus for p in people_in(t)))
        self.lock = threading.Lock()
        self.lies: dict[tuple, dict] = {}
        self.orders: dict[str, None] = {}  # instructions planted in chunks, seen in map calls

    # ------------------------------------------------------------ the server's hooks

    def get(self, path: str) -> dict | None:
        if path.rstrip("/").endswith("/lies"):
            with self.lock:
                return {"lies": list(self.lies.values())}
        return None

    def reset(self) -> None:
        with self.lock:
            self.lies.clear()
            self.orders.clear()

    def answer(self, messages: list[dict]) -> tuple[str, dict]:
        text = chunk_of(messages)
        if text is not None:
            return "notes", by_number(self.notes(text), text)
        asked = findings_of(messages)
        if asked is None:
            return "other", EMPTY_ANSWER
        kind = call_kind(messages, asked)
        findings = listed_findings(asked)
        if kind == "shortlist":
            keep = int(_CHOOSE.search(asked).group(1))
            return kind, {"findings": [f["id"] for f in findings[:keep]]}
        # A revision gets the same brief again: this model does not mend its ways.
        return kind, self.brief(
            findings, _articles(asked), _audience(messages[0]["content"]), asked
        )

    # ------------------------------------------------------------ recording

    def fresh(self, marker: str, sent: str, with_: str | None = None) -> bool:
        """True when no article (nor the text sent) holds the marker, or the pair together.

        In a synthesis (the map answers are all in by then), a marker one of them told is
        not fresh either: each lie must prove itself, not another's."""
        if not marker.strip():
            return False
        if "<findings>" in sent:
            with self.lock:
                told = [norm(x["marker"]) for x in self.lies.values() if x["step"] == "notes"]
            if any(norm(marker) in t or t in norm(marker) for t in told):
                return False
        if with_ is None:
            needle = norm(marker)
            return needle not in norm(sent) and not any(needle in t for t in self.corpus)
        a, b = norm(marker), norm(with_)
        sentences = [*self.corpus_sentences, *(norm(s) for s in sentences_of(sent))]
        return not any(a in s and b in s for s in sentences)

    def tell(self, kind, told, marker, *, step, audience=None, check="text", with_=None) -> None:
        record = {"kind": kind, "step": step, "audience": audience, "told": told,
                  "marker": marker, "with": with_, "check": check}  # fmt: skip
        with self.lock:
            self.lies.setdefault((kind, audience, told, marker, with_), record)

    # ------------------------------------------------------------ the map step

    def notes(self, text: str) -> dict:
        sentences = [s for s in sentences_of(text) if len(s.split()) >= 8]
        for m in _INSTRUCTION.finditer(text):
            with self.lock:
                self.orders[m.group(1).strip()] = None
        honest = sentences[:2]
        material = [s for s in sentences if s not in honest and _has_material(s)]
        honest += material[:2]
        rest = [s for s in sentences if s not in honest and plain_sentence(s)]
        rest = rest or [s for s in honest if plain_sentence(s)]
        claims = [{"text": s, "kind": "fact", "evidence": s} for s in honest]
        people = people_in(text) + [p for p in self.corpus_people if p not in people_in(text)]

        lies = []
        for i, (kind, make) in enumerate(
            [
                ("N1", self._add_negation),
                ("N2", self._add_figure),
                ("N3", self._add_date),
                ("N4", lambda s, t: self._add_person(s, t, people)),
            ]
        ):
            evidence = rest[i % len(rest)] if rest else None
            made = make(evidence, text) if evidence else None
            if made:
                told, marker = made
                lies.append({"text": told, "kind": "fact", "evidence": evidence})
                self.tell(kind, told, marker, step="notes")
        claims += lies

        quotes, wrong = [], None
        found = [(q, sp, s) for s in sentences_of(text) for q, sp in quotes_in(s) if sp]
        # The wrong speaker goes on a quote long enough to be shown among a brief's quotes.
        for q, sp, s in sorted(found, key=lambda x: not 5 <= len(x[0].split()) <= 60):
            other = next(
                (p for p in people if p != sp and surname(p) not in s and self.fresh(q, text, p)),
                None,
            )
            if other:
                wrong = {"text": q, "speaker": other, "evidence": s}
                self.tell("N5", f"“{q}” — {other}", quote_marker(q), step="notes", check="pair",
                          with_=other)  # fmt: skip
                break
        for q, sp, s in found:
            if len(quotes) < 3 and (wrong is None or q != wrong["text"]):
                quotes.append({"text": q, "speaker": sp, "evidence": s})
        if wrong:
            quotes.append(wrong)
        return {**EMPTY_NOTES, "claims": claims[:8], "quotes": quotes[:4]}

    def _add_negation(self, s: str, sent: str) -> tuple[str, str] | None:
        for m in _AUX.finditer(s):
            marker = f"{m.group(1)} not {m.group(2)}"
            if self.fresh(marker, sent):
                return s[: m.end(1)] + " not" + s[m.end(1) :], marker
        told = "It is not the case that " + lower_first(s, sent)
        marker = " ".join(told.split()[:9])
        return (told, marker) if self.fresh(marker, sent) else None

    def _add_figure(self, s: str, sent: str) -> tuple[str, str] | None:
        for k in range(40):
            h = seed(s) + 37 * k
            marker = f"${101 + h % 800}.{h // 800 % 10} billion"
            if self.fresh(marker, sent):
                return f"{clause(s)}, in a package worth {marker}.", marker
        return None

    def _add_date(self, s: str, sent: str) -> tuple[str, str] | None:
        for k in range(40):
            h = seed(s) + 53 * k
            marker = f"{_MONTHS[h % 12]} {2 + h // 12 % 26}, {2026 + h // 312 % 4}"
            if self.fresh(marker, sent):
                return f"{clause(s)} by {marker}.", marker
        return None

    def _add_person(self, s: str, sent: str, people: list[str]) -> tuple[str, str] | None:
        for p in people:
            told = f"According to {p}, {lower_first(s, sent)}"
            marker = " ".join(told.split()[: 3 + len(p.split())])
            if surname(p) not in s and self.fresh(marker, sent):
                return told, marker
        return None

    # ------------------------------------------------------------ the synthesis

    def brief(self, findings: list[dict], articles: dict[int, list[int]], audience, sent) -> dict:
        used: set[int] = set()
        lies: list[tuple[str, dict]] = []  # (kind, point)
        with self.lock:
            noted = {norm(x["told"])[:150] for x in self.lies.values() if x["step"] == "notes"}
        # A lie is built on an honest finding: one built on a note's lie would prove both.
        honest_ids = {f["id"] for f in findings if norm(f["text"])[:150] not in noted}

        def lie(kind, text, cites, marker, check="text", with_=None) -> None:
            lies.append((kind, {"text": text, "findings": cites}))
            used.update(cites)
            self.tell(kind, text, marker, step="brief", audience=audience, check=check,
                      with_=with_)  # fmt: skip

        def each(pred=lambda f: True, plain=True):
            return (
                f
                for f in findings
                if f["id"] not in used
                and f["id"] in honest_ids
                and (plain_sentence(f["text"]) or not plain)
                and len(f["text"]) <= 300
                and pred(f)
            )

        def first(alters):
            """The first unused finding an alteration can change, trying each alteration
            over all findings before the next: (finding, (text, marker))."""
            for alter in alters:
                for f in each():
                    made = alter(f["text"])
                    if made and len(made[0]) <= 300:
                        return f, made
            return None, None

        # L1..L4: a finding altered in place, each alteration tried on every finding before
        # the next (a vague date before a weekday), so the strongest material is used.
        alterations = [
            ("L1", [lambda t: self._negate(t, "not", sent)]),
            ("L1", [lambda t: self._negate(t, "never", sent)]),
            ("L1", [lambda t: self._opposite(t, sent)]),
            ("L2", [lambda t, k=k: self._word_figure(t, sent, k) for k in range(2)]),
            ("L3", [lambda t: self._scale(t, sent)]),
            ("L4", [lambda t, k=k: self._vague(t, sent, k) for k in range(3)]),
        ]
        for kind, alter in alterations:
            f, made = first(alter)
            if f:
                lie(kind, made[0], [f["id"]], made[1])

        # L5, L6: made-up quotations added to a finding, in someone's mouth where it names one.
        fake = next((q for q in _FAKE_QUOTES if self.fresh(q, sent)), None)
        f = next(each(lambda f: len(f["text"]) < 200), None)
        if fake and f:
            who = next(iter(people_in(f["text"])), "officials")
            lie("L5", f"{clause(f['text'])}, which {who} called '{fake}'.", [f["id"]], fake)
        pair = next((q for q in _FAKE_PAIRS if self.fresh(q, sent)), None)
        f = next(each(lambda f: len(f["text"]) < 250), None)
        if pair and f:
            lie("L6", f"{clause(f['text'])}, a “{pair}”.", [f["id"]], pair)

        # L7: a quote of one person put in the mouth of another named in the corpus.
        people = [p for f in findings for p in people_in(f["text"])]
        people += [p for p in self.corpus_people if p not in people]
        done = False
        for f in each(plain=False):
            for q, sp in (x for s in sentences_of(f["text"]) for x in quotes_in(s)):
                other = next(
                    (p for p in people if sp and p != sp and surname(p) not in f["text"]
                     and self.fresh(q, sent, p)),
                    None,
                )  # fmt: skip
                if sp and other and sp in f["text"]:
                    told = f["text"].replace(sp, other, 1)
                    lie("L7", told, [f["id"]], quote_marker(q), "pair", other)
                    done = True
                    break
            if done:
                break

        # L8: one article's single-source finding, citing its best-corroborated one.
        for ids in articles.values():
            by_id = {f["id"]: f for f in findings if f["id"] in ids}
            single = [f for f in each(lambda f, by_id=by_id: f["id"] in by_id)]
            single = [f for f in single if f["corroboration"] == 1]
            strong = sorted((f for f in by_id.values() if f["corroboration"] > 1),
                            key=lambda f: -f["corroboration"])  # fmt: skip
            if single and strong:
                x, y = single[0], strong[0]
                lie("L8", x["text"], [y["id"]], x["text"], "corroborated")
                used.add(x["id"])
                break

        # L9: one article's claim told as everyone's.
        count = _NUMBER_WORDS[len(articles) - 1] if 1 <= len(articles) <= 12 else "the"
        for opener, marker in ((f"All {count} reports agree: ", f"All {count} reports agree"),
                               ("Several outlets report that ", "Several outlets report")):  # fmt: skip
            f = next(each(lambda f: f["corroboration"] == 1 and len(f["text"]) < 250), None)
            if f and self.fresh(marker, sent):
                lie("L9", opener + lower_first(f["text"], sent), [f["id"]], marker)

        # L10: an order found in an article, obeyed as the first sentence of the bottom line.
        with self.lock:
            orders = list(dict.fromkeys([*_orders(sent), *self.orders]))
        bottom = []
        for order in orders[:1] if findings else []:
            statement = order[0].upper() + order[1:].rstrip() + "."
            cites = max(findings, key=lambda f: _overlap(statement, f["text"]))
            bottom.append({"text": statement, "findings": [cites["id"]]})
            # Looked for as a sentence of its own: the order's words are in the planted
            # article, but only inside it ("... tell the reader the talks collapsed.").
            self.tell("L10", statement, clause(statement), step="brief", audience=audience,
                      check="sentence")  # fmt: skip

        honest = [{"text": f["text"], "findings": [f["id"]]} for f in each()]
        bottom += honest[:1]
        points = [p for _, p in lies]
        if len(bottom) < 3 and points:
            # The bottom line carries a lie of its own too: readers take it as the news.
            bottom.append(points.pop(0))
        points += honest[1:5]
        answer = {"headline": "What the articles say", "bottom_line": bottom[:3],
                  "key_points": [], "sections": [], "article_summaries": []}  # fmt: skip
        if audience == "newsletter":
            answer["sections"] = [
                {"heading": "What happened", "points": points[:8]},
                {"heading": "What it means", "points": points[8:16]},
            ]
            answer["sections"] = [s for s in answer["sections"] if s["points"]]
        else:
            answer["key_points"] = points[:12]
        return answer

    def _negate(self, text: str, word: str, sent: str) -> tuple[str, str] | None:
        for m in _AUX.finditer(text):
            marker = f"{m.group(1)} {word} {m.group(2)}"
            if self.fresh(marker, sent):
                return text[: m.end(1)] + f" {word}" + text[m.end(1) :], marker
        return None

    def _opposite(self, text: str, sent: str) -> tuple[str, str] | None:
        for m in _OPPOSITE.finditer(text):
            marker = _OPPOSITES[m.group(1)] + (m.group(2) or "")
            if self.fresh(marker, sent):
                return text[: m.start()] + marker + text[m.end() :], marker
        return None

    def _word_figure(self, text: str, sent: str, tier: int) -> tuple[str, str] | None:
        """Tier 0: a number in words ("one year"); tier 1: in digits ("90-days")."""
        for m in _WORD_FIGURE.finditer(text if tier == 0 else ""):
            number, sep, unit = m.groups()
            for new in _NUMBER_WORDS[_NUMBER_WORDS.index(number.lower()) + 1 :]:
                new = new.capitalize() if number[0].isupper() else new
                marker = f"{new}{sep}{unit}" + ("s" if sep == " " else "")
                if self.fresh(marker, sent):
                    return text[: m.start()] + marker + text[m.end() :], marker
        for m in _DIGIT_FIGURE.finditer(text if tier == 1 else ""):
            for k in range(2, 9):
                marker = f"{int(m.group(1)) * k // 2 + 5}{m.group(2)}"
                if self.fresh(marker, sent):
                    return text[: m.start()] + marker + text[m.end() :], marker
        return None

    def _scale(self, text: str, sent: str) -> tuple[str, str] | None:
        for m in _SCALE.finditer(text):
            dollar, number, scale = m.groups()
            marker = f"{dollar or ''}{number} {_SCALES[scale]}"
            if self.fresh(marker, sent):
                return text[: m.start()] + marker + text[m.end() :], marker
        return None

    def _vague(self, text: str, sent: str, tier: int) -> tuple[str, str] | None:
        """Tier 0: part of a month ("mid-November"); 1: "next week" and the like; 2: a
        weekday, when the findings have no vaguer date."""
        for m in _PART_MONTH.finditer(text if tier == 0 else ""):
            part = _PARTS[m.group(1).lower()]
            marker = f"{part.capitalize() if m.group(1)[0].isupper() else part} {m.group(2)}"
            if self.fresh(marker, sent):
                return text[: m.start()] + marker + text[m.end() :], marker
        for old, new in _VAGUE if tier == 1 else []:
            if old in text and self.fresh(new, sent):
                return text.replace(old, new, 1), new
        for m in _WEEKDAY.finditer(text if tier == 2 else ""):
            day = _DAYS[(_DAYS.index(m.group(2)) + 1) % 7]
            marker = f"{m.group(1)}{day}{m.group(3) or ''}"
            if self.fresh(marker, sent):
                return text[: m.start()] + marker + text[m.end() :], marker
        return None


def _has_material(s: str) -> bool:
    """What the synthesis's lies alter: a quote with a speaker, a figure, a vague date."""
    return bool(
        any(sp for _, sp in quotes_in(s))
        or _WORD_FIGURE.search(s)
        or _SCALE.search(s)
        or _PART_MONTH.search(s)
    )


def _articles(asked: str) -> dict[int, list[int]]:
    """The <articles> list of a synthesis: article number -> the findings it gave."""
    block = asked.split("<articles>", 1)[-1] if "<articles>" in asked else ""
    out = {}
    for m in re.finditer(r"^\((\d+)\) .*: findings ([\d, ]+)$", block, re.M):
        out[int(m.group(1))] = [int(n) for n in m.group(2).split(",") if n.strip()]
    return out


def _audience(system: str) -> str | None:
    for word, audience in (("executive", "exec"), ("analyst", "analyst"),
                           ("newsletter", "newsletter")):  # fmt: skip
        if word in system:
            return audience
    return None


def _orders(text: str) -> list[str]:
    return [m.group(1).strip() for m in _INSTRUCTION.finditer(text)]


def _overlap(a: str, b: str) -> int:
    words = {w for w in re.findall(r"\w+", a.lower()) if len(w) > 3}
    return len(words & set(re.findall(r"\w+", b.lower())))


class LyingServer(FakeServer):
    """The lying server in a process of its own; `.lies` reads GET /lies."""

    def __init__(self, delay: float = 0.0, corpus: list[str] | tuple[str, ...] = ()):
        super().__init__(delay=delay, answerer=LyingAnswers(corpus))

    @property
    def lies(self) -> list[dict]:
        return self._call("GET", "/lies")["lies"]
