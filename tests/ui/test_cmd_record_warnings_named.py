"""``gradecoach record``'s warnings of what its analysis found name the session folder, as
``replay``'s name the file: "the force stayed below -30 N for 2.0 s ... tare it" named no
recording, so with two records at once the trainer could not tell which it was about."""

from __future__ import annotations

import numpy as np

from tests._cli_in_process import gc_in_process


def test_the_un_zeroed_sensors_warning_names_the_session_folder(tmp_path, capfd, monkeypatch):
    from firmware_bridge import sources

    # played fifty times faster than real time: the analysis reads the same samples whatever the pace
    monkeypatch.setitem(sources.SOURCES, "file", lambda rest: sources.FileSource(rest, speed=50.0))
    t = np.arange(0.0, 2.0, 0.002)
    np.savetxt(tmp_path / "low.csv", np.column_stack([t, -30 + 0.3 * np.sin(7 * t)]), fmt="%.6f", delimiter=",",
               header="t_s,force_n", comments="")
    r = gc_in_process(capfd, "record", "--device", "file:low.csv", "--out", "anna", "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    warned = [x for x in r.stderr.splitlines() if x.startswith("gradecoach: warning: ")]
    assert any("stayed below -30 N" in x for x in warned), r.stderr
    assert all(x.startswith("gradecoach: warning: anna: ") for x in warned), r.stderr
