"""Turn a Brief or a WatchList into Markdown, HTML, JSON or iCalendar text.

Markdown, HTML and iCalendar go through Jinja templates so users can restyle them without
touching code: a --templates directory is searched first, then the defaults shipped with
briefgen, so a user overrides exactly the files they copy. Templates only *show* what they
are given; anything that needs a decision (grouping, date wording, which URLs are safe,
iCalendar UIDs) is done here, in filters or in the context, where it is tested.

JSON is not templated: it is the model dump itself, so it is always valid and always reads
back with Brief.model_validate_json / WatchList.model_validate_json; its schema is the one
`briefgen schema` prints (contract.py). A watch list's JSON carries its sources.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from briefgen import __version__, newsletter, plain_text, source_list
from briefgen.absolute import annotate_item
from briefgen.errors import ConfigError, RenderError
from briefgen.resources import templates_dir
from briefgen.schema import Brief, KeyPoint, Section, SourceRef, WatchItem, WatchList
from briefgen.wording import day, moment, state_words, when

_ENTITY_GROUPS = (
    ("person", "People"),
    ("organization", "Organizations"),
    ("place", "Places"),
    ("other", "Other"),
)

# ---------------------------------------------------------------- filters and tests
# day ('Thu 30 Oct 2025'), moment and when (a date at its precision) live in wording.py,
# with the rest of how dates are worded; they are imported here as the template filters.


def corroboration(count: int) -> str:
    """'3 sources' or 'single source': how many distinct articles back a point."""
    return "single source" if count <= 1 else f"{count} sources"


@jinja2.pass_eval_context
def citations(eval_ctx: jinja2.nodes.EvalContext, numbers: Iterable[int], link: bool = True) -> str:
    """[1][3] in text formats; in HTML each number links to its entry in the source list,
    unless `link` is false: the newsletter's [n] are plain, as '#src-n' links fail in many
    mail clients (its source list carries the articles' own absolute links instead)."""
    nums = [int(n) for n in numbers]  # int() also guarantees nothing but digits reaches HTML
    # A brief with more sources than its list shows (source_list.Cited): only the listed
    # numbers are written, so each resolves, and the rest are counted.
    shown = getattr(numbers, "shown", None)
    more = 0 if shown is None else sum(n not in shown for n in nums)
    nums = nums if shown is None else [n for n in nums if n in shown]
    tail = f" and {more} more" if more else ""
    if eval_ctx.autoescape and link:
        return Markup("").join(
            Markup(
                '<a href="#src-{0}" style="color:#1a5fb4;text-decoration:none;">[{0}]</a>'
            ).format(n)
            for n in nums
        ) + Markup(tail)
    return "".join(f"[{n}]" for n in nums) + tail


@jinja2.pass_eval_context
def point_labels(
    eval_ctx: jinja2.nodes.EvalContext,
    point: Any,
    every: bool = True,
    plain: bool = False,
    sources: Iterable[SourceRef] | None = None,
) -> list[str]:
    """What stands behind a sentence, as short labels: the one wording every template uses.

    ["2 sources", "disputed by [3]", "[4] copies [2]"]: how many independent sources agree
    (always with `every`; otherwise only "single source", the count worth a warning, as in a
    bottom line), which sources state otherwise, and which cited sources are copies of
    another cited one (so count once). In HTML the numbers are links, as the `citations`
    filter makes them. `plain` is the newsletter's wording for subscribers: "reported by
    Reuters and AP" or "one report" (newsletter.sourcing, outlets from `sources`), "[4] is a
    copy of [2]", and the numbers are not links.
    """
    cite = functools.partial(citations, eval_ctx, link=not plain)
    out: list[str] = []
    copies = {c.n for c in point.copies}
    independent = {n for n in point.citations if n not in copies}
    if point.corroboration <= 1 and len(independent) > 1:
        # A point joining findings (a model's sentence on two facts) is as well supported as
        # its weakest: "single source" beside [3][4][5] reads as a contradiction; "in part"
        # says which it is.
        out.append("one report for part of it" if plain else "single source in part")
    elif every or point.corroboration <= 1:
        out.append(
            newsletter.sourcing(point, sources) if plain else corroboration(point.corroboration)
        )
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


@jinja2.pass_eval_context
def state_label(eval_ctx: jinja2.nodes.EvalContext, item: Any, link: bool = True) -> str:
    """What a later article says became of an event: 'happened (per [5])', 'cancelled (per
    [5])', 'moved to 14 Nov (per [5])'; '' while it is upcoming (wording.state_words)."""
    words = state_words(item)
    if not words or not item.state_citations:
        return words
    cited = citations(eval_ctx, item.state_citations, link)
    return _joined(eval_ctx, words, " (per ", cited, ")")


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


_HTTP_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)


