"""Pops heard before the force was recorded or after it ended (the microphone started earlier or
ran on) were listed as "pops outside any thrust", with the knuckles and mobilisation heard during
the practice. They are counted apart, as heard where no force was recorded, by replay (its table
and its summary) and by the report."""

from __future__ import annotations

import html
import json

from tests._cli_in_process import gc_in_process
from tests._pops_audio import PEAKS_S, force_csv, pops_flac

CAL = ("--r1", 40, "--r2", 120)


def _recording(tmp_path):
    """20.5 s of force with four thrusts, sound begun 2 s before it and going on 1.5 s after it:
    a pop before the force, one at each thrust, one between thrusts at 10 s, one after the force."""
    csv = force_csv(tmp_path / "early.csv", 20.5)
    pops = [-1.5, *(p + 0.002 for p in PEAKS_S[:4]), 10.0, 21.5]
    flac = pops_flac(tmp_path / "early.flac", [t + 2.0 for t in pops], 24.0)
    return csv, flac, ("--audio", flac, "--audio-start", -2)


def test_replay_counts_pops_where_no_force_was_recorded_apart(tmp_path, capsys):
    csv, _, audio = _recording(tmp_path)
    r = gc_in_process(capsys, "replay", csv, *audio, *CAL, "--format", "table")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "  pops outside any thrust: 1 — at 10.00 s" in lines, r.stdout
    assert "  pops heard where no force was recorded: 2 — at -1.50 s (before it), 21.50 s (after it)" in lines, r.stdout
    s = json.loads(gc_in_process(capsys, "replay", csv, *audio, *CAL, "--format", "jsonl").stdout.splitlines()[-1])
    assert [round(p["t"], 2) for p in s["pops_outside_thrusts"]] == [10.0]
    assert [round(p["t"], 2) for p in s["pops_without_force"]] == [-1.5, 21.5]
    assert s["n_cavitations"] == 7 and [t["pops"] for t in s["thrusts"]] == [1, 1, 1, 1]


def test_the_report_counts_them_apart_too(tmp_path, capsys):
    csv, _, audio = _recording(tmp_path)
    out = tmp_path / "r.html"
    r = gc_in_process(capsys, "report", csv, *audio, *CAL, "-o", out)
    assert r.returncode == 0, r.stderr
    page = html.unescape(out.read_text())
    free = page[page.index("<h3>Pops outside any thrust</h3>"):]
    free = free[:free.index("</table>")]
    assert "10.000" in free and "-1.500" not in free and "21.500" not in free, free
    away = page[page.index("<h3>Pops heard where no force was recorded</h3>"):]
    away = away[:away.index("</table>")]
    assert "-1.500" in away and "21.500" in away and "10.000" not in away, away


def test_the_report_of_sound_alone_lists_its_pops_as_heard_not_outside_any_thrust(tmp_path, capsys):
    """A report of sound alone read "No force was recorded (sound only)." above "Pops outside any
    thrust", as if the trainee had popped without thrusting; replay of it says "pops heard"."""
    flac = pops_flac(tmp_path / "alone.flac", [1.0, 2.0, 3.0], 4.0)
    out = tmp_path / "r.html"
    assert gc_in_process(capsys, "report", flac, "-o", out).returncode == 0
    page = html.unescape(out.read_text())
    assert "No force was recorded (sound only)." in page and "outside any thrust" not in page
    heard = page[page.index("<h3>Pops heard</h3>"):]
    heard = heard[:heard.index("</table>")]
    assert all(t in heard for t in ("1.000", "2.000", "3.000")), heard
