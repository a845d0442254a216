"""Page furniture: the lines a site prints around every story, and the bits of them that
crawlers glue onto the story's own lines.

clean.py cuts whole lines of debris; this module knows the furniture that is either a line
of its own or stuck to the start or end of a real sentence, and what is left of such a line
is always a verbatim piece of it:

- continuation notices: "Story continued below", "Article continues after advertisement";
- crawl and script notices: "This page was crawled on ...", "Please enable JavaScript";
- document labels: "Summary:", "Key takeaways:" alone, or glued to a first sentence
  ("Summary: The two sides agreed ...");
- photo captions' credits glued to a sentence: "(Photo: Reuters) The talks ...",
  "AP Photo/Jane Doe The talks ...", "Getty Images The talks ...", "... on Friday. (AP Photo)";
- calls to action: "click here", "Read more", "Sign up" on a short line, or "Read more" at
  the end of a paragraph;
- notes about the page itself, a line of their own or a sentence of a paragraph: rights
  ("may not be published, broadcast, rewritten or redistributed"), updates and corrections
  ("This story has been updated", "Correction: An earlier version of this story ..."),
  republication ("This article was originally published on ..."), paywalls ("You have
  reached your limit of free articles"), comment prompts ("Let us know in the comments"),
  disclaimers, and the writer's beat ("Jane Doe covers trade for Example News").

Each kind is described by its form and by a closed vocabulary of the web (labels of a
document's parts, names of photo agencies, words of a browser notice), never by the wording
of one article.
"""

from __future__ import annotations

import re

from briefgen.text import word_count

# ---------------------------------------------------------------- whole lines

