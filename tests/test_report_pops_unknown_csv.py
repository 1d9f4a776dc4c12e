"""``gradecoach report --csv`` gives each thrust's pops after the columns it had, as the page's
thrusts table gives them: blank when unknown (a muted microphone, sound under 16 kHz, no sound),
0 when heard and none, the count where pops were tied. The thrust rows had no pops, so a
spreadsheet could not tell "no pop" from "unknown"; and the warning that a muted microphone's
pops are unknown, which the page shows, was in no row."""

from __future__ import annotations

import csv
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests._pops_unknown_sessions import NAMES, recording_sections, sessions  # noqa: E402
from tests.ui.review._report_page import Page  # noqa: E402
from ui.cli import main  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

# the columns of the thrust and warning rows before the pops were added, in their order
OLD_COLS = ["recording", "type", "trainee", "t_onset", "t_peak", "preload_n", "peak_n", "time_to_peak_ms",
            "duration_ms", "rate_n_per_s", "max_rate_n_per_s", "letup_n", "letup", "index", "source",
            "t_detect_s", "displacement_mm"]


def test_csv_thrust_rows_give_pops_blank_when_unknown(tmp_path):
    s = sessions(tmp_path)
    page, table = tmp_path / "r.html", tmp_path / "events.csv"
    assert main(["report", *(str(s[n]) for n in NAMES), "-o", str(page), "--csv", str(table)]) == 0
    sections = recording_sections(page)
    with open(table, newline="", encoding="utf-8-sig") as fh:
        head = next(csv.reader(fh))
        fh.seek(0)
        rows = list(csv.DictReader(fh))
    # the columns a spreadsheet read before, in their order, then the pops
    assert [c for c in head if c in OLD_COLS] == OLD_COLS and head[-4:] == ["pops", "first_pop_ms_from_peak",
                                                                              "pops_partly_heard", "pops_masked"]
    thrusts = {r["trainee"]: (r["pops"], r["first_pop_ms_from_peak"]) for r in rows if r["type"] == "thrust"}
    assert {r["trainee"]: r["pops_partly_heard"] for r in rows if r["type"] == "thrust"} == {
        "heard": "no", "quiet": "no", "mute": "", "lofi": "", "nomic": ""}
    first = float(thrusts["heard"][1])
    assert thrusts == {"heard": ("3", thrusts["heard"][1]), "quiet": ("0", ""), "mute": ("", ""),
                       "lofi": ("", ""), "nomic": ("", "")}
    assert -30 < first < 0                  # (the first of its three pops, just before the peak force)
    first_shown = [r["first pop (ms after peak; - before)"] for r in Page(sections["heard"]).table("thrusts")]
    assert first_shown == ["0" if round(first) == 0 else f"{round(first):+d}"]     # (at the peak: 0, not -0)
    warned = [r["message"] for r in rows if r["type"] == "warning" and r["trainee"] == "mute"]
    assert len(warned) == 1 and "silent throughout" in warned[0] and "unknown, not none" in warned[0]
    assert [r["message"] for r in rows if r["type"] == "warning" and r["trainee"] == "lofi"] == [
        f"{s['lofi'] / 'audio.flac'}: audio at 8000 Hz; pops are detected in audio at 16000 Hz or more; "
        f"its pops are not analysed"]
