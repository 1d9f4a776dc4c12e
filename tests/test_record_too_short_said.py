"""A recording too short to analyse (0.1 s) is said to be so as it ends, and its stored analysis
keeps the warning, so the report and its sessions CSV say it as replay does: only replay said it,
while record, the report and the CSV (0 warnings) were silent."""

from __future__ import annotations

import csv
import io

from tests._cli_in_process import gc_in_process

SHORT = "only 101 samples of force (0.100 s): too little to analyse"


def test_a_recording_too_short_to_analyse_is_said_so_everywhere(tmp_path, capfd):
    folder = tmp_path / "p1"
    r = gc_in_process(capfd, "record", "--device", "emulator:grade3", "--out", folder, "--duration", "0.1",
                      "--r1", "40", "--r2", "120", "--target", "III", "--quiet")
    assert r.returncode == 0, r.stderr
    assert [ln for ln in r.stderr.splitlines() if SHORT in ln] and SHORT in r.stderr.splitlines()[-1]
    r = gc_in_process(capfd, "report", folder, "-o", tmp_path / "r.html", "--sessions-csv", tmp_path / "s.csv")
    assert r.returncode == 0, r.stderr
    assert SHORT in (tmp_path / "r.html").read_text(encoding="utf-8")
    [row] = csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8-sig")))
    assert row["warnings"] == "1"
