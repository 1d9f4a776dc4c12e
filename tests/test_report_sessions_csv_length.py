"""The sessions CSV gives a recording's length as its page does, the force's (16.1 s), not its
longer sound's (16.6 s): a term's spreadsheet sums practice time from it."""

from __future__ import annotations

import csv
import io

from tests._cli_in_process import gc_in_process
from tests._pops_audio import force_csv, pops_flac


def test_the_sessions_csv_length_is_the_pages(tmp_path, capfd):
    force = force_csv(tmp_path / "f.csv", 10.0)                    # (its force ends before 10 s)
    flac = pops_flac(tmp_path / "s.flac", [3.17], 11.0)             # (its sound runs to 11 s)
    r = gc_in_process(capfd, "report", force, "--audio", flac, "-o", tmp_path / "r.html",
                      "--sessions-csv", tmp_path / "s.csv")
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    said = page.split("<dt>duration</dt><dd>", 1)[1].split("<", 1)[0]
    assert said.endswith("(audio 11.0 s)"), said
    [row] = csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8-sig")))
    assert f"{float(row['duration_s']):.1f} s (audio 11.0 s)" == said
