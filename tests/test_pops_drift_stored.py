"""Replay of a recorded session analyses it again and says its pops drift against its thrusts; its
report showed the analysis stored at the end of the recording, which the recorder writes without
that note, and said nothing of it. The report adds the note from the same rule to what it shows."""

from __future__ import annotations

import html

from tests._cli_in_process import gc_in_process
from tests._drifting_pops import DRIFT, _recorded


def test_the_report_of_a_recorded_session_says_its_pops_drift_as_replay_does(tmp_path, capsys):
    folder = _recorded(tmp_path / "s")
    out = tmp_path / "r.html"
    r = gc_in_process(capsys, "report", folder, "-o", out)
    assert r.returncode == 0, r.stderr
    page = html.unescape(out.read_text())
    assert "the stored analysis" in page                    # (not analysed again)
    said = [ln for ln in page.split("<li>") if DRIFT in ln]
    assert len(said) == 1 and "--audio-rate 16005.0" in said[0], said