_CONTINUATION = re.compile(
    r"""^\(?(?:the\ )?(?:story|article|text|report|post|content)\ continue[sd]?
        (?:\ (?:below|after|on|from|overleaf|beneath)\b.*)?\)?[.:!]?$
      | ^\(?continued\ (?:below|on|from|after|overleaf)\b.*\)?[.:!]?$
      | ^\(?(?:continued|cont(?:'|’)?d\.?|more\ below)\)?[.:!]?$
      | ^continue\ reading\b.*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Browser, script and crawl notices: what a page says to a browser or a crawler, not news.
# Each alternative names the web page itself (its script, its browser, its crawl), so a news
# sentence about a document or a website does not match.
_NOTICE = re.compile(
    r"""\b(?:please\ )?(?:enable|turn\ on|activate|allow)\ (?:your\ )?javascript\b
      | \bjavascript\ (?:is\ )?(?:disabled|required|must\ be\ enabled|is\ turned\ off)
      | \byour\ browser\ (?:does\ not|doesn['’]t|is\ not|isn['’]t)\ (?:support|supported)
      | \b(?:upgrade|update)\ (?:to\ a\ (?:modern|newer|different|web)\ browser|your\ browser)
      | \b(?:disable|turn\ off|whitelist)\ (?:your\ )?ad[\ -]?blocker\b
      | \b(?:this|the)\ (?:web\ ?)?(?:page|snapshot)\ (?:was|has\ been|is)
        \s(?:crawled|archived|scraped|cached|captured)\b
      | \b(?:crawled|scraped)\ (?:on|at|from)\b | \bare\ you\ a\ robot\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A call to action anywhere in a short line: "To read the full story, click here."
_CALL_TO_ACTION = re.compile(
    r"\bclick\ (?:here|the\ link|below)(?=\s*(?:to\b|for\b|[.!:)»]|$))|\btap\ here\b|\bsign\ up\ (?:here|now|today|for|to)\b"
    r"|\bsubscribe\ (?:here|now|today|to\ (?:our|the))\b",
    re.IGNORECASE | re.VERBOSE,
)
# What a publisher says about the page, never about the story: each alternative has the
# page itself in it (this story, an earlier version of this article, your free articles, the
# comments), a publisher's notice label ("Correction:", "Disclaimer:") or its boilerplate (a
# list of what "may not be" done with it), so a news sentence about a correction, an article
# in a journal or a court's ban on publishing does not match.
_PAGE_PIECE = r"(?:story|article|report|post|piece|page|column|essay|interview)"
_REUSE = (
    r"(?:re)?(?:published|produced|broadcast|rewritten|redistributed|distributed|copied|printed)"
)
# Those that open the sentence (tried at its start only) ...
_PAGE_NOTE_START = re.compile(
    rf"""(?:correction|clarification|disclaimer|corrections\ and\ clarifications)\s*[:|—–-]
      | this\ {_PAGE_PIECE}\ (?:has\ been|was|is\ being)\ (?:updated|corrected|amended|revised)\b
      | this\ {_PAGE_PIECE}\ (?:was\ |is\ )?(?:originally|first)\ (?:published|posted|appeared)\b
      | this\ {_PAGE_PIECE}\ is\ (?:republished|reproduced|reprinted)\b
      | already\ a\ (?:subscriber|member)\b | (?:leave|post|add)\ a\ comment\b
      | (?:follow|you\ can\ (?:follow|reach|contact))\ (?:him|her|them|us|the\ author)\ (?:on|at|via)\b
      | (?:contact|email|reach)\ the\ (?:author|writer|reporter)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# ... and those that may stand anywhere in it, looked for only where one of their words is.
_PAGE_NOTE_ANYWHERE = re.compile(
    rf"""\bmay\ not\ be\ {_REUSE}(?:,?\ (?:or\ |and/or\ )?{_REUSE}){{1,5}}\b
      | \ball\ rights\ reserved\b
      | \ban?\ (?:earlier|previous|prior|initial)\ version\ of\ this\ {_PAGE_PIECE}\b
      | \b(?:reached|used)\ your\ (?:limit|maximum|allowance)\ of\ (?:free\ )?(?:articles|stories|reads)\b
      | \b(?:let\ us\ know|tell\ us(?:\ what\ you\ think)?)\ in\ the\ comments\b
      | \bcomments?\ (?:are|is|have\ been)\ (?:closed|disabled)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_ANYWHERE_WORDS = ("may not be", "rights reserved", "version of this", "your ", "comment")
# A writer's beat, the line under a story: a name, then what and whom they cover for.
_WRITERS_BEAT = re.compile(
    r"[A-Z][\w'’.-]+(?:\ [A-Z][\w'’.-]+){1,2}\ (?:covers|writes\ about|reports\ on)\ .{1,80}?"
    r"\ (?:for|at)\ (?:the\ )?[A-Z]",
    re.VERBOSE,
)


def page_note(sentence: str) -> bool:
    """Is this sentence (or line) a note about the page itself, not news: rights, an update
    or correction notice, a republication note, a paywall, a comment prompt, a disclaimer,
    the writer's beat?"""
    # Asked of every sentence a brief may choose: the cheap tests first.
    if _PAGE_NOTE_START.match(sentence) or _WRITERS_BEAT.match(sentence):
        return word_count(sentence) <= 40
    low = sentence.lower()
    if not any(w in low for w in _ANYWHERE_WORDS):
        return False
    return bool(_PAGE_NOTE_ANYWHERE.search(sentence)) and word_count(sentence) <= 40


# The labels of a document's parts, as a closed vocabulary; "Wu said:" is no label.
_LABEL = (
    r"(?:summary|in\ summary|introduction|intro|overview|background|context|analysis|opinion"
    r"|commentary|conclusion|highlights?|key\ (?:points?|takeaways?|facts?|developments?)"
    r"|takeaways?|the\ gist|in\ brief|at\ a\ glance|tl;?\ ?dr|bottom\ line|editor['’]?s\ note"
    r"|note|update[d]?|breaking(?:\ news)?|exclusive|explainer|fact\ ?check|live|watch|listen"
    r"|what\ we\ know|why\ it\ matters|what['’]s\ next|the\ big\ picture)"
)
# With its mark it is a label ("Summary:"); without, a heading over the article's own list
# ("Key Points"), which stays with what it heads.
_LABEL_LINE = re.compile(rf"^{_LABEL}\s*[:|—–-]$", re.IGNORECASE | re.VERBOSE)


def furniture_line(line: str) -> bool:
    """Is this whole line furniture: a continuation, crawl or script notice, a lone label,
    a note about the page, or a short call to action?"""
    words = word_count(line)
    if (words <= 15 and _CONTINUATION.match(line)) or _LABEL_LINE.match(line):
        return True
    if (words <= 40 and _NOTICE.search(line)) or page_note(line):
        return True
    return words <= 20 and bool(_CALL_TO_ACTION.search(line))


# ---------------------------------------------------------------- glued to a line

# Agencies and photo desks whose names make up a credit. A closed list: the wire and photo
# services whose credits run under news pictures everywhere.
_AGENCY = (
    r"(?:Getty\ Images|Shutterstock|iStock(?:photo)?|Alamy|NurPhoto|SOPA\ Images|ZUMA(?:\ Press)?"
    r"|Reuters|AP|AFP|EPA(?:-EFE)?|Xinhua|Kyodo|Yonhap|Anadolu|Bloomberg|Pool|File|Handout"
    r"|Associated\ Press|Agence\ France-Presse|Imaginechina|VCG|WireImage|Sipa|Bloomberg\ via\ Getty)"
)
# Services that only take pictures: their name at a line's start is a credit, not a subject.
_PHOTO_DESK = (
    r"(?:Getty\ Images|Shutterstock|iStock(?:photo)?|Alamy|NurPhoto|SOPA\ Images|ZUMA\ Press"
    r"|WireImage|Imaginechina|VCG|Sipa\ USA)"
)
_PERSON = r"[A-Z][\w'’.-]+(?:\ [A-Z]\.)?\ [A-Z][\w'’-]+"  # "Evan Vucci", "J. Scott Applewhite"
_PHOTO = (
    r"(?i:photo(?:graph)?s?|images?|pictures?|pics?|file\ photos?|videos?|illustrations?|captions?)"
)
_CREDIT_BODY = (
    rf"(?:{_AGENCY}(?:\s*/\s*(?:{_PERSON}|{_AGENCY}|File))?(?:\ via\ {_AGENCY})?"
    rf"|{_PERSON}\s*/\s*{_AGENCY}(?:\ via\ {_AGENCY})?|{_PERSON}\ (?:for|via)\ {_AGENCY})"
)
# A credit standing before the sentence it was glued to; the sentence must start with a
# capital (or a quotation mark), so no part of the story is ever taken for the credit.
_LEADING_CREDIT = re.compile(
    rf"""^(?:
        \(\s*(?:{_AGENCY}\ )?{_PHOTO}(?:\s*(?i:credit|by))?\b[^()]{{0,80}}\)   # (Photo: Reuters)
      | \[\s*{_PHOTO}\b[^\[\]]{{0,80}}\]                                        # [Photo: ...]
      | {_PHOTO}(?:\s*(?i:credit))?\s*:\s*{_CREDIT_BODY}                      # Photo: Reuters
      | {_AGENCY}\ (?:{_PHOTO})(?:\s*/\s*{_PERSON}(?:,\ File)?)?               # AP Photo/Jane Doe
      | (?:(?:{_PERSON}|{_AGENCY})\s*/\s*|{_PERSON}\ (?:via|for)\ |{_AGENCY}\ via\ )?{_PHOTO_DESK}
    )[\s.,;:|·—–-]*(?=[A-Z“"‘'])""",
    re.VERBOSE,
)
_TRAILING_CREDIT = re.compile(
    rf"""(?<=[.!?”"’])\s*(?:
        \(\s*(?:{_AGENCY}\ )?{_PHOTO}\b[^()]{{0,80}}\)
      | \(\s*{_CREDIT_BODY}\s*\)
      | {_PHOTO}(?:\s*credit)?\s*:\s*{_CREDIT_BODY}
    )\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
# "Summary: The two sides ...", "ANALYSIS | China's ...": a label glued to what follows it.
_LEADING_LABEL = re.compile(rf"^{_LABEL}\s*(?::|\||—|–|\s-)\s*(?=[A-Z“\"‘'0-9(\[])", re.I | re.X)
_TRAILING_ACTION = re.compile(
    r"(?<=[.!?”\"’])\s*(?:read\ more|continue\ reading|read\ the\ full\ (?:story|article)"
    r"|click\ here\ to\ read\ more|full\ story)\s*[.:»›→…]*\s*$",
    re.IGNORECASE | re.VERBOSE,
)


# A label is taken off a sentence only. A heading keeps its label ("Analysis: Rare Earths as
# Leverage"): a heading is never a point, and a page's headings stay as the page wrote them.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")


def unglue(line: str) -> str:
    """The line without the furniture glued to its start or end (labels, photo credits,
    "Read more"); the line itself when nothing is glued to it. What remains is a verbatim
    piece of the line."""
    out = line
    for _ in range(3):  # "Summary: (Photo: Reuters) The ...": a label and a credit
        before = out
        if _SENTENCE_END.search(out):
            out = _LEADING_LABEL.sub("", out, count=1)
        out = _LEADING_CREDIT.sub("", out, count=1)
        out = _TRAILING_CREDIT.sub("", out, count=1)
        out = _TRAILING_ACTION.sub("", out, count=1)
        if out == before:
            break
    out = out.strip()
    # Never leave a stub: a line that was all furniture is cut whole by furniture_line or
    # clean.py's own rules, and a remnant of a word or two is kept as it was.
    return out if word_count(out) >= 3 else line
