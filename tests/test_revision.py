"""A model's revision keeps what passed verification the first time (briefgen/revision.py)."""

from briefgen.revision import kept_through_revision
from briefgen.schema import Draft, DraftPoint, DraftSection


def point(text: str, *ids: int) -> DraftPoint:
    return DraftPoint(text=text, finding_ids=list(ids))


def draft(bottom, keys, sections=(), summaries=None) -> Draft:
    return Draft(
        headline="H",
        bottom_line=list(bottom),
        key_points=list(keys),
        sections=list(sections),
        article_summaries=summaries or {},
    )


def test_points_that_passed_come_back_where_the_revision_left_them_out():
    first = draft(
        [point("Bottom.", 1)],
        [point("A passed.", 2), point("B failed.", 3), point("C passed.", 4)],
    )
    revised = draft([point("Bottom.", 1)], [point("B fixed.", 3)])
    kept = kept_through_revision(first, ["key point 2"], revised)
    assert [p.text for p in kept.key_points] == ["A passed.", "B fixed.", "C passed."]
    assert [p.text for p in kept.bottom_line] == ["Bottom."]


def test_a_failed_point_the_revision_dropped_stays_dropped():
    first = draft([point("Bottom.", 1)], [point("A passed.", 2), point("B failed.", 3)])
    revised = draft([point("Bottom.", 1)], [])
    kept = kept_through_revision(first, ["key point 2"], revised)
    assert [p.text for p in kept.key_points] == ["A passed."]


def test_a_reworded_point_resting_on_the_same_finding_is_not_told_twice():
    first = draft([point("Bottom.", 1)], [point("Talks resume in May.", 2), point("Bad.", 3)])
    revised = draft([point("Bottom.", 1)], [point("Talks will resume in May.", 2)])
    kept = kept_through_revision(first, ["key point 2"], revised)
    assert [p.text for p in kept.key_points] == ["Talks will resume in May."]


def test_same_text_under_other_findings_is_not_told_twice():
    first = draft([point("Bottom.", 1)], [point("Talks  resume.", 2), point("Bad.", 3)])
    revised = draft([point("Bottom.", 1)], [point("talks resume.", 5)])
    kept = kept_through_revision(first, ["key point 2"], revised)
    assert len(kept.key_points) == 1


def test_a_section_never_grows_past_the_longer_answer():
    first = draft([point("Bottom.", 1)], [point(f"P{n}.", 10 + n) for n in range(5)])
    revised = draft([point("Bottom.", 1)], [point(f"New{n}.", 20 + n) for n in range(4)])
    kept = kept_through_revision(first, ["key point 1"], revised)
    assert len(kept.key_points) == 5
    assert kept.key_points[0].text == "New0."  # P0 failed: not restored
    assert "P1." in [p.text for p in kept.key_points]


def test_sections_and_summaries_the_revision_lost_come_back():
    first = draft(
        [point("Bottom.", 1)],
        [],
        [DraftSection(heading="Next", points=[point("Vote on May 3.", 7)])],
        {"a1": "Summary one.", "a2": "Bad summary."},
    )
    revised = draft([point("Bottom.", 1)], [], [], {})
    kept = kept_through_revision(first, ["summary of article a2"], revised)
    assert [(s.heading, [p.text for p in s.points]) for s in kept.sections] == [
        ("Next", ["Vote on May 3."])
    ]
    assert kept.article_summaries == {"a1": "Summary one."}
