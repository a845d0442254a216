"""`briefgen logs`: the runs `make` logged, with their calls, filtered by folder and model,
as text or JSON valid against `briefgen schema logs`, and never a secret shown."""

from __future__ import annotations

import json
import shutil
import sqlite3

import jsonschema
import pytest
from conftest import E2E_DATA

from briefgen.cli import main
from briefgen.ledger import CallRecord, store_run
from briefgen.runlog import LOG_FILE, read_log
from briefgen.schema import OUTPUT_VERSION, TIMESTAMP_PATTERN

HARBOUR = E2E_DATA / "harbour"
KEY = "sk-test-9f8e7d6c5b4a39281706"
PASSWORD = "hunter2-secret-pw"


def run(runner, *args):
    r = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return r.stdout


@pytest.fixture
def two_folders(tmp_path):
    """Two folders of articles: the harbour story, and its council article alone."""
    north, south = tmp_path / "north", tmp_path / "south"
    shutil.copytree(HARBOUR, north)
    south.mkdir()
    shutil.copy(HARBOUR / "council.md", south / "council.md")
    return north, south


def _model_run(db, model: str, folder, secrets=()):
    """A run of a model engine as the CLI logs it, with an extract call and a failed one."""
    calls = [
        CallRecord("extract", model, "json_schema", 900, 120, 2.5, article_id="a1", chunk_index=0),
        CallRecord(
            "extract",
            model,
            "json_schema",
            900,
            0,
            0.0,
            cached=True,
            article_id="a1",
            chunk_index=1,
        ),  # fmt: skip
        CallRecord(
            "synthesis",
            model,
            "json_object",
            1500,
            300,
            4.0,
            ok=False,
            error=f"HTTP 500 from the server; Authorization: Bearer {KEY}",
        ),  # fmt: skip
    ]
    run_row = {
        "started": "2025-10-30T08:00:00+00:00",
        "finished": "2025-10-30T08:00:07.250000+00:00",
        "engine": "llm",
        "model": model,
        "base_url": f"https://user:{PASSWORD}@llm.example/v1?api-key={KEY}",
        "audience": "exec",
        "articles": 2,
        "chunks": 2,
        "seconds": 7.25,
        "folders": [str(folder.resolve())],
        "warnings": [f"the server said: key {KEY} refused"],
    }
    return store_run(db, run_row, calls, secrets=secrets)


def test_runs_of_make_are_listed_newest_first_with_their_folders(runner, two_folders, tmp_path):
    north, south = two_folders
    state = tmp_path / "shared"
    run(runner, "make", "--cache", state, north)
    run(runner, "make", "-a", "analyst", "--cache", state, south)
    log = json.loads(run(runner, "logs", "--cache", state, "--json"))
    assert [r["audience"] for r in log["runs"]] == ["analyst", "exec"]  # newest first
    assert [r["folders"] for r in log["runs"]] == [[str(south.resolve())], [str(north.resolve())]]
    assert [r["articles"] for r in log["runs"]] == [1, 2]
    assert log["log"] == str(state / LOG_FILE)
    # By folder (PATHS, or --folder; a file counts as its folder) and by number.
    only = json.loads(run(runner, "logs", "--cache", state, "--json", north))
    assert [r["folders"] for r in only["runs"]] == [[str(north.resolve())]]
    by_file = json.loads(run(runner, "logs", "--cache", state, "--json", south / "council.md"))
    assert [r["audience"] for r in by_file["runs"]] == ["analyst"]
    by_option = json.loads(run(runner, "logs", "--cache", state, "--json", "--folder", north))
    assert by_option["runs"] == only["runs"]
    newest = json.loads(run(runner, "logs", "--cache", state, "--json", "--limit", "1"))
    assert newest["runs"] == log["runs"][:1]
    text = run(runner, "logs", "--cache", state)
    assert text.index("analyst") < text.index("exec")
    assert "no model calls" in text and str(north.resolve()) in text
    assert "2 runs shown" in text


def test_the_log_beside_the_articles_is_found_from_their_folder(runner, two_folders, monkeypatch):
    north, _ = two_folders
    monkeypatch.delenv("BRIEFGEN_CACHE")
    run(runner, "make", north)
    assert (north / ".briefgen" / LOG_FILE).is_file()
    log = json.loads(run(runner, "logs", "--json", north))
    assert len(log["runs"]) == 1 and log["log"] == str(north / ".briefgen" / LOG_FILE)


