"""`briefgen history --json` and `briefgen cache stats -f json` carry schema_version and are
valid, checked by the jsonschema package, against the schema `briefgen schema history|cache`
prints; the schema is exact, so a key it does not name fails."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest
from conftest import E2E_DATA

from briefgen.cache import Cache
from briefgen.cli import main
from briefgen.schema import OUTPUT_VERSION, TIMESTAMP_PATTERN

HARBOUR = E2E_DATA / "harbour"


def run(runner, *args):
    r = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def validator(runner, name: str):
    schema = json.loads(run(runner, "schema", name))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture
def recorded(runner, tmp_path):
    """Two briefs recorded for one folder (exec, then analyst with the mayor's article)."""
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(HARBOUR / "council.md", articles)
    run(runner, "make", "-q", "-o", tmp_path / "exec.md", articles)
    shutil.copy(HARBOUR / "mayor.txt", articles)
    run(runner, "make", "-q", "-a", "analyst", "-o", tmp_path / "analyst.md", articles)
    return articles


def test_history_json_is_valid_against_its_printed_schema(runner, recorded):
    listed = json.loads(run(runner, "history", "--json", recorded))
    assert listed["schema_version"] == OUTPUT_VERSION
    assert [b["audience"] for b in listed["briefs"]] == ["analyst", "exec"]
    assert [b["articles"] for b in listed["briefs"]] == [2, 1]
    check = validator(runner, "history")
    check.validate(listed)
    stamp = jsonschema.Draft202012Validator({"pattern": TIMESTAMP_PATTERN})
    assert all(stamp.is_valid(b["created"]) for b in listed["briefs"])
    empty = json.loads(run(runner, "history", "--json", "-a", "newsletter", recorded))
    check.validate(empty)
    assert empty["briefs"] == []
    extra = {**listed, "briefs": [{**listed["briefs"][0], "unnamed": 1}]}
    assert not check.is_valid(extra)
    assert not check.is_valid({k: v for k, v in listed.items() if k != "schema_version"})


def test_cache_stats_json_is_valid_against_its_printed_schema(runner, tmp_path, recorded):
    state = tmp_path / "state"
    check = validator(runner, "cache")
    without_answers = json.loads(run(runner, "cache", "stats", "-f", "json", "--cache", state))
    check.validate(without_answers)
    assert without_answers["schema_version"] == OUTPUT_VERSION
    assert without_answers["path"] is None and without_answers["manifests"] == 2
    with Cache.in_folder(state) as cache:
        for key, kind in (("k1", "notes"), ("k2", "notes"), ("k3", "synthesis")):
            cache.put(key, kind=kind, value="{}", engine="llm", model="m", prompt="p",
                      label=key, calls=1, prompt_tokens=100, completion_tokens=20)  # fmt: skip
        cache.get("k1")
    stats = json.loads(run(runner, "cache", "stats", "-f", "json", "--cache", state))
    check.validate(stats)
    kinds = {k["kind"]: k for k in stats["kinds"]}
    assert kinds["notes"]["entries"] == 2 and kinds["notes"]["hits"] == 1
    stamp = jsonschema.Draft202012Validator({"pattern": TIMESTAMP_PATTERN})
    assert all(stamp.is_valid(k[f]) for k in stats["kinds"] for f in ("oldest", "last_used"))
    nothing = json.loads(run(runner, "cache", "stats", "-f", "json", "--cache", tmp_path / "no"))
    check.validate(nothing)
    assert not check.is_valid({**stats, "kinds": [{**stats["kinds"][0], "entries": "2"}]})
