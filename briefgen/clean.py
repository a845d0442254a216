"""Turn the raw text of one article into clean paragraphs: web-page debris out, content kept.

Pages copied or extracted from the web carry the same kinds of debris whatever the site:
breadcrumbs, comment forms, "related" link lists, share buttons, image placeholders, bylines
and agency credits, and separator lines; notices, labels and credits glued to a sentence are
briefgen.furniture's. Every rule here describes one of those *kinds* by its
shape (a short line of a known form, a heading followed by headline-like lines), never by the
wording of a particular article, so the rules carry over to pages nobody has looked at.

One line is one paragraph, heading or list item throughout; a rule cuts whole lines, so what
is left is always verbatim text of the input apart from whitespace and bullet glyphs.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from briefgen.furniture import furniture_line, unglue
from briefgen.text import collapse_spaces, word_count


@dataclass(frozen=True)
class Cleaned:
    text: str
    debris_cut: int = 0  # non-empty lines removed (or rewritten) as debris
    source: str | None = None  # agency or outlet named by a credit line
    title_line: str | None = None  # first line, when it is a heading: the title


# ---------------------------------------------------------------- normalising

_ODD_SPACE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# Bullet glyphs from word processors and CMS lists; "- " is what the rest of briefgen expects.
_BULLET_GLYPH = re.compile(r"^[•●▪◦‣∙■□►▸✓✔*]\s+")


def _normalise_lines(raw: str) -> list[str]:
    raw = (
        raw.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n")
    )
    raw = _INVISIBLE.sub("", _ODD_SPACE.sub(" ", raw))
    lines = []
    for line in raw.split("\n"):
        line = re.sub(r" {2,}", " ", line).strip()
        lines.append(_BULLET_GLYPH.sub("- ", line))
    return lines


# ---------------------------------------------------------------- line shapes

# "U.S." or "Inc." at the end of a headline is not a full stop.
_END_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.){2,}|\b(?:Inc|Corp|Co|Ltd|Jr|Sr|St|Bros)\.)$")


def _ends_sentence(line: str) -> bool:
    s = line.rstrip("\"'”’)]» ")
    if s.endswith(("!", ":", ";", ",")):
        return True
    if s.endswith("."):
        return s.endswith("..") or not _END_ABBREVIATION.search(s)
    return False


def _title_like(line: str, max_words: int = 20) -> bool:
    """Headlines, section headings and link-list items: short, no full stop at the end."""
    return 0 < word_count(line) <= max_words and len(line) <= 200 and not _ends_sentence(line)


def _is_bullet(line: str) -> bool:
    return bool(re.match(r"^(?:-|\d{1,2}[.)])\s", line))


def _same(a: str, b: str) -> bool:
    return collapse_spaces(a).casefold() == collapse_spaces(b).casefold()


# ---------------------------------------------------------------- single-line rules

# Whole-line matches, case-insensitive; a trailing colon or "!" does not change the meaning.
_WHOLE_LINE_DEBRIS = re.compile(
    r"""^(?:
        leave\ a\ (?:reply|comment|response) | post\ a\ comment | add\ a\ comment | comments?
      | \d+\ comments? | comments?\ \(\d+\) | (?:view|show|hide|load)\ (?:all\ )?\d*\ ?comments
      | no\ comments(?:\ yet)? | cancel\ reply | join\ the\ (?:conversation|discussion)
      | please\ enter\ your\ (?:comment|name|e-?mail(?:\ address)?)(?:\ here)?
      | you\ must\ be\ logged\ in\ to\ post\ a\ comment
      | save\ my\ name,?\ email,?\ and\ website\ in\ this\ browser.* | notify\ me\ of\ .*
      | your\ email\ address\ will\ not\ be\ published.* | required\ fields\ are\ marked.*
      | advertisement | sponsored(?:\ content)? | story\ continues\ below(?:\ advertisement)?
      | continue\ reading(?:\ below)? | scroll\ to\ continue.* | skip\ to\ (?:main\ )?content
      | skip\ ad | home | menu | search | sign\ in | log\ ?in | log\ ?out | register
      | toggle\ navigation | back\ to\ top | load\ more | show\ more | view\ all | see\ all
      | print | tweet | share | e-?mail | \d+\ min(?:ute)?s?\ read
      | privacy\ policy | terms\ of\ (?:use|service) | contact\ us | about\ us
      | \[(?:image|photo|picture|img|video|embed|gallery|caption)[^\]]*\]
    )\s*[:!.]?$""",
    re.IGNORECASE | re.VERBOSE,
)
_SHORT_PREFIX_DEBRIS = re.compile(  # short lines that start like UI or credit text
    r"""^(?:
        follow\ (?:us\b|@|.{1,40}?\ on\ (?:twitter|x|facebook|instagram|linkedin|threads|bluesky
        |telegram|whatsapp|youtube|tiktok|mastodon|google\ news)\b) | share\ (?:this|on|via|to)\b
      | subscribe\b | sign\ ?-?up\b | get\ (?:our|the)\ .*\b(?:newsletter|inbox|app)\b
      | download\ (?:our|the)\ app | click\ here\b | we\ use\ cookies | this\ (?:site|website)\ uses\ cookies
      | (?:image|photo|photograph|picture|video|illustration|graphic|caption|file\ photo|photo\ credit|image\ credit)s?\s*:
      | \((?:photo|image|picture|video|file\ photo|illustration)s?\b.*\)$
      | photo(?:graph)?\ by\b | ©\ | \(c\)\ \d{4} | copyright\ (?:©|\(c\)|\d{4})
      | \(?\s*(?:additional\ )?(?:reporting|writing|editing|edited|written|compiled|translated|research)\ by\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_ANYWHERE_DEBRIS = re.compile(
    r"all rights reserved|cookie (?:policy|settings|consent)|accept (?:all )?cookies", re.I
)
# Photo agencies in a credit; a full sentence naming one ("Getty Images said ...") is news.
_PHOTO_CREDIT = re.compile(
    r"getty images|shutterstock|\bistock\b|\balamy\b|\b(?:ap|afp) photo\b", re.I
)
# "Facebook Twitter WhatsApp Email": a share bar, nothing but the names of buttons.
_SHARE_BAR = re.compile(
    r"^(?:(?:share|tweet|e-?mail|print|facebook|twitter|x|linkedin|whatsapp|telegram|reddit"
    r"|pinterest|pin|copy|link|flipboard|messenger|sms|save|bookmark|threads|bluesky)\b[\s|·•/,]*){1,10}$",
    re.IGNORECASE,
)
_TEMPLATE_TOKEN = re.compile(r"^[a-z]+(?:_[a-z0-9]+)+$")  # "spot_img", "td_block": CMS leftovers
# "Source: Bloomberg", "Via: The Verge", "This article first appeared in Foo".
_SOURCE_LINE = re.compile(
    r"^(?:(?:source|via|courtesy)\s*:|originally\ published\ (?:by|in|on|at)"
    r"|this\ (?:article|story)\ (?:first|originally)\ appeared\ (?:in|on|at))\s*(?P<src>\S.*?)\.?$",
    re.IGNORECASE | re.VERBOSE,
)
# "Reuters with additional input and editing by Jim Pollard": an agency credit at the foot.
_AGENCY_WITH = re.compile(
    r"^(?P<src>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\s+with\s+(?:additional\s+)?"
    r"(?:inputs?|reporting|editing|contributions?)\b"
)
_WITH_FROM = re.compile(
    r"^\(?with\s+(?:additional\s+)?(?:inputs?|reporting|contributions?)\s+from\s+(?P<src>[^)]+?)\)?\.?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^By\s+(?P<names>[^|]+?)(?:\s*[|,].*)?$")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|and|&|de|van|von|der|al|bin|da|la|le|du)$")


# Lines judged, remembered: reprints and a site's feed repeat the same lines (credits,
# notices, whole paragraphs) article after article. 8,192 lines of a few hundred characters
# are a few MB, eight times the ~1,000 distinct lines that benchmarks/scale.py's near-copies
# repeat (3,881 distinct of 28,886 lines for 3,000 articles; each copy adds one of its own).
LINES_REMEMBERED = 1 << 13
_furniture_line = functools.lru_cache(maxsize=LINES_REMEMBERED)(furniture_line)
_unglue = functools.lru_cache(maxsize=LINES_REMEMBERED)(unglue)


def _line_debris(line: str, rank: int) -> tuple[bool, str | None]:
    """Is this one line debris on its own? Returns (cut, source named by it)."""
    # Only whether the line stands near the top (a byline's place) depends on its rank.
    return _debris(line, rank < 5)


@functools.lru_cache(maxsize=LINES_REMEMBERED)
def _debris(line: str, near_top: bool) -> tuple[bool, str | None]:
    words = word_count(line)
    if not any(ch.isalnum() for ch in line):
        return True, None  # "###", "* * *", "---": separators
    if _TEMPLATE_TOKEN.match(line) or _WHOLE_LINE_DEBRIS.match(line):
        return True, None
    if words <= 25 and (_SHORT_PREFIX_DEBRIS.match(line) or _ANYWHERE_DEBRIS.search(line)):
        return True, None
    if words <= 15 and _PHOTO_CREDIT.search(line) and not _ends_sentence(line):
        return True, None
    if _SHARE_BAR.match(line):
        return True, None
    if words <= 10 and (m := _SOURCE_LINE.match(line)):
        return True, m["src"].strip()
    if words <= 20 and (m := _AGENCY_WITH.match(line) or _WITH_FROM.match(line)):
        src = m["src"].strip()
        return True, None if src.casefold() in {"agencies", "wires", "wire services"} else src
    if near_top and (m := _BYLINE.match(line)):
        names = m["names"].split()
        if len(names) <= 8 and all(_NAME_WORD.match(w.strip(",")) for w in names):
            return True, None  # "By Jane Doe and John Roe" near the top
    if _inline_link(line):
        return True, None
    return False, None


# "ALSO SEE: Some Headline", "Read: Some headline": one promoted link on its own line.
_INLINE_LINK = re.compile(
    r"^(?:also\ (?:see|read)|read\ (?:more|also|next)|read|see\ also|related|must\ read|recommended"
    r"|watch|listen|trending|don'?t\ miss|more\ on\ this(?:\ story)?|more)\s*[:|»]\s*(?P<rest>.+)$",
    re.IGNORECASE | re.VERBOSE,
)


def _inline_link(line: str) -> bool:
    m = _INLINE_LINK.match(line)
    return bool(m) and _title_like(m["rest"], max_words=25)


# ---------------------------------------------------------------- breadcrumbs

_CRUMB_START = re.compile(r"^(?:home|start|main page)\s*(?:>|»|›|→|/|\||::)\s*", re.IGNORECASE)
_CRUMB_SPLIT = re.compile(r"\s+(?:>|»|›|→)\s+")
# Glued crumbs lose their separators: "HomeWorld NewsAsiaUS, China edge ...". A capitalised
# segment directly followed by another capital (no space) is one crumb.
_GLUED_SEGMENT = re.compile(r"[A-Z][a-z]+(?:[ &-][A-Z][a-z]+)*(?=[A-Z])")


def _crumb(line: str, next_line: str | None) -> tuple[bool, str | None]:
    """Is the line a breadcrumb trail? Returns (is crumb, the title it carried, if any)."""
    tail = None
    if re.match(r"^Home[A-Z]", line):
        tail = line[4:]
        while m := _GLUED_SEGMENT.match(tail):
            tail = tail[m.end() :]
    elif _CRUMB_START.match(line) or (
        len(parts := _CRUMB_SPLIT.split(line)) >= 3
        and all(word_count(p) <= 6 and not _ends_sentence(p) for p in parts[:-1])
    ):
        parts = _CRUMB_SPLIT.split(_CRUMB_START.sub("", line))
        tail = parts[-1] if word_count(parts[-1]) > 6 else ""
    else:
        return False, None
    # The page usually repeats the title on the next line; then the crumb carries nothing.
    if not tail or (next_line and (line.endswith(next_line) or _same(tail, next_line))):
        return True, None
    return True, tail.strip()


# ---------------------------------------------------------------- link lists and references

_LIST_HEADING = re.compile(
    r"""^(?:also\ (?:see|read)|read\ (?:more|also|next)|see\ also|must\ read|don'?t\ miss
      | related(?:\ (?:articles|stories|news|posts|content|coverage|topics|reading|links))?
      | more\ (?:from|on|in|about)\ .{1,40} | more\ (?:stories|news|articles|headlines)
      | recommended(?:\ (?:for\ you|stories|reading|articles))? | you\ (?:may|might)\ also\ (?:like|enjoy)
      | you\ may\ be\ interested\ in | trending(?:\ (?:now|stories|news))? | most\ (?:read|popular|viewed)
      | popular(?:\ (?:posts|stories|now))? | top\ stories | latest(?:\ (?:news|stories|posts))?
      | editor'?s\ picks | in\ case\ you\ missed\ it | what\ to\ read\ next
    )\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)
_REF_HEADING = re.compile(
    r"^(?:sources(?:\ and\ (?:further\ reading|references))?|further\ reading|references"
    r"|bibliography|external\ links|works\ cited|citations|notes\ and\ references)\s*:?$",
    re.IGNORECASE | re.VERBOSE,
)


def _citation_like(line: str) -> bool:
    return bool(
        _is_bullet(line)
        or re.search(r"\((?:19|20)\d{2}|https?://|www\.|\bdoi\b|\bretrieved\b", line, re.I)
        or _title_like(line)
    )


def _cut_lists(lines: list[str], cut: list[bool]) -> None:
    """Cut "Related"-style headings with the headline list under them, and reference lists."""
    idx = [i for i, line in enumerate(lines) if line and not cut[i]]
    k = 0
    while k < len(idx):
        line = lines[idx[k]]
        if _LIST_HEADING.match(line):
            cut[idx[k]] = True
            k += 1
            while k < len(idx) and _title_like(lines[idx[k]]):
                # A headline-like line right before a paragraph is a section heading of the
                # article, not a link: the list ended before it.
                if k + 1 < len(idx) and not _title_like(lines[idx[k + 1]]):
                    break
                cut[idx[k]] = True
                k += 1
        elif _REF_HEADING.match(line) and (k + 1 == len(idx) or _citation_like(lines[idx[k + 1]])):
            cut[idx[k]] = True
            k += 1
            while k < len(idx) and _citation_like(lines[idx[k]]):
                cut[idx[k]] = True
                k += 1
        else:
            k += 1


# ---------------------------------------------------------------- title

_TRAILING_MARK = re.compile(r"\s*(?:#{2,}|\*{3,}|-30-|–30–)\s*$")


def _is_title(line: str) -> bool:
    return (
        _title_like(line)
        and word_count(line) >= 2
        and not line[0].islower()
        and not _is_bullet(line)
    )


def split_title(text: str) -> tuple[str | None, str]:
    """Take the first line off `text` when it reads as a heading; returns (title, rest).

    A repeat of the title right after it (pages often print it twice) goes too.
    """
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not _is_title(lines[first].strip()):
        return None, text
    rest = lines[first + 1 :]
    if not any(line.strip() for line in rest):
        return None, text  # a lone heading is the whole article, not its title
    title = lines[first].strip()
    seen = 0
    for i, line in enumerate(rest):
        if line.strip():
            if _same(line, title):
                rest[i] = ""
            seen += 1
            if seen >= 3:
                break
    return title, _join(rest)


def _join(lines: list[str]) -> str:
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


# ---------------------------------------------------------------- entry point


def clean_text(raw: str) -> Cleaned:
    """Cut web-page debris from `raw`; see the module docstring for what counts as debris."""
    lines = _normalise_lines(raw)
    cut = [False] * len(lines)
    sources: list[str] = []
    debris = 0
    rank = 0  # position among non-empty lines: bylines only count near the top
    following: list[str | None] = [None] * len(lines)  # the next non-empty line after each
    for i in range(len(lines) - 2, -1, -1):
        following[i] = lines[i + 1] or following[i + 1]
    for i, line in enumerate(lines):
        if not line:
            continue
        # Page furniture (briefgen.furniture): a notice or label line goes whole; a label or
        # photo credit glued to a sentence goes and the sentence stays.
        if _furniture_line(line):
            cut[i] = True
            rank += 1
            continue
        if (bare := _unglue(line)) != line:
            lines[i] = line = bare
            debris += 1
        is_debris, src = _line_debris(line, rank)
        rank += 1
        if is_debris:
            cut[i] = True
            sources.extend([src] if src else [])
            continue
        is_crumb, carried = _crumb(line, following[i])
        if is_crumb and carried:
            lines[i] = carried  # the crumbs go, the title they were glued to stays
            debris += 1
        elif is_crumb:
            cut[i] = True  # counted with the other cut lines below
    _cut_lists(lines, cut)
    debris += sum(1 for i, line in enumerate(lines) if line and cut[i])
    kept = [line for i, line in enumerate(lines) if not cut[i]]
    # "...if not more.###": an end-of-release mark glued to the last paragraph.
    for i in range(len(kept) - 1, -1, -1):
        if kept[i]:
            kept[i] = _TRAILING_MARK.sub("", kept[i])
            break
    before = sum(1 for line in kept if line)
    title, body = split_title(_join(kept))
    after = sum(1 for line in body.split("\n") if line.strip())
    debris += before - after - (1 if title else 0)  # repeats of the title
    return Cleaned(body, debris, sources[0] if sources else None, title)
