"""``gradecoach report``: awkward command lines and inputs (one line, exit status 2, no traceback), and what the page says."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ui.cli import main

from .conftest import make_session


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.startswith("gradecoach: error: ")]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("which", ["-o", "--csv"])
def test_a_full_disk_is_one_line_naming_the_output(tmp_path, capsys, which):
    s = make_session(tmp_path / "ana", kinds=("III",), target="III")
    full = tmp_path / ("full.html" if which == "-o" else "full.csv")
    full.symlink_to("/dev/full")
    args = ["report", str(s), "-o", str(full) if which == "-o" else str(tmp_path / "r.html")]
    if which == "--csv":
        args += ["--csv", str(full)]
    assert main(args) == 2
    line = _one_line_error(capsys)
    assert line == f"gradecoach: error: {which} {full}: cannot write (No space left on device)"


def test_a_folder_of_sessions_given_as_an_input_points_to_class(tmp_path, capsys):
    make_session(tmp_path / "class" / "ana", kinds=("III",), target="III", seed=1)
    make_session(tmp_path / "class" / "ben", kinds=("III",), target="III", seed=2)
    folder = str(tmp_path / "class")
    assert main(["report", folder, "-o", str(tmp_path / "r.html")]) == 2
    assert _one_line_error(capsys) == (f"gradecoach: error: {folder}: a folder of 2 session folders, not a session; "
                                       f"report on them all with --class {folder}")
    assert main(["report", "--class", folder, "-o", str(tmp_path / "r.html")]) == 0


def test_an_hvla_session_says_what_its_score_counts(tmp_path):
    """For a V target the score is the share of thrusts on target (no let-up, preload and peak
    within the corridors), not of cycles on target: the facts said "score (% on target)"."""
    hvla = make_session(tmp_path / "ben", kinds=("V", "V"), target="V", seed=3)
    mob = make_session(tmp_path / "ana", kinds=("III",), target="III", seed=1)
    out = tmp_path / "r.html"
    assert main(["report", str(hvla), str(mob), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("<dt>score (% of thrusts on target)</dt>") == 1
    assert text.count("<dt>score (% on target)</dt>") == 1
    assert text.index("thrusts on target)</dt>") < text.index("<h2>2. ana</h2>") < text.index("<dt>score (% on target)</dt>")


def test_a_class_report_can_be_filed_in_the_class_folder(tmp_path, capsys):
    """-o CLASS/report.html sits beside the sessions and writes over nothing recorded; it was
    refused as 'inside the input CLASS ... the recording is kept as it is'. Inside a session
    folder it is still refused."""
    group = tmp_path / "class"
    make_session(group / "ana", kinds=("III",), target="III", seed=1)
    make_session(group / "ben", kinds=("III",), target="III", seed=2)
    assert main(["report", "--class", str(group), "-o", str(group / "report.html"), "--csv", str(group / "e.csv")]) == 0
    assert (group / "report.html").stat().st_size > 1000 and (group / "e.csv").exists()
    capsys.readouterr()
    inside = group / "ana" / "report.html"
    assert main(["report", "--class", str(group), "-o", str(inside)]) == 2
    assert _one_line_error(capsys).startswith(f"gradecoach: error: -o {inside}: that is inside the input {group / 'ana'}")
    assert not inside.exists()


def test_a_recording_of_sound_alone_has_no_empty_force_plot(tmp_path):
    """A sound file reported on its own: the page says no force was recorded, instead of an
    empty force plot with R1 and R2 drawn across it."""
    import numpy as np
    import soundfile as sf

    from ._report_page import Page

    wav = tmp_path / "clip.wav"
    sf.write(wav, (0.01 * np.random.default_rng(0).standard_normal(32000)).astype(np.float32), 16000)
    out = tmp_path / "r.html"
    assert main(["report", str(wav), "-o", str(out), "--r1", "40", "--r2", "120"]) == 0
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert [i["alt"] for i in page.images] == []
    assert '<p class="no-force">No force was recorded (sound only).</p>' in text


def test_comments_read_as_written(tmp_path, qtbot):
    """A comment's text is left-aligned and keeps its line breaks (it was right-aligned, like the
    numbers, and 'line1\\nline2' read 'line1 line2'); checked with Qt's HTML layout."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextDocument

    s = make_session(tmp_path / "ana", kinds=("III",), target="III")
    meta = json.loads((s / "session.json").read_text())
    meta["comments"] = [{"t_s": 2.0, "text": "wrists stiff\nelbows out", "author": "Dr. Müller"}]
    (s / "session.json").write_text(json.dumps(meta))
    out = tmp_path / "r.html"
    assert main(["report", str(s), "-o", str(out)]) == 0
    doc = QTextDocument()
    doc.setHtml(out.read_text(encoding="utf-8"))
    blocks, b = {}, doc.begin()
    while b.isValid():
        blocks[b.text()] = b.blockFormat().alignment()
        b = b.next()
    assert "wrists stiff" in blocks and "elbows out" in blocks
    assert blocks["wrists stiff"] & Qt.AlignmentFlag.AlignLeft and blocks["Dr. Müller"] & Qt.AlignmentFlag.AlignLeft
    assert blocks["2.00"] & Qt.AlignmentFlag.AlignRight                # numbers stay right-aligned


def test_the_overview_names_read_left_aligned(tmp_path, qtbot):
    """Recording, trainee, date and target are text, left-aligned; the numbers stay right."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextDocument

    make_session(tmp_path / "c" / "ana", trainee="Ana Lima", kinds=("III",), target="III", seed=1)
    make_session(tmp_path / "c" / "ben", trainee="Ben", kinds=("III",), target="III", seed=2)
    out = tmp_path / "r.html"
    assert main(["report", "--class", str(tmp_path / "c"), "-o", str(out)]) == 0
    doc = QTextDocument()
    doc.setHtml(out.read_text(encoding="utf-8"))
    blocks, b = {}, doc.begin()
    while b.isValid():
        blocks.setdefault(b.text(), b.blockFormat().alignment())
        b = b.next()
    assert blocks["Ana Lima"] & Qt.AlignmentFlag.AlignLeft and blocks["2025-03-01 10:00"] & Qt.AlignmentFlag.AlignLeft
    assert blocks["100"] & Qt.AlignmentFlag.AlignRight


def test_a_display_that_is_gone_does_not_stop_a_report(tmp_path):
    """DISPLAY names a display that is not there (an SSH session's, long closed): the report is
    drawn offscreen all the same; Qt aborted the whole process (status 134, a core dump)."""
    import subprocess
    import sys

    s = make_session(tmp_path / "ana", kinds=("III",), target="III")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = ":987"
    out = tmp_path / "r.html"
    run = subprocess.run([sys.executable, "-m", "ui.cli", "report", str(s), "-o", str(out)], env=env,
                         capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[3])
    assert run.returncode == 0, run.stderr[-500:]
    assert out.stat().st_size > 1000
