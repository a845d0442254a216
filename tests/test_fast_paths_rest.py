"""The fast paths of the steps after extraction (issue 16: 10,000 articles) give what the
slower rules they replace give: each test states the plain rule and checks the fast one
against it on seeded random input, or checks the invariant the fast path rests on."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter

from briefgen import copies, digest_extras, merge, settle
from briefgen.schema import Article, ChunkNotes, Claim, WatchItem, WatchList
from briefgen.text import cosine, cosine_with_norms, norm

WORDS = [f"w{i}" for i in range(30)]


def _vector(rng: random.Random) -> dict[str, float]:
    return {w: rng.uniform(0.1, 3.0) for w in rng.sample(WORDS, rng.randint(1, 12))}


def test_cosine_with_norms_computed_once_is_text_cosine_to_the_last_bit():
    rng = random.Random(1)
    for _ in range(500):
        a, b = _vector(rng), _vector(rng)
        assert cosine_with_norms(a, norm(a), b, norm(b)) == cosine(a, b)


def test_a_quote_within_same_quote_always_shares_a_word_of_the_prefix():
    # The prefix is what quotes_of looks up: a close quote outside it would never be merged.
    assert digest_extras.QUOTE_REST < digest_extras.SAME_QUOTE**2
    rng = random.Random(2)
    vocabulary = WORDS[:10]
    quotes = [Counter(rng.choices(vocabulary, k=rng.randint(1, 8))) for _ in range(300)]
    by_word: dict[str, list[int]] = {}
    for i, q in enumerate(quotes):
        for w in q:
            by_word.setdefault(w, []).append(i)
    close_pairs = 0
    for q in quotes:
        prefix = set(digest_extras._quote_prefix(q, by_word))
        for other in quotes:
            if cosine(q, other) >= digest_extras.SAME_QUOTE:
                close_pairs += 1
                assert prefix & other.keys()
    assert close_pairs > len(quotes)  # not only each quote with itself


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, title=aid, text=text, path=f"{aid}.txt", words=len(text.split()))


def _story(rng: random.Random, n_words: int) -> str:
    return " ".join(
        rng.choice(["alpha", "beta", "gamma", "delta", "omega"]) + str(rng.randint(0, 99))
        for _ in range(n_words)
    )


def test_copies_do_not_depend_on_the_order_pairs_are_compared_in():
    # The pairs are no longer sorted before they are compared: the groups (connected parts
    # of the graph of copies, led by their earliest article) must be the same in any order.
    rng = random.Random(3)
    stories = [_story(rng, 80) for _ in range(4)]
    articles = []
    for i in range(24):
        words = stories[i % 4].split()
        cut = rng.randint(0, 10)
        articles.append(_article(f"a{i:02d}", " ".join(words[cut:] + [f"credit{i}"])))
    expected = copies.find_copies(articles, exact_below=10**6)  # every pair, in order
    assert len(set(expected.values())) == 4
    for seed in range(5):
        shuffled_pairs = random.Random(seed)
        original = copies._candidate_pairs

        def in_any_order(arts, sets, _original=original, _rng=shuffled_pairs):
            pairs = list(_original(arts, sets))
            _rng.shuffle(pairs)
            return iter(pairs)

        copies._candidate_pairs = in_any_order
        try:
            assert copies.find_copies(articles, exact_below=0) == expected
        finally:
            copies._candidate_pairs = original


def _watch_item(day: dt.date, sentence: str, aid: str) -> WatchItem:
    return WatchItem(
        description=sentence,
        date_text=day.isoformat(),
        date=day,
        precision="day",
        status="scheduled",
        article_ids=[aid],
        sentence=sentence,
    )


def test_one_index_of_told_sentences_answers_as_a_fresh_index_does():
    texts = {
        "a": "Trade ministers will meet in Geneva on March 3 to sign the tariff accord.",
        "b": "Trade ministers met in Geneva on March 3 and signed the tariff accord.",
        "c": "The Geneva tariff accord signing planned for March 3 was cancelled by the ministers.",
        "d": "Nothing here tells of the ministers.",
    }
    refs = {aid: (dt.date(2025, 3, 1 if aid == "a" else 5), "test") for aid in texts}
    index = settle.told_index(texts)

    def watch() -> WatchList:
        item = _watch_item(dt.date(2025, 3, 3), texts["a"], "a")
        return WatchList(as_of=dt.date(2025, 3, 2), upcoming=[item], unresolved=[], passed=[])

    fresh = settle.settle(watch(), texts, refs, set())
    shared = settle.settle(watch(), texts, refs, set(), index)
    assert fresh.model_dump() == shared.model_dump()
    assert fresh.settled  # the case is one the index matters for
    raised = settle.raised_references(watch(), texts, refs, set())
    assert settle.raised_references(watch(), texts, refs, set(), index) == raised


def test_a_brief_reads_the_told_sentences_once(monkeypatch, sample_dir):
    from briefgen import pipeline

    built = []
    real = settle.told_index
    monkeypatch.setattr(settle, "told_index", lambda texts: built.append(1) or real(texts))
    pipeline.make_brief([sample_dir], audience="analyst")
    assert len(built) == 1


def test_merge_gives_reprinted_claims_the_findings_of_their_original():
    # Claims of one text share their weights and word sets; a reprint's support, clusters and
    # quotes must still come out as those of separate, equal claims would.
    rng = random.Random(4)
    assert math.isclose(norm({"a": 3.0, "b": 4.0}), 5.0)
    vocabulary = ["tariff", "accord", "geneva", "ministers", "signed", "march", "trade"]
    sentences = [" ".join(rng.sample(vocabulary, 5)).capitalize() + "." for _ in range(6)]

    def notes(aid: str) -> ChunkNotes:
        claims = [Claim(text=s, evidence=s, kind="fact") for s in sentences]
        return ChunkNotes(article_id=aid, chunk_index=0, claims=claims)

    arts = [_article(f"r{i}", " ".join(sentences)) for i in range(5)]
    digest = merge.merge(arts, [notes(a.id) for a in arts])
    for f in digest.findings:
        assert sorted(f.article_ids) == [a.id for a in arts]


def test_the_watch_list_asked_again_is_an_equal_copy_of_the_one_built(sample_dir):
    from briefgen import corpus_dates, pipeline

    corpus = pipeline.read_corpus([sample_dir])
    day, _ = corpus_dates.decide_as_of(None, corpus)
    first = corpus_dates.build_watchlist(corpus, day)
    again = corpus_dates.build_watchlist(corpus, day)
    assert again.model_dump() == first.model_dump()
    assert first.upcoming or first.passed or first.settled  # a list worth comparing
    again.upcoming.clear()
    again.settled.clear()
    assert corpus_dates.build_watchlist(corpus, day).model_dump() == first.model_dump()
    corpus.memo.clear()  # built from nothing remembered: the same list
    assert corpus_dates.build_watchlist(corpus, day).model_dump() == first.model_dump()


def test_settling_dates_again_on_dates_it_left_alone_is_skipped(monkeypatch, sample_dir):
    from briefgen import corpus_dates, pipeline

    corpus = pipeline.read_corpus([sample_dir])
    asked = []
    real = settle.raised_references
    monkeypatch.setattr(
        settle, "raised_references", lambda *a, **k: asked.append(1) or real(*a, **k)
    )
    for _ in range(4):
        corpus_dates.settle_dates(corpus, None)
    settled = dict(corpus.references)
    # Each call either changed the dates or found them settled; after that, none is made.
    assert 1 <= len(asked) < 4
    corpus.memo.clear()
    corpus_dates.settle_dates(corpus, None)
    assert corpus.references == settled


def test_a_remembered_line_is_judged_by_its_place_as_well_as_its_words():
    from briefgen import clean

    byline = "By Jane Doe and John Roe"
    # Asked far down first, then near the top, then far down again: the answer remembered
    # for one place must not be given for the other.
    assert clean._line_debris(byline, 9) == (False, None)
    assert clean._line_debris(byline, 1) == (True, None)
    assert clean._line_debris(byline, 9) == (False, None)


def test_cleaning_reprints_gives_each_the_text_cleaning_it_alone_gives():
    from briefgen import clean

    page = "Home > World > Asia\nPhoto: Reuters The talks resumed on Monday in Geneva.\nRead more"
    first = clean.clean_text(page)
    clean._debris.cache_clear()
    clean._unglue.cache_clear()
    clean._furniture_line.cache_clear()
    alone = clean.clean_text(page)
    assert first == alone == clean.clean_text(page)
    assert "Photo: Reuters" not in alone.text and "talks resumed" in alone.text