def test_model_filter_and_calls(runner, tmp_path, two_folders):
    north, south = two_folders
    db = tmp_path / "state" / LOG_FILE
    _model_run(db, "model-a", north)
    _model_run(db, "model-b", south)
    log = json.loads(run(runner, "logs", "--json", "--model", "model-a"))
    (only,) = log["runs"]
    assert only["model"] == "model-a"
    assert [(c["kind"], c["cached"], c["ok"]) for c in only["calls"]] == [
        ("extract", False, True), ("extract", True, True), ("synthesis", False, False)
    ]  # fmt: skip
    assert json.loads(run(runner, "logs", "--json", "--model", "nobody"))["runs"] == []
    text = run(runner, "logs", "--model", "model-b", "--calls")
    assert "model-b" in text and "model-a" not in text
    assert "calls: 2 extract (1 cached), 1 synthesis (1 failed)" in text
    assert "a1 part 2" in text and "failed: HTTP 500" in text
    # Both runs, the folder filter aside: each read its own folder.
    assert len(json.loads(run(runner, "logs", "--json", south))["runs"]) == 1


def test_no_secret_is_shown_even_from_a_log_that_holds_one(runner, tmp_path, two_folders):
    """store_run redacts what it is given; a log an older briefgen wrote may not be, so the
    reader redacts again: the key, the URL's password and query never reach the output."""
    north, _ = two_folders
    db = tmp_path / "state" / LOG_FILE
    _model_run(db, "model-a", north, secrets=[KEY])
    stored = sqlite3.connect(db)
    raw = "\n".join(str(v) for row in stored.execute("SELECT * FROM runs") for v in row)
    raw += "\n".join(str(v) for row in stored.execute("SELECT * FROM calls") for v in row)
    assert KEY not in raw and PASSWORD not in raw  # written without them
    # As an older, careless writer would have left them:
    stored.execute("UPDATE runs SET base_url = ?, report_json = ?", (
        f"https://user:{PASSWORD}@llm.example/v1?api-key={KEY}",
        json.dumps({"warnings": [f"Authorization: Bearer {KEY}"], "folders": []}),
    ))  # fmt: skip
    stored.execute("UPDATE calls SET error = ?", (f"Bearer {KEY} refused at ?key={KEY}",))
    stored.commit()
    stored.close()
    for args in (["--json"], ["--calls"]):
        out = run(runner, "logs", *args)
        assert KEY not in out and PASSWORD not in out and "api-key=" + KEY not in out
        assert "llm.example/v1" in out
    (logged,) = json.loads(run(runner, "logs", "--json"))["runs"]
    assert logged["base_url"] == "https://llm.example/v1"
    assert "[redacted]" in logged["report"]["warnings"][0]


def test_runs_logged_before_folders_were_kept_are_not_hidden(tmp_path, two_folders):
    north, south = two_folders
    db = tmp_path / "log.db"
    _model_run(db, "model-a", north)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE runs SET report_json = NULL")  # as briefgen logged before
    conn.commit()
    conn.close()
    _model_run(db, "model-b", north)
    kept = read_log(db, folders=[str(south)])
    assert [(r.model, r.folders) for r in kept.runs] == [("model-a", [])]


def test_an_empty_state_has_no_runs_and_is_not_an_error(runner, tmp_path):
    out = run(runner, "logs", "--cache", tmp_path / "nothing")
    assert out.startswith("no runs logged in ")
    log = json.loads(run(runner, "logs", "--cache", tmp_path / "nothing", "--json"))
    assert log["runs"] == [] and log["schema_version"] == OUTPUT_VERSION
    assert not (tmp_path / "nothing").exists()  # looking creates nothing


def test_a_file_that_is_not_a_log_is_a_clear_error(runner, tmp_path):
    (tmp_path / LOG_FILE).write_text("not a database", encoding="utf-8")
    r = runner.invoke(main, ["logs", "--cache", str(tmp_path)])
    assert r.exit_code == 3 and f"cannot read the run log {tmp_path / LOG_FILE}" in r.stderr


def test_logs_json_is_valid_against_its_printed_schema(runner, tmp_path, two_folders):
    north, south = two_folders
    _model_run(tmp_path / "state" / LOG_FILE, "model-a", north)
    run(runner, "make", south)
    log = json.loads(run(runner, "logs", "--json"))
    assert len(log["runs"]) == 2
    schema = json.loads(run(runner, "schema", "logs"))
    cls = jsonschema.validators.validator_for(schema)
    cls(schema, format_checker=cls.FORMAT_CHECKER).validate(log)
    stamps = [r[k] for r in log["runs"] for k in ("started", "finished")]
    assert all(jsonschema.validators.Draft202012Validator({"pattern": TIMESTAMP_PATTERN})
               .is_valid(s) for s in stamps)  # fmt: skip
    assert stamps[2:] == ["2025-10-30T08:00:00Z", "2025-10-30T08:00:07Z"]
