"""The published JSON contract: every JSON output of the sample corpus is valid against the
schema `briefgen schema` prints (checked by the jsonschema package, not by pydantic), each
carries schema_version, ids come from content alone, timestamps carry their zone, a watch
list's citations resolve in its own sources, and `sources` numbers and dates the articles
as the brief does.
"""

from __future__ import annotations

import copy
import json
import re
import shutil

import jsonschema
import pytest
from conftest import SAMPLE

import briefgen.pipeline
from briefgen import cli_schema, contract
from briefgen.cli import main
from briefgen.schema import OUTPUT_VERSION, TIMESTAMP_PATTERN, Brief, WatchList

AUDIENCES = ("exec", "analyst", "newsletter")


def run(runner, *args):
    r = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return r.stdout


@pytest.fixture(scope="module", autouse=True)
def _read_each_corpus_once():
    """Each corpus folder is read once for this module (a deep copy per run); every command,
    the dates settled on, numbering, assembling and rendering still run each time."""
    real = briefgen.pipeline.read_corpus
    kept = {}

    def read_corpus(paths, stdin=None, engine=None, **kwargs):
        if stdin is not None or kwargs or getattr(engine, "name", "extractive") != "extractive":
            return real(paths, stdin=stdin, engine=engine, **kwargs)
        key = tuple(str(p) for p in paths)
        if key not in kept:
            kept[key] = real(paths, engine=engine)
        return copy.deepcopy(kept[key])

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(briefgen.pipeline, "read_corpus", read_corpus)
        yield


@pytest.fixture(scope="module")
def outputs(runner):
    """The JSON of every output of the sample corpus, by document name and audience."""
    out = {("brief", a): run(runner, "make", "-a", a, "-f", "json", SAMPLE) for a in AUDIENCES}
    out["watchlist", None] = run(runner, "watchlist", "-f", "json", SAMPLE)
    out["sources", None] = run(runner, "sources", "-f", "json", SAMPLE)
    return {key: json.loads(text) for key, text in out.items()}


@pytest.fixture(scope="module")
def schemas(runner):
    """What `briefgen schema NAME` prints, for every document it names."""
    return {name: json.loads(run(runner, "schema", name)) for name in cli_schema.DOCUMENTS}


def validator(schema):
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_the_schema_command_names_every_document_the_contract_defines(schemas):
    assert set(cli_schema.DOCUMENTS) == set(contract.DOCUMENTS) == set(schemas)
    for name, schema in schemas.items():
        assert schema["$schema"].endswith("/2020-12/schema")
        assert OUTPUT_VERSION in schema["title"] and name in schema["title"]


