"""briefgen as a Unix citizen: files others can read, exit statuses that say what happened,
`-h`, help that is not cut, shell completion, one line per message whatever a file name holds,
a closed standard input, and `cache` commands that work on any state.

Small corpora (the harbour pair, a file or two made here) keep each run short.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import E2E_DATA

from briefgen.cli import main
from briefgen.exit_codes import ExitCode
from briefgen.resources import write_atomically

HARBOUR = E2E_DATA / "harbour"


def run(runner, *args, input=None, env=None):
    return runner.invoke(main, [str(a) for a in args], input=input, env=env,
                         catch_exceptions=False)  # fmt: skip


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------- permissions


def test_a_new_output_follows_the_umask(runner, tmp_path, umask_022):
    target = tmp_path / "brief.md"
    r = run(runner, "make", "-q", "-o", target, HARBOUR)
    assert r.exit_code == 0, r.stderr
    assert mode(target) == 0o644
    os.umask(0o027)
    other = tmp_path / "other.md"
    write_atomically(other, "text\n")
    assert mode(other) == 0o640


def test_an_output_keeps_the_permissions_of_the_file_it_replaces(runner, tmp_path, umask_022):
    target = tmp_path / "brief.md"
    target.write_text("last week's brief\n", encoding="utf-8")
    target.chmod(0o664)  # not what the umask would give, so the test can tell them apart
    r = run(runner, "make", "-q", "-o", target, HARBOUR)
    assert r.exit_code == 0, r.stderr
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert mode(target) == 0o664
    target.chmod(0o600)
    run(runner, "watchlist", "-q", "-o", target, HARBOUR)
    assert mode(target) == 0o600
    # No temporary file is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md", "state"]


# ---------------------------------------------------------------- exit statuses


def test_a_path_given_that_does_not_exist_makes_the_brief_and_exits_1(runner, tmp_path):
    missing = tmp_path / "nowhere.txt"
    for command in ("make", "watchlist"):
        r = run(runner, command, HARBOUR, missing)
        assert r.exit_code == ExitCode.PROBLEMS, r.stderr
        assert r.stdout.strip()  # the output was made
        assert f"problem: {missing} could not be read (no such file or directory)" in r.stderr


def test_files_skipped_inside_a_folder_are_warnings_unless_strict(runner, tmp_path):
    shutil.copytree(HARBOUR, tmp_path / "articles")
    (tmp_path / "articles" / "photo.png").write_bytes(b"\x89PNG")
    r = run(runner, "make", tmp_path / "articles")
    assert r.exit_code == 0, r.stderr
    assert "skipped" in r.stderr and "photo.png" in r.stderr
    r = run(runner, "make", "--strict", tmp_path / "articles")
    assert r.exit_code == ExitCode.PROBLEMS
    assert "1 more files skipped (--strict)" in r.stderr
    r = run(runner, "make", "--dry-run", "--strict", tmp_path / "articles")
    assert r.exit_code == ExitCode.PROBLEMS


def test_an_empty_brief_exits_1(runner, tmp_path):
    (tmp_path / "note.txt").write_text("Hello.\n", encoding="utf-8")
    r = run(runner, "make", tmp_path / "note.txt")
    assert r.exit_code == ExitCode.PROBLEMS
    assert "problem: the brief is empty" in r.stderr


def test_no_readable_input_exits_3_and_usage_errors_2(runner, tmp_path):
    r = run(runner, "make", tmp_path / "nothing-here")
    assert r.exit_code == ExitCode.NO_INPUT and "error: no readable article" in r.stderr
    r = run(runner, "sources", tmp_path / "nothing-here")
    assert r.exit_code != 0
    r = run(runner, "make", "--audience", "everyone", HARBOUR)
    assert r.exit_code == ExitCode.USAGE


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_an_endpoint_that_cannot_be_reached_exits_4(runner, tmp_path):
    settings = tmp_path / "fast.toml"
    settings.write_text("max_retry_seconds = 0\n", encoding="utf-8")
    # Port 9 (discard) has no server on a test machine: the connection is refused at once.
    r = run(runner, "make", "--config", settings, "--base-url", "http://127.0.0.1:9/v1",
            "--model", "m", HARBOUR)  # fmt: skip
    assert r.exit_code == ExitCode.ENDPOINT, r.stderr
    assert "error:" in r.stderr and r.stdout == ""


def test_an_output_that_cannot_be_written_exits_5_naming_it(runner, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "brief.md"  # under a file, so no folder can be made for it
    r = run(runner, "make", "-o", target, HARBOUR)
    assert r.exit_code == ExitCode.OUTPUT
    assert f"error: cannot write {target}" in r.stderr and "Traceback" not in r.stderr


# ---------------------------------------------------------------- help and completion


@pytest.mark.parametrize("args", [[], ["make"], ["watchlist"], ["cache"], ["cache", "stats"],
                                  ["history"], ["init"]])  # fmt: skip
def test_dash_h_is_help_everywhere(runner, args):
    short = run(runner, *args, "-h")
    assert short.exit_code == 0, short.stderr
    assert short.stdout == run(runner, *args, "--help").stdout
    assert short.stdout.startswith("Usage: ")


def test_the_top_level_help_does_not_cut_descriptions_and_lists_exit_statuses(runner):
    text = " ".join(run(runner, "--help").stdout.split())
    commands = text.split(" Commands: ")[1]
    assert "..." not in commands  # click marks a description it cut with "..."
    for name, command in main.commands.items():  # each one's first sentence, whole
        assert f"{name} {command.get_short_help_str(limit=1000)}" in text, name
    assert "sources Show what was read from PATHS" in text
    for code in ExitCode:
        assert f" {int(code)} " in text
    make = " ".join(run(runner, "make", "--help").stdout.split())
    assert "Exit status: 0 success 1 made, with problems" in make


def test_shell_completion_is_there_as_the_help_says(runner):
    assert "_BRIEFGEN_COMPLETE=bash_source briefgen" in run(runner, "--help").stdout
    r = runner.invoke(main, [], prog_name="briefgen", env={"_BRIEFGEN_COMPLETE": "bash_source"})
    assert r.exit_code == 0
    assert "_briefgen_completion" in r.stdout and "complete " in r.stdout


# ---------------------------------------------------------------- messages stay one line


def test_a_newline_in_a_file_name_cannot_forge_a_line(runner, tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(HARBOUR, folder)
    forged = "x\nbriefgen: note: all 6 articles verified\x1b[2K.bin"
    (folder / forged).write_bytes(b"junk")
    missing = tmp_path / "gone\nbriefgen: note: fine.txt"
    r = run(runner, "make", folder, missing)
    lines = r.stderr.splitlines()
    assert all(line.startswith(("briefgen:", "  ")) for line in lines), lines
    assert not any(line.startswith("briefgen: note") for line in lines)
    assert "x\\nbriefgen: note: all 6 articles verified\\x1b[2K.bin" in r.stderr
    assert "gone\\nbriefgen: note: fine.txt could not be read" in r.stderr
    assert "\x1b" not in r.stderr


def test_init_lists_what_it_wrote_one_name_a_line(runner, tmp_path):
    target = tmp_path / "my\ntemplates"
    r = run(runner, "init", target)
    assert r.exit_code == 0, r.stderr
    assert all(line.startswith(str(tmp_path)) for line in r.stdout.splitlines())
    assert "my\\ntemplates" in r.stdout


def test_templates_from_init_are_used_from_the_folder_init_made(runner, tmp_path):
    mine = tmp_path / "mytpl"
    run(runner, "init", mine)
    exec_md = mine / "templates" / "exec.md.j2"
    exec_md.write_text("EDITED {{ brief.headline }}\n", encoding="utf-8")
    r = run(runner, "make", "--templates", mine, HARBOUR)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("EDITED ")
    (tmp_path / "nothing").mkdir()
    r = run(runner, "make", "--templates", tmp_path / "nothing", HARBOUR)
    assert r.exit_code == ExitCode.USAGE and "holds no templates" in r.stderr


# ---------------------------------------------------------------- standard input closed


def test_a_closed_standard_input_is_one_clear_line_and_exit_3(tmp_path):
    env = {**os.environ, "BRIEFGEN_CACHE": str(tmp_path / "state")}
    done = subprocess.run(
        [sys.executable, "-m", "briefgen", "make", "-"],
        preexec_fn=lambda: os.close(0),  # as `briefgen make - 0<&-` does
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == ExitCode.NO_INPUT, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert errors == ["briefgen: error: no readable article in - (-: standard input is closed)"]


# ---------------------------------------------------------------- cache commands on any state


def test_cache_commands_on_a_state_with_no_cached_answers(runner, tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(HARBOUR, folder)
    state = tmp_path / "state"
    assert run(runner, "make", "-q", "-o", tmp_path / "brief.md", folder).exit_code == 0
    stats = run(runner, "cache", "stats", "--cache", state)
    assert stats.exit_code == 0, stats.stderr
    assert "no cached model answers" in stats.stdout
    assert "1 brief manifests kept" in stats.stdout
    as_json = json.loads(run(runner, "cache", "stats", "-f", "json", "--cache", state).stdout)
    assert as_json["manifests"] == 1 and as_json["kinds"] == [] and as_json["state"] == str(state)
    pruned = run(runner, "cache", "prune", "--keep-manifests", "1", "--cache", state)
    assert pruned.exit_code == 0 and "0 manifests" in pruned.stdout
    cleared = run(runner, "cache", "clear", "--cache", state)
    assert cleared.exit_code == 0 and cleared.stdout.startswith("removed 0 answers")
    assert not (state / "cache.db").exists()  # looking leaves nothing behind


@pytest.mark.parametrize("command", ["stats", "prune", "clear"])
def test_cache_commands_on_empty_state_say_so_and_exit_0(runner, tmp_path, command):
    r = run(runner, "cache", command, "--cache", tmp_path / "none")
    assert r.exit_code == 0, r.stderr
    assert str(tmp_path / "none") in r.stdout
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize("command", ["stats", "prune", "clear"])
def test_cache_commands_name_a_path_that_does_not_exist(runner, command):
    r = run(runner, "cache", command, "/nonexistent")
    assert r.exit_code == ExitCode.NO_INPUT
    assert "/nonexistent does not exist" in r.stderr
    assert "/.briefgen" not in r.stderr + r.stdout
