"""The what-to-watch list: dates resolved against each article's reference, repeats merged, passed items apart."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.chunking import chunk_article
from briefgen.engines.extractive import ExtractiveEngine
from briefgen.schema import Article
from briefgen.watch import build_watchlist, most_important

REF = dt.date(2025, 10, 26)  # a Sunday


def _notes(*texts: str):
    engine = ExtractiveEngine()
    articles = [
        Article(id=f"a{i}", title="t", text=t, path=f"a{i}.txt") for i, t in enumerate(texts)
    ]
    return [engine.extract(c, a) for a in articles for c in chunk_article(a)]


def test_relative_dates_resolve_against_the_article_reference():
    notes = _notes("The two presidents are set to meet on Thursday in Busan to sign the framework.")
    watch = build_watchlist(notes, {"a0": (REF, "test")}, as_of=REF)
    [item] = watch.upcoming
    assert item.date == dt.date(2025, 10, 30)
    assert item.date_text == "Thursday"
    assert item.status == "scheduled"
    assert "resolved against 2025-10-26" in item.date_basis
    assert item.sentence.startswith("The two presidents")


def test_a_weekday_already_gone_when_the_article_was_written_is_not_watched():
    # Written on a Sunday: "said ... would" tells neither side, so the Thursday is the one
    # just past, and what it did is nothing to watch (nor a plan "no later report" told of).
    notes = _notes(
        "Union leader Anna Dahl said the central bank's rate rise on Thursday would squeeze "
        "families twice."
    )
    watch = build_watchlist(notes, {"a0": (REF, "test")}, as_of=REF)
    assert not watch.upcoming and not watch.passed and not watch.settled
    # The same words with the rise to come are watched.
    notes = _notes("The central bank's rate rise on Thursday will squeeze families twice.")
    [item] = build_watchlist(notes, {"a0": (REF, "test")}, as_of=REF).upcoming
    assert item.date == dt.date(2025, 10, 30)


def test_without_a_reference_relative_dates_stay_unresolved_never_invented():
    notes = _notes("The two presidents are set to meet on Thursday in Busan to sign the framework.")
    watch = build_watchlist(notes, {}, as_of=REF)
    assert watch.upcoming == [] and watch.passed == []
    [item] = watch.unresolved
    assert item.date is None and item.date_text == "Thursday"


def test_a_model_event_nothing_dates_is_not_watched_but_a_condition_is():
    from briefgen.schema import ChunkNotes, Event

    # A small model's events (Qwen 1.5B, the sample corpus): a fragment as a "scheduled
    # event" with no date at all, and a trigger whose "date" is its condition.
    undated = Event(
        description="the CCP's leverage has been decades in the making",
        status="scheduled",
        evidence="The CCP's leverage has been decades in the making.",
    )
    trigger = Event(description="tariffs rise", date_text="if talks fail", status="possible",
                    evidence="Tariffs rise to 100 percent if talks fail.")  # fmt: skip
    notes = [ChunkNotes(article_id="a0", chunk_index=0, events=[undated, trigger])]
    watch = build_watchlist(notes, {"a0": (REF, "test")}, as_of=REF)
    assert [i.date_text for i in watch.unresolved] == ["if talks fail"]
    assert watch.upcoming == [] and watch.passed == []


def test_full_dates_need_no_reference_and_passed_items_leave_upcoming():
    notes = _notes(
        "The tariffs will take effect on November 1, 2025 unless a deal is reached. "
        "The trade agreement expires on July 1, 2026 and must be renewed by the three countries."
    )
    before = build_watchlist(notes, {}, as_of=dt.date(2025, 10, 1))
    assert [i.date for i in before.upcoming] == [dt.date(2025, 11, 1), dt.date(2026, 7, 1)]
    assert all(i.status == "deadline" for i in before.upcoming)
    after = build_watchlist(notes, {}, as_of=dt.date(2025, 11, 5))
    assert [i.date for i in after.upcoming] == [dt.date(2026, 7, 1)]
    assert [i.date for i in after.passed] == [dt.date(2025, 11, 1)]


def test_an_event_told_by_two_articles_is_one_item_citing_both():
    notes = _notes(
        "President Trump and President Xi will meet on Thursday, October 30, at the summit in Busan.",
        "Trump and Xi are set to meet in Busan on October 30 on the sidelines of the summit.",
    )
    refs = {"a0": (REF, "test"), "a1": (REF, "test")}
    watch = build_watchlist(notes, refs, as_of=REF)
    assert len(watch.upcoming) == 1
    assert sorted(watch.upcoming[0].article_ids) == ["a0", "a1"]


def test_an_item_told_twice_is_shown_by_the_telling_that_stands_alone():
    # The first telling leans on who "He" is, a sentence the list does not show; the second
    # names him, though it is longer and less firm ("would be" against "is due").
    notes = _notes(
        "Transport Minister Dudy Purwagandhi visited the port. He said a report on the cause of "
        "the sinking is due by 20 March.",
        "Transport Minister Dudy Purwagandhi said a report on the cause of the sinking would be "
        "published by 20 March.",
    )
    refs = {"a0": (REF, "test"), "a1": (REF, "test")}
    [item] = build_watchlist(notes, refs, as_of=REF).upcoming
    assert sorted(item.article_ids) == ["a0", "a1"]
    assert item.description.startswith("Transport Minister Dudy Purwagandhi said")


def test_a_list_item_s_label_is_left_out_of_the_description_but_never_its_date():
    notes = _notes(
        "Time-sensitive talks: Negotiations to resume by mid-November; exact date pending.\n\n"
        "October 30: Trump and Xi are expected to meet in Busan at the summit."
    )
    watch = build_watchlist(notes, {"a0": (REF, "test")}, as_of=REF)
    by_date = {i.date_text: i.description for i in watch.upcoming}
    # A heading, not news: the item says what comes, verbatim, without a verb of its own.
    assert by_date["mid-November"].startswith("Negotiations to resume by mid-November")
    # A date in the label is the item's date: the label stays.
    assert by_date["October 30"].startswith("October 30: Trump and Xi")


def test_a_month_stays_upcoming_while_it_lasts():
    notes = _notes("Negotiators are expected to resume talks in November after the summit.")
    watch = build_watchlist(notes, {"a0": (REF, "test")}, as_of=dt.date(2025, 11, 20))
    assert [i.precision for i in watch.upcoming] == ["month"]


def test_looking_back_is_not_an_event():
    notes = _notes("Officials met in Geneva on October 3 and signed a short statement.")
    watch = build_watchlist(notes, {"a0": (REF, "test")}, as_of=REF)
    assert watch.upcoming == watch.passed == watch.unresolved == []


def test_most_important_keeps_multi_source_and_firm_dates_in_date_order():
    notes = _notes(
        "The deal could possibly be signed by December 15, 2025 if talks go well. "
        "The summit is scheduled for November 3, 2025 in Seoul. "
        "The tariff deadline is November 10, 2025 for all imports.",
    )
    watch = build_watchlist(notes, {}, as_of=dt.date(2025, 10, 1))
    top = most_important(watch.upcoming, 2)
    assert [i.date for i in top] == [dt.date(2025, 11, 3), dt.date(2025, 11, 10)]


# ---------------------------------------------------------------- the sample corpus, hand-checked
# Each expectation below was checked against the five articles by reading them: the date as
# written, what it resolves to, the kind of item, and which sources ([n], by date) tell it.

# The Trump-Xi meeting at APEC ("this Thursday, October 30" in [3] and [4], "the end of
# October" in [2]) and the 100% tariffs "effective November 1" are not upcoming: [5] reports
# the summit held and the hike scrapped (test_sample_corpus_settled_items_cite_the_later_article).
# Nor are [2]'s Kuala Lumpur talks "from October 24 to Monday October 27", though their range
# ends after the 26th: [4] tells of them on the 26th "following two days of intensive
# negotiations", so they took place.
SAMPLE_UPCOMING = [
    # [1]: "Negotiations to resume by mid-November": 11 to 20 November.
    ("mid-November", "2025-11-11", "part-of-month", "expected decision", [1]),
    # [2]: a deal "that could be launched in the first half of next year" (said in 2025).
    ("first half of next year", "2026-01-01", "half-year", "risk or trigger", [2]),
    # [3]: the USMCA review's "July 1, 2026 deadline".
    ("July 1, 2026", "2026-07-01", "day", "deadline", [3]),
    # [1]: G7 processing "could reduce reliance on China by 2030".
    ("2030", "2030-01-01", "year", "risk or trigger", [1]),
]


def _sample_watch(as_of: str):
    from conftest import SAMPLE

    from briefgen.corpus_dates import build_watchlist
    from briefgen.pipeline import read_corpus

    corpus = read_corpus([str(SAMPLE)])
    return build_watchlist(corpus, dt.date.fromisoformat(as_of)), corpus


def test_sample_corpus_watch_list_as_hand_checked():
    watch, corpus = _sample_watch("2025-10-26")
    got = [
        (i.date_text, i.date.isoformat(), i.precision, i.type_label, i.citations)
        for i in watch.upcoming
    ]
    assert got == SAMPLE_UPCOMING
    assert watch.unresolved == []  # "last summer" dates a past deal: not something to watch
    texts = {a.id: a.text for a in corpus.articles}
    for item in watch.upcoming:
        # The sentence stands verbatim in the article it was taken from, its date in it.
        assert item.sentence in texts[item.article_ids[0]]
        assert item.date_text in item.sentence


def test_sample_corpus_nothing_passed_is_upcoming():
    watch, _ = _sample_watch("2025-10-31")
    assert [i.date.isoformat() for i in watch.upcoming][:1] == ["2025-11-11"]
    # The Kuala Lumpur talks are over by the 31st, but settled (happened, per [4]) first.
    assert not watch.passed
    assert "October 24 to Monday October 27" in {i.date_text for i in watch.settled}
    assert all((i.end or i.date) >= dt.date(2025, 10, 31) for i in watch.upcoming)


def test_sample_corpus_settled_items_cite_the_later_article():
    watch, _ = _sample_watch("2025-10-26")
    settled = {i.date_text: i for i in watch.settled}
    # [5] tells the Busan summit as begun: it happened, and left "upcoming".
    summit = settled["this Thursday, October 30"]
    assert (summit.state, summit.state_citations, summit.citations) == ("happened", [5], [2, 3, 4])
    assert "summit in Busan" in summit.state_sentence
    # The 100% tariffs of 1 November: [5] has the hike "originally scheduled for November 1"
    # scrapped, [3] says the U.S. "will rescind the November 1 tariffs".
    tariffs = settled["November 1"]
    assert (tariffs.state, tariffs.state_citations) == ("cancelled", [3, 5])
    # [4], dated the 26th: "Following two days of intensive negotiations with ... He Lifeng in
    # Kuala Lumpur": the talks [2] announced took place.
    talks = settled["October 24 to Monday October 27"]
    assert (talks.state, talks.state_citations, talks.citations) == ("happened", [4], [2])
    assert talks.state_sentence.startswith("Following two days of intensive negotiations")
    assert not {i.date for i in watch.upcoming} & {i.date for i in watch.settled}


def test_all_passed_needs_every_named_date_to_be_over():
    from briefgen.watch import all_passed

    ref = dt.date(2025, 10, 21)  # a Tuesday
    friday = "Officials will meet in Malaysia on Friday to seek a compromise."
    assert all_passed(friday, ref, dt.date(2025, 10, 26))  # Friday the 24th is over
    assert not all_passed(friday, ref, dt.date(2025, 10, 24))  # it is that day
    both = "They meet on Friday and again on November 3."
    assert not all_passed(both, ref, dt.date(2025, 10, 26))  # November 3 is still ahead
    assert not all_passed("They will meet soon.", ref, dt.date(2030, 1, 1))  # no date at all
    assert not all_passed(friday, None, dt.date(2030, 1, 1))  # unresolved: never assumed over


def test_a_forecast_already_past_is_not_written_as_news():
    from conftest import SAMPLE

    from briefgen.pipeline import make_brief

    for audience in ("exec", "newsletter", "analyst"):
        brief = make_brief([str(SAMPLE)], audience).brief
        shown = [p.text for p in [*brief.bottom_line, *brief.key_points]]
        shown += [p.text for s in brief.sections for p in s.points]
        # [2], of 21 October, expected the Malaysia talks "on Friday": over by 26 October.
        assert not any("will meet in Malaysia on Friday" in t for t in shown), audience


def test_a_new_telling_need_agree_with_only_one_earlier_telling():
    notes = _notes(
        "The Kyoto protocol will expire in 2012, delegates said at the climate talks.",
        "Delegates hope a new climate agreement will be reached before 2012 arrives.",
        "That 1997 agreement is due to lapse in 2012, officials noted.",
    )
    # Written in 2009: 2012 is ahead (a past year would be no watch item at all).
    refs = {f"a{i}": (dt.date(2009, 12, 1), "test") for i in range(3)}
    watch = build_watchlist(notes, refs, as_of=dt.date(2010, 1, 1))
    # The second shares "delegates", "climate" and 2012 with the first: one item. The third
    # shares only 2012 with the first, but "agreement" and 2012 with the second: the same item.
    assert [sorted(i.article_ids) for i in watch.upcoming] == [["a0", "a1", "a2"]]


@pytest.mark.parametrize(
    "sentence, state",
    [
        (
            "Following two days of intensive negotiations with He Lifeng in Kuala Lumpur, "
            "Bessent told NBC on October 26 that China had agreed.",
            "happened",
        ),
        (
            "After three rounds of negotiations, the sides reached a framework on Sunday.",
            "happened",
        ),
        # Talks still to come, however the sentence opens.
        ("The two leaders will sign the deal after two days of talks next week.", None),
        ("Following the talks, the two sides are expected to announce a framework.", None),
    ],
)
def test_days_of_talks_followed_by_tell_the_talks_held(sentence, state):
    from briefgen.settle import _cue

    found = _cue(sentence)
    assert (found[0] if found else None) == state


def test_a_point_that_calls_a_held_meeting_tentative_is_out_of_date():
    """[1] calls the Xi-Trump meeting tentative; [5], written later, reports it held: the
    finding is left out of what the brief is written from (currency.current), while what
    names the meeting's place only in passing, or comes from a later article, stays."""
    from briefgen.currency import current
    from briefgen.settle import tells_pending

    watch, corpus = _sample_watch("2025-10-30")
    refs, settled = corpus.references, watch.settled
    newest = max(refs, key=lambda a: refs[a][0])

    def told(words: str) -> tuple[str, str]:
        f = next(f for f in corpus.digest.findings if words in f.text)
        return f.text, f.evidence[0].article_id

    tentative, written_in = told("The proposed Xi-Trump meeting remains tentative")
    assert tells_pending(tentative, written_in, refs, settled)
    assert not tells_pending(tentative, newest, refs, settled)  # not older than the report
    trip, trip_in = told("a possible meeting with North Korea")
    assert not tells_pending(trip, trip_in, refs, settled)  # another meeting: Kim's
    kept = {f.text for f in current(corpus.digest, corpus, dt.date(2025, 10, 30)).findings}
    assert not any("remains tentative" in t for t in kept)
    assert any("remains tentative" in f.text for f in corpus.digest.findings)


