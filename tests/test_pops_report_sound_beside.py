"""``gradecoach report x.csv`` with ``x.flac`` beside it (as ``simulate --audio`` writes them) said
"no audio recorded" of its pops, where replay says the sound beside it is not analysed and how to
analyse them together: the report says it too, on stderr and on the page."""

from __future__ import annotations

import html

from tests._cli_in_process import gc_in_process
from tests._pops_audio import PEAKS_S, force_csv, pops_flac


def test_the_report_names_the_sound_beside_a_csv(tmp_path, capsys):
    force_csv(tmp_path / "x.csv", 5.5)
    pops_flac(tmp_path / "x.flac", [PEAKS_S[0]], 5.5)
    r = gc_in_process(capsys, "report", "x.csv", "--r1", 40, "--r2", 120, "-o", "r.html", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    hint = ("x.csv: x.flac beside it is not analysed (a CSV does not say where its sound starts); to analyse "
            "them together, add --audio x.flac")
    assert f"gradecoach: warning: {hint}\n" in r.stderr, r.stderr
    page = html.unescape((tmp_path / "r.html").read_text())
    assert "<dt>pops</dt><dd>not analysed: x.flac beside it was not given with --audio</dd>" in page
    assert hint in page and "no audio recorded" not in page


def test_a_csv_alone_is_still_without_audio(tmp_path, capsys):
    force_csv(tmp_path / "x.csv", 5.5)
    r = gc_in_process(capsys, "report", "x.csv", "--r1", 40, "--r2", 120, "-o", "r.html", cwd=tmp_path)
    assert r.returncode == 0 and "beside" not in r.stderr, r.stderr
    assert "<dt>pops</dt><dd>no audio recorded</dd>" in html.unescape((tmp_path / "r.html").read_text())
