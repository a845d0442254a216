"""Stories sorted out of one feed: which articles tell the same story, and which fit none.

A day's feed mixes many stories; a brief tells one. Articles are grouped by what they are
about: the words of each (title and text, briefgen.text.content_words) weighted by TF-IDF,
then grouped by average linkage (linkage.py): two groups are one story when their articles
are similar on average, so one article sharing a few words with two stories does not chain
them. Copies of one text (copies.py) start as one group and are never split.

Each story has a title (that of its most central article: the nearest to the story's
centroid), the terms its articles share most, its articles (oldest first) and its date span,
from the dates `make` uses (an article's own date, else the one the corpus evidence gives it;
never the clock). A group of a single article is no story: such articles fit none.

How SAME_STORY was chosen, and how much hangs on it (benchmarks/stories.py prints both):
similarities are TF-IDF cosines, averaged over the pairs of two groups. Between articles on
unrelated stories they sit near the general words of news; between articles on one story
they are several times that. The threshold is the geometric mean of the two levels (halfway
on a log scale between "chance" and "same story"), to two significant digits: a rule, not
the best score. The levels come from the one labelled mix at hand, MultiLing 2011 (medians
0.154 within a story, 0.027 across: 0.0645, so 0.065). Scored on MultiLing, purity and
completeness stay at or above 0.9 from 0.05 to 0.09; the rule taken from five of its topics
and scored on the other five gives 0.066 (1.00 and 0.96) one way, and 0.059 the other way,
which puts two earthquake stories (Chile, Haiti) together (purity 0.83). Held out, folders
of one story: the sample corpus stays one story up to 0.21, the harbour test pair up to
0.54. Each MultiLing topic read alone is one story at 0.065 in nine of ten (with one or two
side articles fitting none in four); the 2004 tsunami topic splits into its relief appeals
and its other reports. `make` warns at half the threshold (WARN_FRACTION), where all ten
stay whole.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence

from pydantic import Field

from briefgen.linkage import average_linkage, tfidf
from briefgen.schema import Article, Model, Skipped, output_version_field
from briefgen.text import content_words

SAME_STORY = 0.065
# `make` warns of a mixed folder only when it falls into several stories even at half the
# threshold: a warning on a folder of one story (told from several angles) would teach users
# to ignore it, while two stories that close (two earthquakes a month apart) brief tolerably
# together. Half (0.0325): each MultiLing topic read alone stays one story up to 0.038 or
# more, the sample corpus up to 0.21; the ten topics mixed still fall into three at 0.0325.
WARN_FRACTION = 0.5
MIN_ARTICLES = 2  # a story is what at least two articles tell (a copy counts: it was printed)
TERMS_SHOWN = 5  # the shared terms listed with a story: enough to tell two stories apart
SLUG_CHARS = 60  # a file name that reads whole in a listing


class StoryArticle(Model):
    id: str
    title: str
    path: str
    date: dt.date | None = Field(
        default=None, description="the date `make` uses for it; None when nothing dates it"
    )


class Story(Model):
    title: str = Field(description="the title of its most central article")
    slug: str = Field(description="a file name for its brief: `make --by-story -o DIR`")
    terms: list[str] = Field(description="the terms its articles share most")
    first: dt.date | None = None
    last: dt.date | None = None
    articles: list[StoryArticle] = Field(description="oldest first")


class StoriesListing(Model):
    """What `briefgen stories --format json` writes."""

    schema_version: str = output_version_field()
    stories: list[Story] = Field(description="the largest first")
    unsorted: list[StoryArticle] = Field(
        default_factory=list, description="articles that fit no story"
    )
    skipped: list[Skipped] = Field(default_factory=list)


def group(
    articles: Sequence[Article],
    references: Mapping[str, tuple[dt.date, str]] | None = None,
    copies: Mapping[str, str] | None = None,
    threshold: float = SAME_STORY,
) -> StoriesListing:
    """The stories among `articles`.

    `references` (article id -> (date, basis), as corpus_dates.reference_dates gives) dates the
    articles; without it an article's own date is used. `copies` (article id -> the id it
    copies) as copies.find_copies gives it; found here when not given.
    """
    if copies is None:
        from briefgen.copies import find_copies

        copies = find_copies(list(articles))
    refs = references or {}
    dates = {a.id: refs[a.id][0] if a.id in refs else a.published for a in articles}
    index = {a.id: i for i, a in enumerate(articles)}
    starts = [index.get(copies.get(a.id, a.id), i) for i, a in enumerate(articles)]
    vectors = tfidf([content_words(f"{a.title}\n{a.text}") for a in articles], starts)
    labels = average_linkage(vectors, starts, threshold)
    members: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        members.setdefault(label, []).append(i)

    def listed(i: int) -> StoryArticle:
        a = articles[i]
        return StoryArticle(id=a.id, title=a.title, path=a.path, date=dates[a.id])

    def oldest_first(i: int) -> tuple:
        return (dates[articles[i].id] or dt.date.max, articles[i].path)

    stories, unsorted = [], []
    for group_ in members.values():
        if len(group_) < MIN_ARTICLES:
            unsorted.extend(group_)
            continue
        ordered = sorted(group_, key=oldest_first)
        centre = _centroid([vectors[i] for i in ordered])
        # The most central, the oldest among equals (max keeps the first of equal keys).
        central = max(ordered, key=lambda i: _dot(vectors[i], centre))
        known = [d for i in ordered if (d := dates[articles[i].id]) is not None]
        stories.append(
            Story(
                title=articles[central].title or " ".join(_shared_terms(centre)),
                slug="",
                terms=_shared_terms(centre),
                first=min(known, default=None),
                last=max(known, default=None),
                articles=[listed(i) for i in ordered],
            )
        )
    stories.sort(key=lambda s: (-len(s.articles), s.first or dt.date.max, s.title))
    for story, name in zip(stories, unique_slugs([s.title for s in stories])):
        story.slug = name
    return StoriesListing(
        stories=stories, unsorted=[listed(i) for i in sorted(unsorted, key=oldest_first)]
    )


def mixed_warning(
    articles: Sequence[Article],
    references: Mapping[str, tuple[dt.date, str]] | None = None,
    copies: Mapping[str, str] | None = None,
) -> str | None:
    """The warning `make` gives a folder that holds several stories, or None."""
    if copies is None:
        from briefgen.copies import find_copies

        copies = find_copies(list(articles))
    if len(group(articles, references, copies, SAME_STORY * WARN_FRACTION).stories) < 2:
        return None
    listing = group(articles, references, copies)  # the stories `briefgen stories` lists
    names = "; ".join(f"{s.title} ({len(s.articles)})" for s in listing.stories[:3])
    more = f" and {len(listing.stories) - 3} more" if len(listing.stories) > 3 else ""
    return (
        f"these articles hold {len(listing.stories)} stories ({names}{more}): one brief "
        "of them mixes the stories; `briefgen stories` lists them, `make --by-story` "
        "writes a brief for each"
    )


def _centroid(vectors: Sequence[dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for v in vectors:
        for t, x in v.items():
            out[t] = out.get(t, 0.0) + x / len(vectors)
    return out


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(x * b.get(t, 0.0) for t, x in a.items())


def _shared_terms(centre: dict[str, float]) -> list[str]:
    return [t for t, _ in sorted(centre.items(), key=lambda kv: (-kv[1], kv[0]))[:TERMS_SHOWN]]


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(title: str) -> str:
    """A safe file name from a title: ASCII letters and digits joined by '-', cut at a word.

    No path separator, no leading dot, nothing a shell or a file system reads specially;
    "story" when the title has no letter or digit at all.
    """
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = [w for w in _NOT_SLUG.split(ascii_.lower()) if w]
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > SLUG_CHARS and out:
            break
        out = f"{out}-{w}" if out else w[:SLUG_CHARS]
    return out or "story"


def unique_slugs(titles: Sequence[str]) -> list[str]:
    """slug() of each title; a repeated one gets -2, -3 ... in order."""
    seen: dict[str, int] = {}
    out = []
    for title in titles:
        base = slug(title)
        seen[base] = seen.get(base, 0) + 1
        name = base if seen[base] == 1 else f"{base}-{seen[base]}"
        while name in out:  # "a-2" may be a title of its own
            seen[base] += 1
            name = f"{base}-{seen[base]}"
        out.append(name)
    return out