def test_an_opinion_that_a_held_meeting_is_still_to_come_is_out_of_date():
    """An opinion of [3] and [4] ("As we have been predicting, President Trump and
    President Xi are on track to meet ... this Thursday") tells as still to come the summit
    [5] reports held: left out like a forecast of it. A report in the past tense of a day
    an item spans stays."""
    from briefgen import dates
    from briefgen.currency import current
    from briefgen.settle import tells_settled

    watch, corpus = _sample_watch("2025-10-30")
    on_track = next(f for f in corpus.digest.findings if "on track to meet" in f.text)
    assert on_track.kind != "forecast" and len(on_track.evidence) == 2
    kept = current(corpus.digest, corpus, dt.date(2025, 10, 30)).findings
    assert on_track.id not in {f.id for f in kept}
    # The same finding told in the past tense, as a report of the summit, stays.
    told = "President Trump and President Xi met in person at the APEC Summit on October 30."
    report = on_track.model_copy(
        update={
            "id": "report",
            "text": told,
            "evidence": [e.model_copy(update={"text": told}) for e in on_track.evidence],
        }
    )
    ref = corpus.references[report.evidence[0].article_id][0]
    assert dates.sentence_tense(told) == "past"
    assert tells_settled(told, report.evidence[0].article_id, ref, watch.settled)
    digest = corpus.digest.model_copy(update={"findings": [*corpus.digest.findings, report]})
    assert "report" in {f.id for f in current(digest, corpus, dt.date(2025, 10, 30)).findings}


