"""briefgen.follow: which files are watched, what a change says, and the polling loop.

Loop tests run `follow` in a real thread with short intervals and wait for what they expect
with generous timeouts (never on exact timing), so a slow CI machine only makes them slower.
Where an exact sequence of looks matters (a change undone, a file that never settles),
`snapshot` is replaced by a script and the loop runs in the test's own thread.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from briefgen import follow as follow_mod
from briefgen.follow import Changes, diff, follow, snapshot

PATIENCE = 5.0  # seconds to wait for something that should happen well before


def wait_until(condition: Callable[[], bool], timeout: float = PATIENCE) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


class Recorder:
    """Collects what the loop hands over; thread-safe enough for list appends and reads."""

    def __init__(self, fail_on: Callable[[Changes], bool] = lambda c: False) -> None:
        self.calls: list[Changes] = []
        self.errors: list[Exception] = []
        self._fail_on = fail_on

    def on_change(self, changes: Changes) -> None:
        self.calls.append(changes)
        if self._fail_on(changes):
            raise RuntimeError(f"brief failed for {changes.describe()}")

    def wait_for_calls(self, count: int) -> None:
        assert wait_until(lambda: len(self.calls) >= count), (
            f"expected {count} calls, got {self.calls}"
        )


@contextmanager
def following(paths: list[str], recorder: Recorder, **options) -> Iterator[threading.Event]:
    """Run follow() in a thread for the body of the with-block, then stop it and check it
    ended promptly and without an exception."""
    stop = threading.Event()
    crashed: list[BaseException] = []
    options = {"interval": 0.02, "debounce": 0.1, **options}

    def run() -> None:
        try:
            follow(paths, recorder.on_change, stop=stop, on_error=recorder.errors.append, **options)
        except BaseException as err:  # reported to the test below
            crashed.append(err)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        thread.join(timeout=PATIENCE)
    assert not thread.is_alive(), "follow() did not return after stop was set"
    assert not crashed, f"follow() raised {crashed[0]!r}"


def settle_time(options: dict[str, float] | None = None) -> None:
    """Long enough for a (wrong) extra callback to show up: several polls and debounces."""
    options = options or {}
    time.sleep(5 * (options.get("interval", 0.02) + options.get("debounce", 0.1)))


# ---------------------------------------------------------------- snapshot


def test_snapshot_follows_the_ingest_rules(tmp_path):
    a = write(tmp_path / "a.txt", "alpha")
    upper = write(tmp_path / "b.HTML", "<p>beta</p>")
    nested = write(tmp_path / "sub" / "deeper" / "c.md", "# gamma")
    write(tmp_path / ".hidden.txt", "hidden")
    write(tmp_path / ".briefgen" / "runs.jsonl", "{}")
    write(tmp_path / "sub" / ".drafts" / "d.txt", "draft")
    write(tmp_path / "notes.pdf", "not an article")
    write(tmp_path / "README", "no extension")

    found = snapshot([str(tmp_path)])

    assert set(found) == {a, upper, nested}
    stat = os.stat(a)
    assert found[a] == (stat.st_mtime_ns, stat.st_size)


def test_snapshot_leaves_out_the_ignored_output_file_by_real_path(tmp_path):
    article = write(tmp_path / "a.txt", "alpha")
    write(tmp_path / "brief.md", "# the brief")
    # The CLI may name the output differently from how the walk finds it.
    output = os.path.join(str(tmp_path), "sub", "..", "brief.md")

    assert set(snapshot([str(tmp_path)], ignore=[output])) == {article}


def test_snapshot_takes_explicit_files_whatever_their_extension(tmp_path):
    odd = write(tmp_path / "story.pdf", "an article anyway")
    missing = str(tmp_path / "gone.txt")

    assert set(snapshot([odd, missing])) == {odd}


def test_snapshot_survives_a_symlink_loop_and_a_missing_folder(tmp_path):
    article = write(tmp_path / "a.txt", "alpha")
    try:
        os.symlink(tmp_path, tmp_path / "loop")
    except OSError:
        pytest.skip("symlinks not available here")

    assert set(snapshot([str(tmp_path), str(tmp_path / "nowhere")])) == {article}


# ---------------------------------------------------------------- diff and describe


def test_diff_sorts_added_changed_and_removed():
    old = {"k.txt": (1, 10), "b.txt": (1, 10), "same.txt": (5, 5), "x.txt": (1, 1)}
    new = {"k.txt": (2, 10), "b.txt": (1, 11), "same.txt": (5, 5), "z.txt": (1, 1), "c.txt": (1, 1)}

    assert diff(old, new) == Changes(
        added=("c.txt", "z.txt"), changed=("b.txt", "k.txt"), removed=("x.txt",)
    )
    assert not diff(new, dict(new))
    assert diff({}, {"a": (1, 1)})


def test_describe_omits_empty_kinds_and_names_files_relative_to_their_folder():
    root = os.path.join("news", "today")
    changes = Changes(
        added=(os.path.join(root, "a.txt"), os.path.join(root, "world", "b.html")),
        removed=(os.path.join(root, "c.txt"),),
    )

    world_b = os.path.join("world", "b.html")
    assert changes.describe() == f"added a.txt, {world_b}; removed c.txt"
    assert changes.describe(base="news") == (
        f"added {os.path.join('today', 'a.txt')}, {os.path.join('today', world_b)}; "
        f"removed {os.path.join('today', 'c.txt')}"
    )
    assert Changes().describe() == "no change"


def test_describe_shows_at_most_limit_names_per_kind():
    changes = Changes(changed=tuple(f"/in/{n}.txt" for n in "abcdefg"))

    assert changes.describe(limit=3) == "changed a.txt, b.txt, c.txt and 4 more"
    assert changes.describe(limit=7) == "changed " + ", ".join(f"{n}.txt" for n in "abcdefg")


# ---------------------------------------------------------------- the loop, on real files


def test_first_call_lists_everything_present_as_added(tmp_path):
    a = write(tmp_path / "a.txt", "alpha")
    b = write(tmp_path / "sub" / "b.md", "beta")
    recorder = Recorder()

    with following([str(tmp_path)], recorder):
        recorder.wait_for_calls(1)
        settle_time()

    assert recorder.calls == [Changes(added=(a, b))]


def test_no_first_call_when_initial_is_off(tmp_path):
    write(tmp_path / "a.txt", "alpha")
    recorder = Recorder()

    with following([str(tmp_path)], recorder, initial=False):
        settle_time()
        b = write(tmp_path / "b.txt", "beta")
        recorder.wait_for_calls(1)

    assert recorder.calls == [Changes(added=(b,))]


def test_a_new_file_gives_exactly_one_call(tmp_path):
    write(tmp_path / "a.txt", "alpha")
    recorder = Recorder()

    with following([str(tmp_path)], recorder):
        recorder.wait_for_calls(1)
        b = write(tmp_path / "b.txt", "beta")
        recorder.wait_for_calls(2)
        settle_time()

    assert recorder.calls[1:] == [Changes(added=(b,))]
    assert recorder.calls[1].describe() == "added b.txt"


def test_a_burst_of_writes_within_the_debounce_gives_one_call(tmp_path):
    write(tmp_path / "a.txt", "alpha")
    recorder = Recorder()
    options = {"interval": 0.02, "debounce": 0.5}

    with following([str(tmp_path)], recorder, **options):
        recorder.wait_for_calls(1)
        for size in range(1, 7):  # a file arriving in pieces, each write well inside 0.5 s
            b = write(tmp_path / "b.txt", "beta " * size)
            time.sleep(0.03)
        recorder.wait_for_calls(2)
        settle_time(options)

    assert recorder.calls[1:] == [Changes(added=(b,))]


def test_changed_and_removed_files_are_reported(tmp_path):
    a = write(tmp_path / "a.txt", "alpha")
    b = write(tmp_path / "b.txt", "beta")
    recorder = Recorder()

    with following([str(tmp_path)], recorder):
        recorder.wait_for_calls(1)
        write(tmp_path / "a.txt", "alpha, longer now")  # a new size is seen whatever the clock
        recorder.wait_for_calls(2)
        os.remove(b)
        recorder.wait_for_calls(3)
        settle_time()

    assert recorder.calls[1:] == [Changes(changed=(a,)), Changes(removed=(b,))]


def test_writing_the_output_inside_the_folder_does_not_retrigger(tmp_path):
    write(tmp_path / "a.txt", "alpha")
    output = tmp_path / "brief.md"  # .md: an article if it were not ignored
    calls: list[Changes] = []

    def make_brief(changes: Changes) -> None:
        calls.append(changes)
        output.write_text(f"# Brief {len(calls)}\n\n{changes.describe()}\n", encoding="utf-8")

    recorder = Recorder()
    recorder.on_change = make_brief  # type: ignore[method-assign]
    with following([str(tmp_path)], recorder, ignore=[str(output)]):
        assert wait_until(lambda: len(calls) >= 1)
        settle_time()
        assert len(calls) == 1, f"the brief retriggered the loop: {calls}"
        c = write(tmp_path / "c.txt", "gamma")
        assert wait_until(lambda: len(calls) >= 2)
        settle_time()

    assert calls[1:] == [Changes(added=(c,))]


def test_an_error_goes_to_on_error_once_and_the_loop_goes_on(tmp_path):
    write(tmp_path / "a.txt", "alpha")
    recorder = Recorder(fail_on=lambda changes: "bad.txt" in changes.describe())

    with following([str(tmp_path)], recorder):
        recorder.wait_for_calls(1)
        write(tmp_path / "bad.txt", "breaks the brief")
        recorder.wait_for_calls(2)
        settle_time()
        # Acted on, even though it failed: not retried while nothing changes.
        assert len(recorder.calls) == 2
        assert [str(e) for e in recorder.errors] == ["brief failed for added bad.txt"]
        good = write(tmp_path / "good.txt", "fine")
        recorder.wait_for_calls(3)

    assert recorder.calls[2] == Changes(added=(good,))
    assert len(recorder.errors) == 1


def test_without_on_error_the_error_is_raised(tmp_path):
    write(tmp_path / "a.txt", "alpha")

    stop = threading.Event()

    def broken(changes: Changes) -> None:
        stop.set()  # were the error swallowed, the loop would end here instead of hanging
        raise RuntimeError("no brief")

    with pytest.raises(RuntimeError, match="no brief"):
        follow([str(tmp_path)], broken, stop=stop)


def test_keyboard_interrupt_is_never_swallowed(tmp_path):
    write(tmp_path / "a.txt", "alpha")
    errors: list[Exception] = []

    stop = threading.Event()

    def interrupted(changes: Changes) -> None:
        stop.set()  # were the interrupt swallowed, the loop would end here instead of hanging
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        follow([str(tmp_path)], interrupted, stop=stop, on_error=errors.append)
    assert errors == []


def test_stop_ends_a_long_wait_between_polls_at_once(tmp_path):
    write(tmp_path / "a.txt", "alpha")
    recorder = Recorder()
    stop = threading.Event()
    thread = threading.Thread(
        target=follow,
        args=([str(tmp_path)], recorder.on_change),
        kwargs={"interval": 60.0, "stop": stop},
        daemon=True,
    )
    thread.start()
    recorder.wait_for_calls(1)

    stop.set()
    thread.join(timeout=1.0)

    assert not thread.is_alive()


def test_stop_ends_the_wait_for_a_change_to_settle_at_once(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", "alpha")
    looks: list[dict[str, tuple[int, int]]] = []
    real_snapshot = follow_mod.snapshot

    def watched_snapshot(*args, **kwargs):
        looks.append(real_snapshot(*args, **kwargs))
        return looks[-1]

    monkeypatch.setattr(follow_mod, "snapshot", watched_snapshot)
    recorder = Recorder()
    stop = threading.Event()
    thread = threading.Thread(
        target=follow,
        args=([str(tmp_path)], recorder.on_change),
        kwargs={"interval": 0.02, "debounce": 60.0, "stop": stop},
        daemon=True,
    )
    thread.start()
    recorder.wait_for_calls(1)
    b = write(tmp_path / "b.txt", "beta")
    assert wait_until(lambda: any(b in look for look in looks))  # now waiting to settle

    stop.set()
    thread.join(timeout=1.0)

    assert not thread.is_alive()
    assert len(recorder.calls) == 1  # stopped before the change settled: not acted on


def test_the_loop_sleeps_between_polls(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", "alpha")
    looks = 0
    real_snapshot = follow_mod.snapshot

    def counted_snapshot(*args, **kwargs):
        nonlocal looks
        looks += 1
        return real_snapshot(*args, **kwargs)

    monkeypatch.setattr(follow_mod, "snapshot", counted_snapshot)
    with following([str(tmp_path)], Recorder(), interval=0.1):
        assert wait_until(lambda: looks >= 3)  # it is polling...
        before = looks
        time.sleep(0.5)
        during = looks - before

    assert during <= 12, f"{during} snapshots in 0.5 s at a 0.1 s interval: a busy loop"


# ---------------------------------------------------------------- the loop, on scripted looks


def scripted(monkeypatch, looks: list[dict[str, tuple[int, int]]], stop: threading.Event):
    """Make snapshot() return `looks` in turn; when they run out, stop the loop."""
    remaining = list(looks)

    def next_look(*args, **kwargs):
        if len(remaining) == 1:
            stop.set()
            return remaining[0]
        return remaining.pop(0)

    monkeypatch.setattr(follow_mod, "snapshot", next_look)


def test_a_change_undone_before_it_settles_calls_nothing(monkeypatch):
    stop = threading.Event()
    before, touched = {"a.txt": (1, 5)}, {"a.txt": (2, 6)}
    scripted(monkeypatch, [before, touched, before, before, before], stop)
    calls: list[Changes] = []

    follow(["news"], calls.append, interval=0, debounce=0, stop=stop, initial=False)

    assert calls == []


def test_a_change_is_reported_against_the_settled_state(monkeypatch):
    stop = threading.Event()
    a, b = {"a.txt": (1, 5)}, {"b.txt": (1, 1)}
    # b arrives while a is mid-copy; one call once both hold still.
    looks = [a, {**a, **b}, {"a.txt": (2, 9), **b}, {"a.txt": (3, 12), **b}]
    scripted(monkeypatch, [*looks, looks[-1], looks[-1]], stop)
    calls: list[Changes] = []

    follow(["news"], calls.append, interval=0, debounce=0, stop=stop, initial=False)

    assert calls == [Changes(added=("b.txt",), changed=("a.txt",))]


def test_a_file_that_never_settles_is_acted_on_after_a_bounded_wait(monkeypatch):
    stop = threading.Event()
    ever_growing = [{"log.txt": (n, n)} for n in range(1, 3 * follow_mod.MAX_SETTLE_ROUNDS)]
    scripted(monkeypatch, ever_growing, stop)
    calls: list[Changes] = []

    follow(["news"], calls.append, interval=0, debounce=0, stop=stop, initial=False)

    assert calls, "the loop waited for ever for a file that never stops changing"
    assert calls[0] == Changes(changed=("log.txt",))


# ---------------------------------------------------------------- `briefgen follow`, end to end


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_briefgen_follow_rewrites_the_brief_on_a_new_article_and_stops_cleanly(tmp_path, stop):
    """The real command in a process of its own: a brief at start, a new one when an article
    arrives (saying what changed and what is new), and a clean stop on SIGINT (Ctrl-C)."""
    import signal
    import subprocess
    import sys

    from conftest import SAMPLE

    folder = tmp_path / "articles"
    folder.mkdir()
    files = sorted(SAMPLE.glob("*.txt"))
    for path in files[:4]:
        (folder / path.name).write_bytes(path.read_bytes())
    output = folder / "brief.md"  # inside the watched folder: writing it must not retrigger
    env = {**os.environ, "BRIEFGEN_CACHE": str(tmp_path / "state"), "PYTHONUNBUFFERED": "1"}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    command = [sys.executable, "-m", "briefgen", "follow", "--engine", "extractive",
               "--interval", "0.2", "--debounce", "0.3", "-o", str(output), str(folder)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    said: list[str] = []

    def wait_for(text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            said.append(line)
            if text in line:
                return
            assert line or process.poll() is None, "".join(said)
        raise AssertionError(f"never said {text!r}:\n{''.join(said)}")

    try:
        wait_for("watching for changes")
        first = output.read_text(encoding="utf-8")
        assert "[4]" in first and "[5]" not in first
        (folder / files[4].name).write_bytes(files[4].read_bytes())
        wait_for(f"added {files[4].name}")
        wait_for("since the brief of")
        assert "1 article added" in said[-1], said[-1]
        wait_for("watching for changes")
        assert "[5]" in output.read_text(encoding="utf-8")
        process.send_signal(getattr(signal, stop))  # Ctrl-C, or `kill`
        assert process.wait(timeout=30) == 0
        rest = process.stderr.read()
        assert "stopped following" in rest and "Traceback" not in rest
        # Writing brief.md (and its temporary file) inside the folder never counted as a change,
        # nor is the brief read as an article or reported as a skipped file.
        assert not any("brief.md" in line for line in said if "added" in line or "changed" in line)
        assert not any("skipped" in line and "brief.md" in line for line in said)
        # Which engine runs is said once, not at every brief.
        assert sum("engine: extractive (" in line for line in said) == 1
    finally:
        if process.poll() is None:
            process.kill()
