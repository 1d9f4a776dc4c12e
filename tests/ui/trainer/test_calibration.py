"""The calibration wizard: captures held forces, types values, refuses nonsense with a reason,
saves named profiles (in the test's own config folder)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from ui.trainer.dialogs import CalibrationWizard
from ui.trainer.engine import Engine
from ui.trainer.profiles import load_profiles, profiles_path
from analysis.chunk import Chunk

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _hold(engine: Engine, t0: float, level: float, seconds: float = 1.5, wobble: float = 0.0, seed: int = 0):
    """A press held at ``level`` N (sensor noise 0.3 N), optionally wobbling by ``wobble`` N."""
    rng = np.random.default_rng(seed)
    t = t0 + np.arange(int(seconds * 1000)) / 1000.0
    y = level + 0.3 * rng.standard_normal(len(t)) + wobble * np.sin(2 * np.pi * 1.5 * t)
    engine.feed(Chunk(t, y, -1, "force", 1000.0))
    return t[-1] + 0.001


@pytest.fixture
def wizard(qtbot):
    eng = Engine()
    dlg = CalibrationWizard(lambda s: eng.force.last(s))
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg, eng


def _ok(qtbot, dlg):
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_capture_two_holds_and_save_a_profile(qtbot, wizard):
    dlg, eng = wizard
    t = _hold(eng, 0.0, 42.0)
    qtbot.mouseClick(dlg.cap1, Qt.MouseButton.LeftButton)
    t = _hold(eng, t, 118.0, seed=1)
    qtbot.mouseClick(dlg.cap2, Qt.MouseButton.LeftButton)
    assert dlg.r1.value() == pytest.approx(42.0, abs=0.3)
    assert dlg.r2.value() == pytest.approx(118.0, abs=0.3)
    qtbot.keyClicks(dlg.name, "blue manikin")
    _ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    saved = load_profiles()["blue manikin"]
    assert (saved.r1_n, saved.r2_n) == (dlg.r1.value(), dlg.r2.value())
    # a second wizard offers the saved profile
    dlg2 = CalibrationWizard(lambda s: eng.force.last(s))
    qtbot.addWidget(dlg2)
    dlg2.profile_box.setCurrentText("blue manikin")
    assert dlg2.r2.value() == saved.r2_n and dlg2.name.text() == "blue manikin"


def test_a_moving_press_is_not_a_hold(qtbot, wizard):
    dlg, eng = wizard
    qtbot.mouseClick(dlg.cap1, Qt.MouseButton.LeftButton)
    assert "connected" in dlg.reason.text()                          # no data yet
    _hold(eng, 0.0, 60.0, wobble=15.0)
    qtbot.mouseClick(dlg.cap1, Qt.MouseButton.LeftButton)
    assert "hold still" in dlg.reason.text() and dlg.r1.value() == 0.0


@pytest.mark.parametrize("r1, r2, why", [(120.0, 40.0, "must be below"), (60.0, 60.0, "must be below"),
                                         (-5.0, 40.0, "positive"), (0.0, 40.0, "positive")])
def test_nonsense_is_refused_with_a_reason(qtbot, wizard, r1, r2, why):
    dlg, _ = wizard
    dlg.name.setText("partner")
    dlg.r1.setValue(r1)
    dlg.r2.setValue(r2)
    _ok(qtbot, dlg)
    assert dlg.isVisible() and dlg.calibration is None
    assert why in dlg.reason.text() and "Traceback" not in dlg.reason.text()
    assert not profiles_path().exists()


def test_typed_values_need_a_name(qtbot, wizard):
    dlg, _ = wizard
    dlg.r1.setValue(30.0)
    dlg.r2.setValue(90.0)
    _ok(qtbot, dlg)
    assert "name" in dlg.reason.text() and dlg.calibration is None
    dlg.name.setText("red manikin")
    _ok(qtbot, dlg)
    assert dlg.calibration is not None
    doc = json.loads(profiles_path().read_text())
    assert doc["profiles"]["red manikin"] == {"r1_n": 30.0, "r2_n": 90.0}


@pytest.mark.parametrize("content", [b"\xff\xfe", b'{"profiles": 3}', b'{"profiles": {"a": {"r1_n": "x"}}}', b"[1"])
def test_a_broken_profiles_file_is_one_line_naming_it(tmp_path, content):
    from analysis.errors import InputError
    from ui.trainer.profiles import load_profiles

    p = tmp_path / "profiles.json"
    p.write_bytes(content)
    with pytest.raises(InputError) as e:
        load_profiles(p)
    assert str(p) in str(e.value) and "\n" not in str(e.value)