def is_http_url(value: Any) -> bool:
    """Only plain http(s) URLs become links: 'javascript:', 'data:' and the like never do."""
    return isinstance(value, str) and _HTTP_URL.fullmatch(value.strip()) is not None


def is_inferred_basis(basis: str | None) -> bool:
    """A date basis worth showing: anything but a date taken straight from metadata."""
    return bool(basis) and not str(basis).lower().startswith("metadata")


# ---------------------------------------------------------------- environment


def _environment(templates: Path | None) -> jinja2.Environment:
    from briefgen import render_ics  # it builds on this module's helpers

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
        ics=render_ics.ics_text,
        state_label=state_label,
        txt=plain_text.txt,
        underline=plain_text.underline,
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


def _shown(point: KeyPoint) -> KeyPoint:
    """A point as the reader sees it: relative dates with their dates beside them."""
    if not point.dated_text:
        return point
    return point.model_copy(update={"text": point.dated_text})


def shown_brief(brief: Brief) -> Brief:
    """The brief as shown: each point's text is its dated_text ('on Sunday (26 Oct)'), the
    headline too when its support has one, and each watch item's description has its
    relative dates made absolute. The brief itself (and its JSON) keeps the words as written."""
    refs = {s.article_id: s.reference for s in brief.sources}
    year = brief.provenance.as_of.year
    points = brief.points_changed(_shown)
    support = points["headline_support"]
    return brief.model_copy(
        update={
            **points,
            "headline": support.text if support and support.dated_text else brief.headline,
            "watch": [_shown_item(i, refs, year) for i in brief.watch],
        }
    )


def _shown_item(item: WatchItem, refs: dict[str, dt.date | None], year: int) -> WatchItem:
    return item.model_copy(update={"description": annotate_item(item, refs, year)})


def brief_context(brief: Brief) -> dict[str, Any]:
    """What every brief template receives (documented at the top of each template).

    A brief of many articles stays readable (source_list.py): the exec brief and the
    newsletter list the top sources, `listed_sources`, and say how many more there are,
    `sources_more`; the analyst brief lists every source but at most SUMMARIES_MAX article
    summaries, `summaries_more` saying how many are left out. Nothing changes up to those
    numbers, and the JSON always holds everything.
    """
    shown = shown_brief(brief)
    listed, sources_more = list(shown.sources), 0
    if shown.audience in ("exec", "newsletter"):
        listed, sources_more = source_list.listed_sources(shown)
        if sources_more:
            shown = source_list.bounded(shown, listed)
    shown, summaries_more = source_list.capped_summaries(shown)
    # A newsletter without editor-made sections still needs something to read.
    sections = shown.sections or [Section(heading="The main points", points=shown.key_points)]
    return {
        "brief": shown,
        "sections": sections,
        # The newsletter's reader-facing lines (newsletter.py); the briefs do not use them.
        "preheader": newsletter.preheader(shown, sections),
        "reader_since": newsletter.since_last(shown, sections),
        "timeline": _timeline_groups(shown),
        "entity_groups": _entity_groups(shown),
        "listed_sources": listed,
        "sources_more": sources_more,
        "summaries_more": summaries_more,
        "version": __version__,
    }


def _timeline_groups(brief: Brief) -> list[tuple[str, list[Any]]]:
    """The timeline as (heading, entries) groups: what happened, then what is next."""
    past = [e for e in brief.timeline if e.past]
    ahead = [e for e in brief.timeline if not e.past]
    groups = [("So far", past), (f"Next, after {day(brief.provenance.as_of)}", ahead)]
    return [(title, entries) for title, entries in groups if entries]


