"""The synthesis is told when the brief stands and when each article was written.

A small model shown findings alone wrote the sample's exec headline as "Trade Officials Set to
Meet in Malaysia" although the newer articles report the meeting held: nothing told it which
article was newer. The prompt now carries the brief's date (--as-of, else the newest article's)
and each listed article's reference date, both from the articles, never the clock; a change of
either is a different synthesis, so the cache asks again.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from llm_stub import (
    chat_reply,
    every_sentence_a_fact,
    first_finding_brief,
    passage_sentences,
    stand_in,
    stub_client,
    verbatim_notes,
    with_fields,
)

from briefgen import currency, pipeline
from briefgen.engines.llm import LLMEngine
from briefgen.schema import Article, Digest, Evidence, Finding
from briefgen.synthesis_articles import Dating, article_lines

D1, D2 = dt.date(2025, 10, 23), dt.date(2025, 10, 30)


def story() -> tuple[list[Article], list[Finding]]:
    articles = [
        Article(id="early", title="Officials will meet on Friday", text="x", path="1.txt",
                source="Wire"),
        Article(id="late", title="Officials met and agreed a truce", text="y", path="2.txt"),
    ]  # fmt: skip
    findings = [
        Finding(id=i, text=text, kind="fact", article_ids=[aid],
                evidence=[Evidence(article_id=aid, start=0, end=1, text=text)])
        for i, (aid, text) in enumerate(
            [("early", "Officials will meet in Malaysia on Friday."),
             ("late", "Officials met in Malaysia and agreed a truce.")], start=1)
    ]  # fmt: skip
    return articles, findings


def engine(handler=None) -> LLMEngine:
    def refuse(request):
        raise AssertionError("building a prompt calls no model")

    return LLMEngine(stub_client(handler or refuse), model="m")


def article_block(messages: list[dict]) -> str:
    return messages[-1]["content"].split("<articles>\n", 1)[1].split("</articles>", 1)[0]


def test_the_prompt_tells_the_briefs_date_and_each_articles():
    articles, findings = story()
    dating = Dating(D2, {"early": D1, "late": D2})
    messages = engine().brief_messages(findings, "exec", articles, dating)
    system, block = messages[0]["content"], article_block(messages)
    assert "written as of 2025-10-30" in system
    assert "(1) Officials will meet on Friday (Wire, 2025-10-23): findings 1" in block
    assert "(2) Officials met and agreed a truce (2025-10-30): findings 2" in block


def test_an_article_without_a_date_is_listed_without_one():
    articles, findings = story()
    messages = engine().brief_messages(findings, "exec", articles, Dating(D2, {"late": D2}))
    block = article_block(messages)
    assert "(1) Officials will meet on Friday (Wire): findings 1" in block
    lines, _ = article_lines(findings, articles, dates={"late": D2})
    assert [line["date"] for line in lines] == ["", "2025-10-30"]


def test_undated_the_prompt_says_nothing_of_time():
    articles, findings = story()
    messages = engine().brief_messages(findings, "exec", articles)
    assert "written as of" not in messages[0]["content"]
    assert not re.search(r"\d{4}-\d\d-\d\d", article_block(messages))


def test_the_dates_told_are_part_of_the_synthesis_key():
    articles, findings = story()
    digest = Digest(findings=findings)
    eng = engine()
    told = Dating(D2, {"early": D1, "late": D2})
    key = eng.draft_key(digest, "exec", articles, told)
    assert key == eng.draft_key(digest, "exec", articles, Dating(D2, {"late": D2, "early": D1}))
    moved = Dating(D2, {"early": D2, "late": D2})  # another article settled a date anew
    assert key != eng.draft_key(digest, "exec", articles, moved)
    assert key != eng.draft_key(digest, "exec", articles, Dating(D1, told.articles))
    assert key != eng.draft_key(digest, "exec", articles)


def _sent_synthesis(tmp_path, files: dict[str, str], **make) -> str:
    """The synthesis prompt a make run over `files` sends (a stand-in model answers)."""
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    prompts = []

    def handler(request):
        body = json.loads(request.content)
        sentences = passage_sentences(body)
        if sentences is not None:
            return chat_reply(verbatim_notes(sentences))
        prompts.append("\n".join(m["content"] for m in body["messages"]))
        return chat_reply(first_finding_brief(body["messages"][-1]["content"]))

    pipeline.make_brief([str(tmp_path)], "exec", engine=engine(handler), **make)
    assert prompts, "no synthesis was asked"
    return prompts[0]


DATED = {
    "a.txt": "Title: Officials will meet\nDate: 2025-10-23\n\nTrade officials will meet in "
    "Kuala Lumpur on Friday to discuss tariffs. The talks follow months of tension.\n",
    "b.txt": "Title: Officials met\nDate: 2025-10-30\n\nTrade officials met in Kuala Lumpur "
    "and agreed a framework on tariffs. Both sides called the talks constructive.\n",
}


def test_a_run_tells_the_model_the_articles_dates_not_the_clocks(tmp_path):
    sent = _sent_synthesis(tmp_path, DATED)
    assert "written as of 2025-10-30" in sent
    assert "2025-10-23" in sent
    assert dt.date.today().isoformat() not in sent


def test_as_of_is_the_date_told(tmp_path):
    sent = _sent_synthesis(tmp_path, DATED, as_of=dt.date(2025, 11, 2))
    assert "written as of 2025-11-02" in sent


def test_with_no_date_evidence_the_clock_is_never_told(tmp_path):
    undated = {
        "a.txt": "Title: Officials will meet\n\nTrade officials will meet in Kuala Lumpur to "
        "discuss tariffs. The talks follow months of tension.\n",
    }
    sent = _sent_synthesis(tmp_path, undated)
    assert "written as of" not in sent
    assert dt.date.today().isoformat() not in sent


# ---------------------------------------------------------------- dated by the rules, any model

# Two articles of one story: the first dates a meeting ahead, the second (undated) reports it.
MEETING = {
    "a.txt": "Title: Officials to meet in Geneva\nDate: 2025-10-23\n\nTrade officials will meet "
    "in Geneva on October 28, 2025 to discuss tariffs. The talks follow months of tension "
    "over tariffs and export rules.\n",
    "b.txt": "Title: A framework on tariffs\n\nThe trade officials met in Geneva and agreed "
    "a framework on tariffs, ending months of tension. Both sides called the talks "
    "constructive and said tariffs would fall.\n",
}


def _brief_with(tmp_path, events: list[dict] | None = None):
    """A make run whose stand-in model notes every sentence as a fact and, for the sentence
    numbered 1 of each passage, the `events` given (none by default: a weak model's notes)."""
    for name, text in MEETING.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    handler = stand_in(
        notes=lambda sentences: every_sentence_a_fact(sentences, events=events or [])
    )
    return pipeline.make_brief([str(tmp_path)], "exec", engine=engine(handler))


def test_a_model_that_notes_no_event_still_gets_the_articles_dates(tmp_path):
    result = _brief_with(tmp_path)
    events = [e for n in result.corpus.notes for e in n.events]
    assert [e.date for e in events] == [dt.date(2025, 10, 28)]  # the rules' event, exact
    assert events[0].evidence.startswith("Trade officials will meet in Geneva")
    # The undated report is dated by the meeting it reports done, as the built-in engine
    # dates it; the brief stands on that day, and the plan is not told as still to come.
    assert result.brief.provenance.as_of == dt.date(2025, 10, 28)
    assert not result.watch.upcoming
    told = {
        f.text
        for f in currency.current(
            result.corpus.digest, result.corpus, result.brief.provenance.as_of
        ).findings
    }
    assert not any(t.startswith("Trade officials will meet") for t in told)
    assert any(t.startswith("The trade officials met in Geneva") for t in told)


def test_the_models_own_event_is_kept_and_not_doubled(tmp_path):
    own = {"sentence": 1, "description": "Geneva trade talks", "date_text": "October 28, 2025",
           "status": "scheduled"}  # fmt: skip
    result = _brief_with(tmp_path, [own])
    events = [e for n in result.corpus.notes for e in n.events]
    meeting = [e for e in events if "will meet" in e.evidence]
    assert [e.description for e in meeting] == ["Geneva trade talks"]


def test_a_failing_headline_is_replaced_from_current_findings_only(tmp_path):
    """The stand-in for a model's failed headline is made from what the draft was written
    from: not from a plan the later article reports held."""
    # No titles, so the stand-in is made from the findings; the plan told by two early
    # articles is the best-supported finding of all.
    plan = MEETING["a.txt"].split("\n\n", 1)[1]
    report = MEETING["b.txt"].split("\n\n", 1)[1]
    for name, text in {"a.txt": plan, "c.txt": plan.replace("The talks", "Those talks")}.items():
        (tmp_path / name).write_text("Date: 2025-10-23\n\n" + text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(report, encoding="utf-8")

    # The synthesis, then its revision: the same made-up headline both times.
    made_up = "Zorblat Accord Signed by Quentin Marlowe"  # no finding says so
    handler = stand_in(lambda prompt: with_fields(first_finding_brief(prompt), headline=made_up))
    result = pipeline.make_brief([str(tmp_path)], "exec", engine=engine(handler))
    assert "Zorblat" not in result.brief.headline
    assert "will meet" not in result.brief.headline, result.brief.headline


def test_a_models_headline_copying_an_out_of_date_title_is_replaced(tmp_path):
    """A small model copies titles: "Trump and Xi to meet in Geneva", the title of the
    article a later one reports the meeting held in, is no headline for the brief."""
    (tmp_path / "a.txt").write_text(
        "Title: Trump and Xi to meet in Geneva\nDate: 2025-10-23\n\nTrump and Xi will meet in "
        "Geneva on October 28, 2025 to discuss tariffs. The talks follow months of tension "
        "over tariffs and export rules.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "Title: A framework on tariffs\n\nTrump and Xi met in Geneva and agreed a framework on "
        "tariffs, ending months of tension. Both sides called the talks constructive.\n",
        encoding="utf-8",
    )

    copied = "Trump and Xi to meet in Geneva"
    handler = stand_in(lambda prompt: with_fields(first_finding_brief(prompt), headline=copied))
    result = pipeline.make_brief([str(tmp_path)], "exec", engine=engine(handler))
    assert result.brief.headline != "Trump and Xi to meet in Geneva"
    assert "to meet" not in result.brief.headline