@pytest.mark.parametrize(
    "key", [("brief", a) for a in AUDIENCES] + [("watchlist", None), ("sources", None)]
)
def test_every_json_output_is_valid_against_its_printed_schema(outputs, schemas, key):
    document = outputs[key]
    errors = sorted(validator(schemas[key[0]]).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    assert document["schema_version"] == OUTPUT_VERSION


def test_the_schema_rejects_what_the_contract_does_not_allow(outputs, schemas):
    """It would catch drift: an unknown key, a timestamp without its zone or in another
    form, a date with a time, no version, a version of another major."""
    check = validator(schemas["brief"])
    good = outputs["brief", "analyst"]
    check.validate(good)
    broken = []
    for change in (
        lambda d: d.update(extra=1),
        lambda d: d["provenance"].update(generated_at="2025-10-30T08:00:00"),
        lambda d: d["provenance"].update(generated_at="2025-10-30T08:00:00.123+00:00"),
        lambda d: d["provenance"].update(as_of="2025-10-30T00:00:00Z"),
        lambda d: d.pop("schema_version"),
        lambda d: d.update(schema_version="3.0"),
        lambda d: d["key_points"][0].pop("id"),
    ):
        d = copy.deepcopy(good)
        change(d)
        broken.append(check.is_valid(d))
    assert broken == [False] * len(broken)


def test_outputs_read_back_as_their_models(outputs):
    for audience in AUDIENCES:
        brief = Brief.model_validate(outputs["brief", audience])
        assert brief.key_points[0].id == outputs["brief", audience]["key_points"][0]["id"]
    assert WatchList.model_validate(outputs["watchlist", None]).sources


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def test_every_timestamp_is_utc_with_its_zone_in_one_form(outputs):
    moment = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
    for document in outputs.values():
        stamps = [s for s in _strings(document) if moment.match(s)]
        assert all(re.fullmatch(TIMESTAMP_PATTERN, s) for s in stamps), stamps
    assert re.fullmatch(TIMESTAMP_PATTERN, outputs["brief", "exec"]["provenance"]["generated_at"])


def _points(brief: dict) -> list[dict]:
    points = [*brief["bottom_line"], *brief["key_points"], *brief["single_source"]]
    points += [p for s in brief["sections"] for p in s["points"]]
    return points + ([brief["headline_support"]] if brief["headline_support"] else [])


def test_points_findings_and_watch_items_carry_ids(outputs):
    for audience in AUDIENCES:
        brief = outputs["brief", audience]
        points = _points(brief)
        assert points and all(re.fullmatch(r"p-[0-9a-f]{12}", p["id"]) for p in points)
        by_id = {}
        for p in points:  # one id, one point: the same words wherever it is listed
            assert by_id.setdefault(p["id"], p["text"]) == p["text"]
        for p in points:
            assert len(p["finding_keys"]) == len(p["finding_ids"]) > 0
            assert all(re.fullmatch(r"f-[0-9a-f]{12}", k) for k in p["finding_keys"])
        watch = [i["id"] for i in brief["watch"]]
        assert all(watch) and len(set(watch)) == len(watch)
    items = [i for group in ("upcoming", "unresolved", "passed", "settled")
             for i in outputs["watchlist", None][group]]  # fmt: skip
    assert items and all(i["id"] for i in items)


def _ids(brief: dict, watch: dict) -> dict[str, set]:
    points = _points(brief)
    return {
        "points": {(p["id"], p["text"]) for p in points},
        "findings": {k for p in points for k in p["finding_keys"]},
        "watch": {
            i["id"] for g in ("upcoming", "unresolved", "passed", "settled") for i in watch[g]
        },
    }


def test_ids_do_not_depend_on_article_order_file_names_or_the_time(runner, outputs, tmp_path):
    """The same articles under other names, listed the other way round, at another time:
    the same ids, though the files are read, and same-day sources numbered, in another order."""
    files = sorted(SAMPLE.glob("*.txt"))
    for i, path in enumerate(reversed(files)):
        shutil.copy(path, tmp_path / f"{chr(ord('a') + i)}-{path.stem[-4:]}.txt")
    renamed = sorted(tmp_path.glob("*.txt"), reverse=True)
    brief = json.loads(run(runner, "make", "-a", "analyst", "-f", "json", *renamed))
    watch = json.loads(run(runner, "watchlist", "-f", "json", *renamed))
    before = _ids(outputs["brief", "analyst"], outputs["watchlist", None])
    assert _ids(brief, watch) == before
    assert all(before.values())
    numbers = {s["article_id"]: s["n"] for s in brief["sources"]}
    original = {s["article_id"]: s["n"] for s in outputs["brief", "analyst"]["sources"]}
    assert set(numbers) == set(original) and numbers != original  # really another order


def test_watchlist_json_carries_the_sources_its_citations_name(outputs):
    watch = outputs["watchlist", None]
    numbers = {s["n"]: s for s in watch["sources"]}
    cited = [
        n
        for g in ("upcoming", "unresolved", "passed", "settled")
        for i in watch[g]
        for n in [*i["citations"], *i["state_citations"]]
    ]
    assert cited and set(cited) <= set(numbers)
    for g in ("upcoming", "unresolved", "passed", "settled"):
        for i in watch[g]:  # a citation names the articles the item rests on
            assert {numbers[n]["article_id"] for n in i["citations"]} == set(i["article_ids"])
    assert all(s["reference"] for s in watch["sources"])  # the sample's dates are all inferred
    assert watch["sources"] == outputs["brief", "analyst"]["sources"]


def test_sources_lists_the_numbers_and_dates_of_the_brief(outputs):
    listed = outputs["sources", None]["articles"]
    brief = outputs["brief", "analyst"]
    assert [a["n"] for a in listed] == list(range(1, len(listed) + 1))
    assert [(a["n"], a["id"], a["reference"]) for a in listed] == [
        (s["n"], s["article_id"], s["reference"]) for s in brief["sources"]
    ]
    assert all(a["reference"] for a in listed)  # none "unknown": make dates every one
    notes = brief["provenance"]["date_notes"]
    assert [f"[{a['n']}] {a['reference_basis']}" for a in listed] == notes
    ids = {a["id"] for a in listed}  # other articles are named [n], as in the brief
    assert not any(i in a["reference_basis"] for a in listed for i in ids)
