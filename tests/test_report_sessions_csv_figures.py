"""The sessions CSV gives what a recording's page says of its gaps, its thrusts whose pops are
unknown, whether it finished and its rows skipped, in columns after the others: ``gaps`` and
``s_without_data`` as the page's "gaps 3 (dropped samples: 3), 0.2 s without data",
``clock_steps`` those of them where the logger's clock stepped back, ``thrusts_pops_unknown`` as
the overview's "3 (unknown at 1)" (pops per thrust: pops_with_thrust over the thrusts less
those), ``finished`` as ``library list`` gives it (blank for a bare file), ``rows_skipped``."""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from firmware_bridge.session_meta import SessionMeta
from firmware_bridge.session_writer import SessionWriter
from tests._cli_in_process import gc_in_process
from tests._pops_audio import CSV, PEAKS_S, pops_flac

FIGURES = ["gaps", "s_without_data", "clock_steps", "thrusts_pops_unknown", "finished", "rows_skipped"]


def _report(capfd, tmp_path, *inputs) -> tuple[list[str], dict, str]:
    """The sessions CSV's header and one row, and the page of a report of ``inputs``."""
    r = gc_in_process(capfd, "report", *inputs, "-o", tmp_path / "r.html", "--sessions-csv", tmp_path / "s.csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8-sig"))))
    return rows[0], dict(zip(rows[0], rows[1])), (tmp_path / "r.html").read_text(encoding="utf-8")


def _fact(page: str, name: str) -> str:
    return page.split(f"<dt>{name}</dt><dd>", 1)[1].split("<", 1)[0]


def test_dropped_samples_a_bad_row_and_a_thrust_whose_pops_are_unknown(tmp_path, capfd):
    lines = CSV.read_text().splitlines()
    keep = [ln for ln in lines[1:] if float(ln.split(",")[0]) < 10.0]
    del keep[5000:5100]                                  # (0.1 s of samples dropped)
    keep.insert(200, "0.2x,oops")                        # (a row that cannot be read)
    force = tmp_path / "f.csv"
    force.write_text("\n".join([lines[0], *keep]) + "\n")
    flac = pops_flac(tmp_path / "s.flac", [PEAKS_S[0] - 0.01], 5.0)      # (the sound ends before thrust 2)
    head, row, page = _report(capfd, tmp_path, force, "--audio", flac)
    assert head[-len(FIGURES):] == FIGURES and head[:3] == ["recording", "name", "trainee"]
    assert _fact(page, "gaps") == "1 (dropped samples: 1), 0.1 s without data"
    assert "unknown at 1 of 2 thrusts" in _fact(page, "pops")
    assert "1 bad row skipped" in page
    assert (row["gaps"], f"{float(row['s_without_data']):.1f}", row["clock_steps"]) == ("1", "0.1", "0")
    assert (row["pops_with_thrust"], row["thrusts_pops_unknown"]) == ("1", "1")
    assert (row["finished"], row["rows_skipped"]) == ("", "1")


def test_a_clock_that_stepped_back_in_an_unfinished_session(tmp_path, capfd):
    data = np.loadtxt(CSV, delimiter=",", skiprows=1, max_rows=6000)
    t, y = data[:, 0], data[:, 1]
    t = np.where(np.arange(len(t)) >= 4500, t - 1.0, t)   # (back 1 s at 4.5 s, after a thrust)
    w = SessionWriter(tmp_path / "sess", SessionMeta(created="2026-12-01T09:00:00", trainee="Ana"))
    w.append_force(t, y)
    w.close()
    meta = tmp_path / "sess" / "session.json"           # (as one never closed: still recording, or cut off)
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "complete": False}))
    head, row, page = _report(capfd, tmp_path, tmp_path / "sess")
    assert "unfinished (still recording, or cut off)" in page
    assert _fact(page, "gaps").startswith("1 (clock stepped back: 1)")
    assert (row["gaps"], row["clock_steps"], row["finished"]) == ("1", "1", "no")
    assert row["thrusts_pops_unknown"] == row["n_thrusts"] != "0"      # (no sound: none known)
    assert int(row["rows_skipped"]) > 0 and row["warnings"] != "0"
