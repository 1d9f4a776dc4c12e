"""A session.json nested too deeply for Python's JSON parser ("[" * 100000, or {"a": {"a": ...}}
as deep) is one line naming it and exit 2 from every command that reads a session: it was a
RecursionError traceback and exit 1 from replay, report, screenshot --replay, record --device
file:SESSION and report --class. An events.jsonl line nested as deeply is skipped with a warning,
as any unreadable event line is.

The commands run in this process (``gc_in_process``: ``ui.cli.main``, as the program runs it),
but replay of the deep session, run as a program of its own (its exit status and stderr as a shell
has them)."""

from __future__ import annotations

import pytest

from tests._cli_in_process import gc_in_process
from tests.conftest import class_folder, gc
from tests.ui.review.conftest import make_session

DEPTH = 100_000
NESTED = {"array": "[" * DEPTH + "]" * DEPTH, "object": '{"a":' * DEPTH + "1" + "}" * DEPTH}


@pytest.fixture(params=sorted(NESTED))
def deep(request, tmp_path):
    s = make_session(tmp_path / "class" / "deep", cycles=3)
    (s / "session.json").write_text(NESTED[request.param])
    return s


def _one_line(r, s):
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: error: {s / 'session.json'}: not a JSON object "
                                     f"(nested too deeply)"]


def test_replay_and_report(deep, tmp_path, capfd):
    _one_line(gc("replay", deep), deep)
    _one_line(gc_in_process(capfd, "report", deep, "-o", tmp_path / "r.html"), deep)
    assert not (tmp_path / "r.html").exists()


def test_screenshot_and_record_from_it(deep, tmp_path, capfd):
    _one_line(gc_in_process(capfd, "screenshot", "--replay", deep, "--at", "1", "-o", tmp_path / "x.png"), deep)
    _one_line(gc_in_process(capfd, "record", "--device", f"file:{deep}", "--out", tmp_path / "rec"), deep)
    assert not (tmp_path / "x.png").exists()


def test_class_report_leaves_it_out(deep, tmp_path, capfd):
    """In a class, the others are reported and the deep one is said to be left out; so too with
    --trainee, which reads each session.json for its trainee."""
    group = class_folder(deep.parent, "anna")
    for extra in ([], ["--trainee", "anna"]):
        out = tmp_path / f"class{len(extra)}.html"
        r = gc_in_process(capfd, "report", "--class", group, "-o", out, *extra)
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr
        assert (f"gradecoach: warning: left out: {deep / 'session.json'}: not a JSON object (nested too deeply)"
                in r.stderr.splitlines())
        assert r.stdout.strip() == f"wrote {out} (1 recording)"


def test_an_events_line_nested_too_deeply_is_skipped(tmp_path, capfd):
    s = make_session(tmp_path / "s", cycles=3)
    with open(s / "events.jsonl", "a", encoding="utf-8") as fh:
        fh.write(NESTED["object"] + "\n")
    n = len((s / "events.jsonl").read_text(encoding="utf-8").splitlines())
    r = gc_in_process(capfd, "replay", s)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert f"{s / 'events.jsonl'}:{n}: unreadable event line skipped" in r.stdout + r.stderr


def test_whether_it_finished_is_not_asked_of_it(deep):
    """``library list`` notes a row whose session.json says it did not finish; one rewritten
    since it was read, too deeply nested to read, is taken as finished (its reading is said
    otherwise), as one that is not JSON is."""
    from ui.library import finished
    assert finished(deep) is True
