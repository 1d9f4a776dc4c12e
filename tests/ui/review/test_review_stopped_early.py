"""A recording that stopped early because its folder refused a write (session.json's
``extra.stopped``: a full disk, no permission) says so in the review's session details, a
"stopped early" row ("at 12.3 s: disk full, force.csv") after its length, and in the report's
facts the same, with the warning replay gives among the session's warnings. Before, nothing
showed it: an instructor opening the session could not tell it had ended early, or why. Made by
the trainer's recorder on a real small disk that fills up (as root); an entry edited by hand
(not an object, a time that is text, keys missing) shows what it can, without a traceback."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from ui.cli import main
from ui.review.data import describe_session, open_review

from ._stopped_early import _stopped_on_a_full_disk
from .conftest import make_session, mark_stopped, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def facts(text: str) -> list[list[tuple[str, str]]]:
    """Each recording's facts in the report (label, value), in the order the page gives them."""
    return [[(html.unescape(k), html.unescape(v)) for k, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", sec)]
            for sec in re.findall(r'<section class="recording".*?</section>', text, re.S)]


def report_warnings(text: str) -> list[str]:
    return [html.unescape(w) for w in re.findall(r"<li>(.*?)</li>", text)]


def test_the_review_and_the_report_say_a_recording_stopped_early_on_a_full_disk(qtbot, tmp_path, small_disk,
                                                                                 capsys):
    written = _stopped_on_a_full_disk(small_disk)
    folder = tmp_path / "root" / "ana"
    shutil.copytree(written, folder)                    # (looked at elsewhere, as an instructor does)
    stopped = json.loads((folder / "session.json").read_text())["extra"]["stopped"]
    assert stopped["reason"] == "disk full" and stopped["file"] in ("force.csv", "events.jsonl")
    assert 3.0 < stopped["t_s"] < 60.0
    row = f"at {stopped['t_s']:.1f} s: disk full, {stopped['file']}"
    line = (f"{folder}: recording stopped early at {stopped['t_s']:.1f} s: disk full ({stopped['file']} could not "
            f"be written); what was written before is analysed")

    win = shown_review(qtbot, tmp_path / "root")
    rs = win.open_session(folder)
    view = win.session_view
    d = view.details_dict()
    assert d["stopped early"] == row
    keys = list(d)
    assert keys[keys.index("length") + 1] == "stopped early"           # beside how long it is
    t = view.details
    (i,) = [i for i in range(t.rowCount()) if t.item(i, 0).text() == "stopped early"]
    assert t.viewport().rect().contains(t.visualItemRect(t.item(i, 1)))
    assert t.fontMetrics().horizontalAdvance(row) < t.columnWidth(1)    # in view, whole
    # the warning, as replay gives it, in place of "unfinished (still recording, or cut off)"
    assert line in rs.warnings and not [w for w in rs.warnings if "unfinished (still recording, or cut off)" in w]
    assert view.warning.isVisible() and f"warning: {line}" in view.warning.text().splitlines()

    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    (rows,) = facts(text)
    keys = [k for k, _ in rows]
    assert dict(rows)["stopped early"] == row                           # worded as the review words it
    assert keys[keys.index("duration") + 1] == "stopped early"
    assert line in report_warnings(text)
    capsys.readouterr()


def _edited(folder: Path, stopped) -> Path:
    """A session folder whose ``extra.stopped`` was written by hand as ``stopped``."""
    make_session(folder)
    return mark_stopped(folder, stopped)


@pytest.mark.parametrize("stopped, row", [
    ({"t_s": 12.345, "reason": "no permission to write", "file": "imu.csv"},
     "at 12.3 s: no permission to write, imu.csv"),
    ({"t_s": "12.3", "reason": "disk full", "file": "force.csv"}, "disk full, force.csv"),
    ({"t_s": 4.0, "file": "force.csv"}, "at 4.0 s: force.csv could not be written"),
    ({"t_s": 4.0, "reason": ["disk", "full"], "file": 7}, "at 4.0 s: reason not recorded"),
    ({}, "reason not recorded"),
    ("disk full", "disk full"),
    (True, "reason not recorded"),
    (12.3, "reason not recorded"),
    ({"t_s": None, "reason": "read-only disk"}, "before any sample was kept: read-only disk"),
    ({"t_s": float("inf"), "reason": "disk\nfull " + "x" * 200}, "disk full " + "x" * 69 + "…"),
])
def test_a_stop_edited_by_hand_shows_what_it_can(tmp_path, capsys, stopped, row):
    folder = _edited(tmp_path / "root" / "ana", stopped)
    rs = open_review(folder, movement=False)
    assert dict(describe_session(rs))["stopped early"] == row
    assert [w for w in rs.warnings if "stopped early" in w]
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    (rows,) = facts(out.read_text(encoding="utf-8"))
    assert dict(rows)["stopped early"] == row
    capsys.readouterr()


@pytest.mark.parametrize("stopped", [None, False, "absent"])
def test_a_recording_that_did_not_stop_early_has_no_such_row(tmp_path, capsys, stopped):
    folder = make_session(tmp_path / "root" / "ana") if stopped == "absent" else _edited(tmp_path / "root" / "ana",
                                                                                          stopped)
    rs = open_review(folder, movement=False)
    assert "stopped early" not in dict(describe_session(rs))
    assert not [w for w in rs.warnings if "stopped early" in w]
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    (rows,) = facts(out.read_text(encoding="utf-8"))
    assert "stopped early" not in dict(rows)
    capsys.readouterr()