def test_a_fact_told_as_to_come_of_an_event_reported_since_is_out_of_date():
    """A model's notes may call "Trade officials ... will meet in Malaysia on Friday" a fact,
    not a forecast: the talks [4] reports held, it is left out of what the brief is written
    from all the same. A fact that names passed days beside a "will" stays: "every date
    passed" is a forecast's test only."""
    from briefgen.currency import current

    _, corpus = _sample_watch("2025-10-30")
    malaysia = next(f for f in corpus.digest.findings if "will meet in Malaysia" in f.text)
    as_fact = malaysia.model_copy(update={"id": "as-fact", "kind": "fact"})
    text = "The UK has frozen all trade talks until the 15 sailors detained on October 2 are freed."
    frozen = as_fact.model_copy(
        update={
            "id": "frozen",
            "text": text,
            "evidence": [e.model_copy(update={"text": text}) for e in as_fact.evidence],
        }
    )
    digest = corpus.digest.model_copy(
        update={"findings": [*corpus.digest.findings, as_fact, frozen]}
    )
    kept = {f.id for f in current(digest, corpus, dt.date(2025, 10, 30)).findings}
    assert "as-fact" not in kept and malaysia.id not in kept
    assert "frozen" in kept


def test_a_finding_whose_own_sentence_is_out_of_date_is_left_out_whatever_supports_it():
    """The reader is shown a finding's own sentence. "will meet in Malaysia on Friday" [2]
    tells as coming the talks [4] reports held; a current sentence of another article that
    supports it clause by clause does not keep it."""
    from briefgen.currency import current

    _, corpus = _sample_watch("2025-10-30")
    malaysia = next(f for f in corpus.digest.findings if "will meet in Malaysia" in f.text)
    newest = max(corpus.references, key=lambda a: corpus.references[a][0])
    support = "Officials said the trade teams are expected to meet again in the new year."
    backed = malaysia.model_copy(
        update={
            "id": "backed",
            "kind": "fact",
            "evidence": [
                *malaysia.evidence,
                malaysia.evidence[0].model_copy(update={"article_id": newest, "text": support}),
            ],
        }
    )
    digest = corpus.digest.model_copy(update={"findings": [*corpus.digest.findings, backed]})
    assert "backed" not in {f.id for f in current(digest, corpus, dt.date(2025, 10, 30)).findings}


