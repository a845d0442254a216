"""The indexes that keep big briefs linear (issue 16) find what comparing all pairs finds.

Each test builds a small but varied input with a seeded random generator and checks the
indexed step against the all-pairs rule it replaces, written out here.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from types import SimpleNamespace

from briefgen import clustering, watch
from briefgen.schema import WatchItem

WORDS = [f"w{i}" for i in range(40)]


def _clause(rng: random.Random) -> dict[str, float]:
    # A few common words in most clauses, the rest spread out: the shape prefix filtering is for.
    words = rng.sample(WORDS[:4], rng.randint(0, 4)) + rng.sample(WORDS, rng.randint(0, 8))
    return {w: 1.0 for w in words}


def test_sharing_lists_what_counting_every_posting_lists_in_the_same_order():
    rng = random.Random(16)
    claims = [SimpleNamespace(clauses=[_clause(rng) for _ in range(3)]) for _ in range(60)]
    # Reprints: claims holding the very clause dicts of earlier ones, as _weighted_claims
    # shares them between claims of one text; the index lists each such clause once.
    claims += [SimpleNamespace(clauses=list(rng.choice(claims).clauses)) for _ in range(30)]
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for ci, c in enumerate(claims):
        for k, clause in enumerate(c.clauses):
            for w in clause:
                postings[w].append((ci, k))
    index = clustering._ClauseIndex(claims)
    assert len(index.clauses) < sum(len(c.clauses) for c in claims)
    found_any = False
    for c in claims:
        for clause in c.clauses:
            every = Counter(key for w in clause for key in postings[w])
            expected = [(key, n) for key, n in every.items() if n >= clustering.MIN_SHARED]
            assert clustering._sharing(clause, index) == expected
            found_any = found_any or bool(expected)
    assert found_any


def _item(rng: random.Random, i: int) -> WatchItem:
    kind = rng.choice(["day", "day", "month", "part-of-month", "year", None, "undated"])
    day = dt.date(2025, rng.randint(1, 3), rng.choice([1, 5, 11, 15, 21, 28]))
    words = " ".join(rng.sample(["talks", "vote", "summit", "budget", "court", "tariff"], 3))
    if kind == "undated":
        return WatchItem(
            description=f"the {words} meeting",
            date_text=rng.choice(["next week", "soon"]),
            status="expected",
            article_ids=[f"a{i}"],
            sentence=f"The {words} meeting is next week.",
        )
    if kind in ("month", "year"):
        day = day.replace(day=1) if kind == "month" else dt.date(2025, 1, 1)
    return WatchItem(
        description=f"the {words} meeting",
        date_text=str(day),
        date=day,
        precision=kind,
        status="scheduled",
        article_ids=[f"a{i}"],
        sentence=f"The {words} meeting is on {day}.",
    )


def test_blocks_give_the_twin_that_comparing_every_item_gives():
    rng = random.Random(14)
    items: list[WatchItem] = []
    vectors: list[list[Counter[str]]] = []
    blocks = watch._Blocks()
    twins = 0
    for i in range(300):
        item = _item(rng, i)
        vec = Counter(item.description.split())
        at = watch._find_twin(item, vec, items, vectors, blocks.candidates(item))
        assert at == watch._find_twin(item, vec, items, vectors)
        if at is None:
            blocks.add(len(items), item)
            items.append(item)
            vectors.append([vec])
        else:
            twins += 1
            vectors[at].append(vec)
            if rng.random() < 0.3:  # a clearer telling takes the item's place
                blocks.move(at, items[at], item)
                items[at] = item
    assert twins and len(items) > 10
