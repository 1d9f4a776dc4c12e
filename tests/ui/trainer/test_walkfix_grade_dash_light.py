"""The big grade's "no value yet" dash is light grey in every view, as before a force sensor's
first cycle: with sound alone (a pops recording) it was black and with a worn IMU alone before
its first cycle dark grey, at the grade's size a dark bar as if something were shown."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtGui import QColor, QImage

from ui.cli import main
from ui.trainer.panels import HIDDEN_COLOUR
from tests.conftest import ROOT

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _dash_colours(png) -> set[str]:
    """The colours of the big grade's dash: the darkest pixels in the top of the grade panel."""
    img = QImage(str(png))
    w, h = img.width(), img.height()
    seen = {}
    for y in range(30, int(h * 0.28)):
        for x in range(int(w * 0.62), w - 10):
            c = QColor(img.pixel(x, y))
            if c.lightness() < 235:
                seen[c.name()] = seen.get(c.name(), 0) + 1
    return {c for c, n in seen.items() if n > 50}


def _shot(tmp_path, capsys, replay, at):
    out = tmp_path / "s.png"
    assert main(["screenshot", "--replay", str(replay), "--at", str(at), "-o", str(out)]) == 0, \
        capsys.readouterr().err
    return out


def test_sound_alone(tmp_path, capsys):
    assert _dash_colours(_shot(tmp_path, capsys, ROOT / "fixtures" / "thrust_pops.flac", 9)) == {HIDDEN_COLOUR}


def test_an_imu_alone_before_its_first_cycle(tmp_path, capsys):
    assert main(["simulate", "--grade", "III", "--imu", "500", "-o", str(tmp_path / "s.csv")]) == 0
    (tmp_path / "alone").mkdir()
    imu = shutil.copy(tmp_path / "s.imu.csv", tmp_path / "alone" / "s.imu.csv")
    assert _dash_colours(_shot(tmp_path, capsys, imu, 1.5)) == {HIDDEN_COLOUR}
