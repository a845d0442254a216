"""The <articles> list of a synthesis prompt, kept within a token budget (issue 16, item 5).

The synthesis shows the model its findings (already shortlisted to `synthesis_budget`) and,
after them, the articles those findings come from: each article's number, title, outlet and
the findings it carries, so the model can say whose account a point is and, for an analyst,
summarise each listed article. Only articles that carry a finding given are listed, never the
rest of the corpus. Each line gives the article's date (its reference date: published, or
inferred from what it states) and the prompt the brief's date (`Dating`), so the model can tell
what is over from what is still to come (Qwen 1.5B, not told, headlined a meeting the later
articles report held as "set to meet"). Both come from the articles or --as-of, never the clock.

A finding told by many articles (a wire story and its reprints) names every one of them, so
this list grew with the corpus even though the findings did not: 993 article lines and about
20,000 tokens for 1,000 articles, against 1,934 for 100. When the whole list fits its budget
it is shown as before, byte for byte (so small corpora send the same prompts). When it does
not, the articles kept are chosen by a rule that needs no model:

1. cover: articles carrying the most findings first (then the lowest number), each taken
   when it carries a finding no article taken so far carries, so every finding keeps an
   article to be attributed to;
2. fill: the rest in the same order, while they fit.

They are listed in number order, and the prompt says how many more were left out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from briefgen.schema import Article, Finding
from briefgen.text import estimate_tokens

# The article list's share of the synthesis budget: the findings may take `synthesis_budget`
# tokens and the articles a third of that again (2,000 tokens at the default 6,000). Chosen
# so that what was measured before the bound is untouched up to about a hundred articles (the
# 100-article MultiLing mix lists its 99 articles in 1,934 tokens), while the whole prompt
# stays under its rules plus 4/3 of the budget whatever the number of articles.
ARTICLE_LIST_SHARE = 3


@dataclass(frozen=True)
class Dating:
    """When the brief stands (`as_of`: --as-of, else the newest article's date) and each
    article's reference date, as the pipeline settled them."""

    as_of: dt.date
    articles: Mapping[str, dt.date] = field(default_factory=dict)

    def key(self) -> list[str]:
        """What a synthesis answer depends on of the dating (part of its cache key)."""
        return [self.as_of.isoformat(), *(f"{k}={v}" for k, v in sorted(self.articles.items()))]


def article_budget(synthesis_budget: int) -> int:
    """Tokens the <articles> list may take beside findings of `synthesis_budget` tokens."""
    return max(1, synthesis_budget // ARTICLE_LIST_SHARE)


def findings_by_article(findings: Iterable[Finding]) -> dict[str, list[int]]:
    """article id -> the ids of the findings it carries, in the findings' order.

    One pass over the findings' articles (not articles x findings: 5,000 articles of 130
    findings that each name hundreds of articles was tens of millions of list scans).
    """
    carried: dict[str, list[int]] = {}
    for f in findings:
        for aid in f.article_ids:
            ids = carried.setdefault(aid, [])
            if not ids or ids[-1] != f.id:  # an article named twice by one finding
                ids.append(f.id)
    return carried


def article_lines(
    findings: list[Finding],
    articles: list[Article],
    budget: float = math.inf,
    dates: Mapping[str, dt.date] | None = None,
) -> tuple[list[dict], int]:
    """The articles the prompt lists (n, title, source, findings) and how many were left out.

    `n` is the article's place in `articles`, starting at 1 (the number the model answers
    with); `date` is its date in `dates`, "" when it has none. Every article that carries
    one of `findings` is listed while all of them fit `budget` tokens; beyond it, the
    cover-then-fill rule of the module docstring chooses.
    """
    carried = findings_by_article(findings)
    dates = dates or {}
    lines = [
        {**_article_view(n, a, dates), "findings": carried[a.id]}
        for n, a in enumerate(articles, start=1)
        if carried.get(a.id)
    ]
    if budget == math.inf or estimate_tokens("\n".join(map(_line_text, lines))) <= budget:
        return lines, 0
    # Each line's own estimate, rounded up and with its newline: their sum is never below the
    # estimate of the lines together, so what is kept fits the budget however it is counted.
    costs = [estimate_tokens(_line_text(line)) + 1 for line in lines]
    order = sorted(range(len(lines)), key=lambda i: (-len(lines[i]["findings"]), lines[i]["n"]))
    taken: set[int] = set()
    covered: set[int] = set()
    used = 0
    for i in order:  # 1. cover
        if used + costs[i] <= budget and not covered.issuperset(lines[i]["findings"]):
            taken.add(i)
            covered.update(lines[i]["findings"])
            used += costs[i]
    for i in order:  # 2. fill
        if i not in taken and used + costs[i] <= budget:
            taken.add(i)
            used += costs[i]
    kept = [lines[i] for i in sorted(taken)]
    return kept, len(lines) - len(kept)


def planned_tokens(articles: Sequence[Article], budget: float = math.inf) -> int:
    """Tokens the <articles> list of a synthesis prompt may take before the findings are
    known (--dry-run): every article listed as if it carried one finding and a date, within
    `budget`, the cap article_lines keeps to."""
    someday = dict.fromkeys((a.id for a in articles), dt.date.min)
    lines = [
        {**_article_view(n, a, someday), "findings": [1]} for n, a in enumerate(articles, start=1)
    ]
    listed = sum(estimate_tokens(_line_text(line)) + 1 for line in lines)
    return int(min(listed, budget))


def _article_view(n: int, article: Article, dates: Mapping[str, dt.date]) -> dict:
    day = dates.get(article.id)
    return {
        "n": n,
        "title": article.title,
        "source": article.source,
        "date": day.isoformat() if day else "",
    }


def _line_text(line: dict) -> str:
    """One article line as _findings.j2 writes it (before the data filter, which keeps its
    length but for the rare delimiter it defuses)."""
    about = ", ".join(part for part in (line["source"], line["date"]) if part)
    source = f" ({about})" if about else ""
    ids = ", ".join(str(i) for i in line["findings"])
    return f"({line['n']}) {line['title']}{source}: findings {ids}"
