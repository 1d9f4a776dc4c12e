"""A session recorded with ``--pop-window`` keeps it (session.json's ``extra.pop_window_ms``): ``replay``,
``report``, the review and the library tie its pops with the window the trainee was shown, not
with the default 150 ms; ``--pop-window`` given on the command line still wins. Here a pop heard
200 ms after a thrust's peak, recorded with a 250 ms window: it was the thrust's while recording,
and replayed it was a pop of no thrust."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests._pop_window import edit_extra, pop_session, replay, tied  # noqa: E402
from ui.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def copy_session(src: Path, dst: Path, leave_out=()) -> Path:
    dst.mkdir()
    for f in src.iterdir():
        if f.name not in leave_out:
            (dst / f.name).write_bytes(f.read_bytes())
    return dst


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> dict[str, Path]:
    """The session played into ``gradecoach record``, once with ``--pop-window 250`` and once
    without, at once."""
    tmp = tmp_path_factory.mktemp("pop_window")
    played = pop_session(tmp / "played", tmp)
    out = {"with": tmp / "with", "without": tmp / "without"}
    runs = [subprocess.Popen([sys.executable, "-m", "ui.cli", "record", "--device", f"file:{played}", "--out",
                              str(out[k]), *flags, "--quiet"], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
            for k, flags in (("with", ["--pop-window", "250"]), ("without", []))]
    for p in runs:
        _, err = p.communicate(timeout=90)
        assert p.returncode == 0, err
    return out


def test_record_keeps_the_pop_window_and_replay_ties_pops_with_it(recorded, capsys):
    extra = json.loads((recorded["with"] / "session.json").read_text())["extra"]
    assert extra["pop_window_ms"] == 250
    assert "pop_window_ms" not in json.loads((recorded["without"] / "session.json").read_text())["extra"]
    stored = [json.loads(x) for x in (recorded["with"] / "events.jsonl").read_text().splitlines()]
    assert tied(stored) == ([0], [1])                       # while recording: the thrust's
    assert tied(replay(capsys, recorded["with"])[0]) == ([0], [1])
    assert tied(replay(capsys, recorded["without"])[0]) == ([None], [0])     # 150 ms: too far
    # a window given on the command line wins
    assert tied(replay(capsys, recorded["with"], "--pop-window", 150)[0]) == ([None], [0])
    assert tied(replay(capsys, recorded["without"], "--pop-window", 250)[0]) == ([0], [1])


def test_a_stored_pop_window_not_in_range_is_said_and_the_default_used(recorded, tmp_path, capsys):
    for i, bad in enumerate(["wide", 0, 0.5, -250, 5000, True, None]):
        folder = edit_extra(copy_session(recorded["with"], tmp_path / f"edited{i}"), pop_window_ms=bad)
        events, err = replay(capsys, folder)
        assert tied(events) == ([None], [0]), bad
        said = [x for x in err.splitlines() if "pop_window_ms" in x]
        assert len(said) == 1 and "session.json" in said[0] and "default pop window, 150 ms" in said[0], err
        assert "Traceback" not in err


def _report_pops(page: Path) -> list[str]:
    from tests.ui.review._report_page import Page
    return [r["pops"] for r in Page(page.read_text(encoding="utf-8")).table("thrusts")]


def test_report_analysing_the_session_again_ties_pops_with_its_pop_window(recorded, tmp_path):
    page = tmp_path / "r.html"
    assert main(["report", str(recorded["with"]), "-o", str(page)]) == 0           # (its stored events)
    assert _report_pops(page) == ["1"]
    assert main(["report", str(recorded["with"]), "--r1", "40", "--r2", "120", "-o", str(page)]) == 0
    assert _report_pops(page) == ["1"]                      # analysed again: the window it was recorded with
    assert main(["report", str(recorded["with"]), "--pop-window", "150", "-o", str(page)]) == 0
    assert _report_pops(page) == ["0"]


def test_the_library_and_review_analysing_the_session_again_tie_pops_with_its_pop_window(recorded, tmp_path):
    from ui.library import session_events
    from ui.review.data import analyse_events, describe, open_review

    # (no events.jsonl: the library and the review analyse the data again)
    folder = copy_session(recorded["with"], tmp_path / "no-events", leave_out=("events.jsonl",))
    events, source, _ = session_events(folder)
    assert source == "analysis" and tied(events) == ([0], [1])
    rs = open_review(folder)
    assert rs.source == "analysis" and tied(rs.events) == ([0], [1])
    (pop,) = rs.of_type("cavitation")
    assert ("thrust", "1") in describe(pop)                 # the pop's details name its thrust
    # a re-analysis with other R1/R2 in the review
    again = analyse_events(open_review(recorded["with"]), 30.0, 130.0, 0.5)
    assert tied(again) == ([0], [1])
    assert tied(analyse_events(open_review(recorded["without"]), 30.0, 130.0, 0.5)) == ([None], [0])