def test_a_title_telling_a_held_meeting_as_ahead_is_no_headline():
    """[4]'s title, "US, China edge toward fragile truce ahead of Trump-Xi meeting", headed
    the sample briefs although [5], written later, reports the summit held: its title is out
    of date (two of the meeting's parties beside "ahead of"), and the headline is another
    title. Titles that name the parties with no cue of what is ahead, or a meeting no later
    article reports, are not out of date."""
    from briefgen import pipeline
    from briefgen.settle import title_out_of_date

    watch, corpus = _sample_watch("2025-10-30")
    refs, settled = corpus.references, watch.settled
    truce = next(a for a in corpus.articles if a.title.startswith("US, China edge toward"))
    assert title_out_of_date(truce.title, truce.id, refs, settled)
    for title in ("Trump and Xi agree a fragile truce", "Trump and Xi to meet Kim next spring"):
        assert not title_out_of_date(title, truce.id, refs, settled), title
    newest = max(refs, key=lambda a: refs[a][0])
    assert not title_out_of_date(truce.title, newest, refs, settled)  # not older than the report
    from conftest import SAMPLE

    brief = pipeline.make_brief([str(SAMPLE)], "exec").brief
    assert brief.headline and brief.headline != truce.title
    assert "ahead of" not in brief.headline
