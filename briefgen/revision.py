"""What a model's revision keeps: the points that passed verification the first time.

The LLM engine asks once for a revision when points of its brief fail verification
(engines/llm.py), and the model answers with the whole brief again. A small model asked
to fix two points often answers with fewer points than it was asked to keep: Qwen2.5-Coder
1.5B, shown two failing points among five, answered with two, and the three that had
passed were lost with them. A point that passed has been checked against the findings it
cites; losing it to a revision meant for other points makes the brief worse for nothing.

So the revised brief is the answer, and each point of the first brief that passed comes
back where the revision left it out. A point counts as left out when no point of the
revision rests on any finding it rests on and none has its text: a rewording of a point
cites the same finding, and restoring the first wording beside it would tell it twice.
No similarity threshold is needed for that, so there is no constant to choose. A section
keeps at most as many points as the longer of its two answers gave, so a revision never
makes a brief longer than the model wrote it.

Pure functions over Drafts; verify.py checks the result again like any other draft.
"""

from __future__ import annotations

from collections.abc import Iterable

from briefgen.schema import Draft, DraftPoint, DraftSection
from briefgen.text import collapse_spaces


def kept_through_revision(first: Draft, failed: Iterable[str], revised: Draft) -> Draft:
    """`revised`, with the points of `first` that passed (their place, "key point 2", is not
    in `failed`: verify.Problem.where) and that it left out put back at their first place."""
    failed = set(failed)
    cited = {i for p in _all_points(revised) for i in p.finding_ids}
    texts = {_key(p.text) for p in _all_points(revised)}

    def left_out(p: DraftPoint) -> bool:
        return not (set(p.finding_ids) & cited) and _key(p.text) not in texts

    def merged(where: str, before: list[DraftPoint], after: list[DraftPoint]) -> list[DraftPoint]:
        out = list(after)
        limit = max(len(before), len(after))
        for n, p in enumerate(before, start=1):
            if len(out) >= limit:
                break
            if f"{where} {n}" not in failed and left_out(p):
                out.insert(min(n - 1, len(out)), p)
        return out

    sections = {s.heading: s for s in first.sections}
    kept_sections = [
        DraftSection(
            heading=s.heading,
            points=merged(
                f"section '{s.heading}' point",
                sections[s.heading].points if s.heading in sections else [],
                s.points,
            ),
        )
        for s in revised.sections
    ]
    headings = {s.heading for s in revised.sections}
    for s in first.sections:
        if s.heading not in headings:
            points = merged(f"section '{s.heading}' point", s.points, [])
            if points:
                kept_sections.append(DraftSection(heading=s.heading, points=points))
    summaries = dict(revised.article_summaries)
    for aid, text in first.article_summaries.items():
        if aid not in summaries and f"summary of article {aid}" not in failed:
            summaries[aid] = text
    return revised.model_copy(
        update={
            "bottom_line": merged("bottom line", first.bottom_line, revised.bottom_line)[:3],
            "key_points": merged("key point", first.key_points, revised.key_points),
            "sections": kept_sections,
            "article_summaries": summaries,
        }
    )


def _all_points(draft: Draft) -> list[DraftPoint]:
    return [*draft.bottom_line, *draft.key_points, *(p for s in draft.sections for p in s.points)]


def _key(text: str) -> str:
    return collapse_spaces(text).casefold()
