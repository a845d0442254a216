"""Turn a Brief or a WatchList into Markdown, HTML, JSON or iCalendar text.

Markdown, HTML and iCalendar go through Jinja templates so users can restyle them without
touching code: a --templates directory is searched first, then the defaults shipped with
briefgen, so a user overrides exactly the files they copy. Templates only *show* what they
are given; anything that needs a decision (grouping, date wording, which URLs are safe,
iCalendar UIDs) is done here, in filters or in the context, where it is tested.

JSON is not templated: it is the model dump itself, so it is always valid and always reads
back with Brief.model_validate_json / WatchList.model_validate_json.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from briefgen import __version__
from briefgen.errors import ConfigError, RenderError
from briefgen.resources import templates_dir
from briefgen.schema import Brief, Section, SourceRef, WatchItem, WatchList

# Fixed English names: strftime's %a/%b follow the process locale, and a brief rendered on a
# German machine should not change language mid-sentence.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_ENTITY_GROUPS = (
    ("person", "People"),
    ("organization", "Organizations"),
    ("place", "Places"),
    ("other", "Other"),
)

# ---------------------------------------------------------------- filters and tests


def day(value: dt.date | None) -> str:
    """A date as 'Thu 30 Oct 2025'; None as 'undated'."""
    if value is None:
        return "undated"
    return f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]} {value.year}"


def moment(value: dt.datetime | None) -> str:
    """A point in time as 'Sat 22 Nov 2025, 14:05 UTC' (naive times are taken as UTC)."""
    if value is None:
        return "unknown"
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return f"{day(value.date())}, {value:%H:%M} UTC"


def when(item: Any) -> str:
    """A watch item's date worded no more precisely than the article was.

    'mid-November' resolves to some day in November for sorting, but printing that day would
    claim a precision the source never gave, so the precision decides the wording.
    """
    date, precision = item.date, item.precision
    if date is None:
        return f"{item.date_text or 'undated'} (unresolved)"
    month_year = f"{_MONTHS[date.month - 1]} {date.year}"
    if precision == "part-of-month":
        part = "early" if date.day <= 10 else "mid" if date.day <= 20 else "late"
        return f"{part}-{month_year}"
    if precision == "month":
        return month_year
    if precision == "quarter":
        return f"Q{(date.month - 1) // 3 + 1} {date.year}"
    if precision == "half-year":
        return f"H{1 if date.month <= 6 else 2} {date.year}"
    if precision == "year":
        return str(date.year)
    return day(date)


def corroboration(count: int) -> str:
    """'3 sources' or 'single source': how many distinct articles back a point."""
    return "single source" if count <= 1 else f"{count} sources"


@jinja2.pass_eval_context
def citations(eval_ctx: jinja2.nodes.EvalContext, numbers: Iterable[int]) -> str:
    """[1][3] in text formats; in HTML each number links to its entry in the source list."""
    nums = [int(n) for n in numbers]  # int() also guarantees nothing but digits reaches HTML
    if eval_ctx.autoescape:
        return Markup("").join(
            Markup(
                '<a href="#src-{0}" style="color:#1a5fb4;text-decoration:none;">[{0}]</a>'
            ).format(n)
            for n in nums
        )
    return "".join(f"[{n}]" for n in nums)


@jinja2.pass_eval_context
def point_labels(
    eval_ctx: jinja2.nodes.EvalContext, point: Any, every: bool = True, plain: bool = False
) -> list[str]:
    """What stands behind a sentence, as short labels: the one wording every template uses.

    ["2 sources", "disputed by [3]", "[4] copies [2]"]: how many independent sources agree
    (always with `every`; otherwise only "single source", the count worth a warning, as in a
    bottom line), which sources state otherwise, and which cited sources are copies of
    another cited one (so count once). `plain` words the copies for subscribers ("[4] is a
    copy of [2]"). In HTML the numbers are links, as the `citations` filter makes them.
    """
    cite = functools.partial(citations, eval_ctx)
    out: list[str] = []
    if every or point.corroboration <= 1:
        out.append(corroboration(point.corroboration))
    if point.disputed_by:
        out.append(_joined(eval_ctx, "disputed by ", cite(point.disputed_by)))
    for note in point.copies:
        verb = " is a copy of " if plain else " copies "
        out.append(_joined(eval_ctx, cite([note.n]), verb, cite([note.of])))
    return out


def _joined(eval_ctx: jinja2.nodes.EvalContext, *parts: str) -> str:
    """Our own words and citations made into one label: Markup in HTML, a str elsewhere."""
    if eval_ctx.autoescape:
        return Markup("").join(parts)
    return "".join(parts)


_MD_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_MD_LEADING_MARK = re.compile(r"^(?=[#>+*=-])")
# An ordered list needs a space (or the line's end) after "6." or "6)": "6.5 magnitude" is
# a figure, not a list, and stays as written.
_MD_LEADING_NUMBER = re.compile(r"^(\d{1,9})(?=[.)](?:\s|$))")
# A '[' that a later ']' followed by '(', '[' or ':' could close into a link, image or link
# definition; a lone '[1]' or '[Washington]' cannot link without a definition, so stays as is.
_MD_LINK_OPEN = re.compile(r"\[(?=.*\]\s*[(\[:])")
_MD_TAG = re.compile(r"<(?=[A-Za-z/!?])")


def md(value: Any) -> str:
    """Article text made safe to drop into one Markdown line, changed as little as possible.

    Whitespace (newlines included) collapses to single spaces so text cannot end a list item
    or start a heading; a leading '#', '>', '-', '+', '*', '=' or '1. ' is escaped; a '[' that
    could open a link or image is escaped; '<' before a tag-like character is escaped so a
    renderer passing HTML through shows the text instead of running it.
    """
    text = " ".join(str(value).split())
    text = _MD_BACKSLASH.sub(r"\\\\", text)  # first, so our own escapes below stay escapes
    text = _MD_LINK_OPEN.sub(r"\\[", text)
    text = _MD_TAG.sub(r"\\<", text)
    text = _MD_LEADING_MARK.sub(r"\\", text)
    return _MD_LEADING_NUMBER.sub(r"\1\\", text)


def md_cell(value: Any) -> str:
    """md() for a Markdown table cell, where '|' would end the cell."""
    return md(value).replace("|", r"\|")


_ICS_NEWLINES = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_ICS_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def ics_text(value: Any) -> str:
    """An RFC 5545 TEXT value: backslash, ';' and ',' escaped, newlines as '\\n'.

    Other control characters are not allowed in TEXT at all, so they are dropped.
    """
    text = str(value).replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,")
    text = _ICS_NEWLINES.sub(r"\\n", text)
    return _ICS_CONTROL.sub("", text)


_HTTP_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)


def is_http_url(value: Any) -> bool:
    """Only plain http(s) URLs become links: 'javascript:', 'data:' and the like never do."""
    return isinstance(value, str) and _HTTP_URL.fullmatch(value.strip()) is not None


def is_inferred_basis(basis: str | None) -> bool:
    """A date basis worth showing: anything but a date taken straight from metadata."""
    return bool(basis) and not str(basis).lower().startswith("metadata")


# ---------------------------------------------------------------- environment


def _environment(templates: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        templates = Path(templates)
        if not templates.is_dir():
            raise ConfigError(f"templates directory not found: {templates}")
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    loaders.append(jinja2.FileSystemLoader(str(templates_dir())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        # 'exec.html.j2' must count as HTML: select_autoescape matches on name suffixes.
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "html.j2", "htm.j2"),
            default_for_string=False,
            default=False,
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        day=day,
        moment=moment,
        when=when,
        corroboration=corroboration,
        citations=citations,
        point_labels=point_labels,
        md=md,
        md_cell=md_cell,
        ics=ics_text,
    )
    env.tests.update(http_url=is_http_url, inferred_basis=is_inferred_basis)
    return env


def _template_line(exc: BaseException) -> str:
    """' (file.j2, line 12)' from a Jinja-rewritten traceback, when it has a template frame."""
    tb, found = exc.__traceback__, ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f" ({Path(filename).name}, line {tb.tb_lineno})"
        tb = tb.tb_next
    return found


def render_template(name: str, context: dict[str, Any], templates: Path | None = None) -> str:
    """Render one template by name; every Jinja failure becomes a RenderError naming it."""
    env = _environment(templates)
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise RenderError(
            f"template {name}: syntax error in {where}, line {exc.lineno}: {exc.message}"
        ) from exc
    except jinja2.TemplateNotFound as exc:
        missing = ", ".join(getattr(exc, "templates", None) or [exc.name or name])
        raise RenderError(f"template {name}: template not found: {missing}") from exc
    except jinja2.TemplateError as exc:  # UndefinedError, runtime and filter errors
        raise RenderError(f"template {name}{_template_line(exc)}: {exc}") from exc


# ---------------------------------------------------------------- briefs


def _entity_groups(brief: Brief) -> list[tuple[str, list[Any]]]:
    """Entities by kind, most-mentioned first; empty kinds left out."""
    groups = []
    for kind, label in _ENTITY_GROUPS:
        members = [e for e in brief.entities if e.kind == kind]
        if members:
            groups.append((label, sorted(members, key=lambda e: (-e.mentions, e.name.lower()))))
    return groups


def brief_context(brief: Brief) -> dict[str, Any]:
    """What every brief template receives (documented at the top of each template)."""
    # A newsletter without editor-made sections still needs something to read.
    sections = brief.sections or [Section(heading="The main points", points=brief.key_points)]
    return {
        "brief": brief,
        "sections": sections,
        "entity_groups": _entity_groups(brief),
        "version": __version__,
    }


def _dump_json(model: Brief | WatchList) -> str:
    # Field order is the schema's order, so output is stable without sort_keys, and it reads
    # in the same order as the model. No extra keys: the models forbid them, and the JSON
    # must read back as the model it came from.
    return json.dumps(model.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def render_brief(
    brief: Brief, fmt: Literal["md", "html", "json"], templates: Path | None = None
) -> str:
    """Render a brief with the template '<audience>.<fmt>.j2', or as JSON."""
    if fmt == "json":
        return _dump_json(brief)
    if fmt not in ("md", "html"):
        raise ConfigError(f"unknown brief format {fmt!r}; use md, html or json")
    return render_template(f"{brief.audience}.{fmt}.j2", brief_context(brief), templates)


# ---------------------------------------------------------------- watch lists


def _uid(item: WatchItem) -> str:
    """A UID that stays the same as long as the item does, so re-imports update, not duplicate."""
    key = json.dumps(
        [
            item.description,
            item.date.isoformat() if item.date else None,
            item.date_text,
            item.status,
            item.sentence,
            sorted(item.article_ids),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + "@briefgen"


def _source_line(src: SourceRef) -> str:
    parts = [f"[{src.n}] {src.title}"]
    if src.source:
        parts.append(f" - {src.source}")
    if src.published:
        parts.append(f", {day(src.published)}")
    if is_http_url(src.url):
        parts.append(f" <{src.url.strip()}>")
    return "".join(parts)


def _ics_events(watch: WatchList, sources: list[SourceRef] | None) -> list[dict[str, str]]:
    """One all-day event per resolved item, in list order, values still unescaped."""
    by_n = {s.n: s for s in sources or []}
    events: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in [*watch.upcoming, *watch.unresolved, *watch.passed]:
        if not item.resolved:
            continue
        uid = _uid(item)
        if uid in seen:  # a UID must be unique within a calendar; an exact repeat adds nothing
            continue
        seen.add(uid)
        lines = [item.sentence]
        if item.date_text and item.precision not in (None, "day"):
            lines.append(f"Date as written: {item.date_text} ({when(item)})")
        if item.citations:
            refs = [_source_line(by_n[n]) if n in by_n else f"[{n}]" for n in item.citations]
            # With the source list, spell each one out: a calendar has no [n] list to look up.
            lines.extend(["Sources:", *refs] if by_n else ["Sources: " + "".join(refs)])
        events.append(
            {
                "uid": uid,
                "dtstart": f"{item.date:%Y%m%d}",
                "dtend": f"{item.date + dt.timedelta(days=1):%Y%m%d}",
                "summary": item.description,
                "description": "\n".join(lines),
                "category": item.type_label,
            }
        )
    return events


_ICS_UNITS = re.compile(r"\\.|.", re.DOTALL)


def fold_ics_line(line: str, limit: int = 75) -> str:
    """Fold one content line at `limit` octets (RFC 5545 3.1) without splitting a character.

    Continuation lines start with a space, which counts toward their own limit.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    # A backslash escape ('\\,', '\\n') is kept whole: legal to split, but some readers
    # unescape before they unfold.
    for unit in _ICS_UNITS.findall(line):
        width = len(unit.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 1  # the leading space of the continuation line
        current.append(unit)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _finish_ics(text: str) -> str:
    """Template output to wire format: drop blank lines, fold, CRLF after every line.

    Templates are edited with ordinary newlines and indentation-free lines; doing the octet
    work here means an overridden template cannot get folding or line endings wrong.
    """
    lines = [line.rstrip("\r") for line in text.split("\n")]
    return "".join(fold_ics_line(line) + "\r\n" for line in lines if line.strip())


def render_watchlist(
    watch: WatchList,
    fmt: Literal["md", "json", "ics"],
    templates: Path | None = None,
    sources: list[SourceRef] | None = None,
) -> str:
    """Render a what-to-watch list as Markdown, JSON or an iCalendar file."""
    if fmt == "json":
        return _dump_json(watch)
    context: dict[str, Any] = {
        "watch": watch,
        "sources": sources or [],
        "version": __version__,
    }
    if fmt == "md":
        return render_template("watchlist.md.j2", context, templates)
    if fmt == "ics":
        context.update(
            events=_ics_events(watch, sources),
            dtstamp=f"{watch.as_of:%Y%m%d}T000000Z",  # as_of, not now: same input, same file
            prodid=f"-//briefgen//briefgen {__version__}//EN",
            calendar_name=f"What to watch (as of {day(watch.as_of)})",
        )
        return _finish_ics(render_template("watchlist.ics.j2", context, templates))
    raise ConfigError(f"unknown watch list format {fmt!r}; use md, json or ics")