def _dump_json(model: Brief | WatchList) -> str:
    # Field order is the schema's order, so output is stable without sort_keys, and it reads
    # in the same order as the model. No extra keys: the models forbid them, and the JSON
    # must read back as the model it came from.
    return json.dumps(model.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def render_brief(
    brief: Brief, fmt: Literal["md", "html", "json", "txt"], templates: Path | None = None
) -> str:
    """Render a brief with the template '<audience>.<fmt>.j2', or as JSON.

    txt is plain text for mail: the template's lines wrapped at 72 columns
    (plain_text.wrap), links written out whole.
    """
    if fmt == "json":
        return _dump_json(brief)
    if fmt not in ("md", "html", "txt"):
        raise ConfigError(f"unknown brief format {fmt!r}; use md, html, txt or json")
    name = f"{brief.audience}.{fmt}.j2"
    text = render_template(name, brief_context(brief), templates)
    return plain_text.wrap(text) if fmt == "txt" else text


# ---------------------------------------------------------------- watch lists


def shown_watchlist(
    watch: WatchList, references: Mapping[str, Any] | None, sources: list[SourceRef] | None
) -> WatchList:
    """The list as shown: descriptions with relative dates made absolute, and an item a
    later article reports happened, cancelled or moved among the settled, not the upcoming.

    `references` maps article id -> reference date (or corpus.references' (date, basis));
    without it, the sources' own `reference` dates are used.
    """
    refs = _reference_days(references, sources)
    year = watch.as_of.year

    def shown(items: list[WatchItem]) -> list[WatchItem]:
        return [_shown_item(i, refs, year) for i in items]

    ahead = [i for i in watch.upcoming if i.state == "upcoming"]
    moved_out = [i for i in watch.upcoming if i.state != "upcoming"]
    return watch.model_copy(
        update={
            "upcoming": shown(ahead),
            "unresolved": shown(watch.unresolved),
            "passed": shown(watch.passed),
            "settled": shown([*watch.settled, *moved_out]),
        }
    )


def _reference_days(
    references: Mapping[str, Any] | None, sources: list[SourceRef] | None
) -> dict[str, dt.date | None]:
    """article id -> reference date: the sources' own, then `references` (dates, or
    corpus.references' (date, basis))."""
    refs: dict[str, dt.date | None] = {s.article_id: s.reference for s in sources or []}
    for aid, ref in (references or {}).items():
        refs[aid] = ref[0] if isinstance(ref, tuple) else ref
    return refs


def _with_sources(
    watch: WatchList, sources: list[SourceRef] | None, references: Mapping[str, Any] | None
) -> WatchList:
    """The list as JSON writes it: with the numbered sources its citations name, each with
    the date its relative words were read against, as in a brief's sources."""
    refs = _reference_days(references, sources)
    listed = [s.model_copy(update={"reference": refs.get(s.article_id)}) for s in sources or []]
    return watch.model_copy(update={"sources": listed})


def render_watchlist(
    watch: WatchList,
    fmt: Literal["md", "json", "ics"],
    templates: Path | None = None,
    sources: list[SourceRef] | None = None,
    references: Mapping[str, Any] | None = None,
    name: str | None = None,
) -> str:
    """Render a what-to-watch list as Markdown, JSON or an iCalendar file.

    `references` (article id -> reference date) makes relative dates in descriptions
    absolute; `name` names the calendar after the story (the brief's headline, say),
    else the words the sources' titles share do.
    """
    from briefgen import render_ics

    if fmt == "json":
        return _dump_json(_with_sources(watch, sources, references))
    shown = shown_watchlist(watch, references, sources)
    context: dict[str, Any] = {
        "watch": shown,
        "sources": sources or [],
        "version": __version__,
    }
    if fmt == "md":
        return render_template("watchlist.md.j2", context, templates)
    if fmt == "ics":
        context.update(
            events=render_ics.events(shown, sources),
            dtstamp=f"{watch.as_of:%Y%m%d}T000000Z",  # as_of, not now: same input, same file
            prodid=f"-//briefgen//briefgen {__version__}//EN",
            calendar_name=render_ics.calendar_name(name, sources),
            calendar_description=render_ics.description(shown, sources),
        )
        return render_ics.finish(render_template("watchlist.ics.j2", context, templates))
    raise ConfigError(f"unknown watch list format {fmt!r}; use md, json or ics")
