"""The trainer with a worn IMU alone and the microphone on: the pops heard near an IMU's thrust
are its own, counted in the HVLA panel as a force thrust's are ('3 pops, first 1 ms before
peak'), and in the recording's summary, where replay of the folder counts them the same. The
panel said '–' and '1 pop heard within 150 ms of its peak (pops are counted for a force
sensor's thrusts)', and the summary had every pop outside any thrust.

Real parts as in test_trainer_mic_name.py (the window, its keys, engine, recorder and worker; a
stand-in microphone hearing the simulated room's sound in step with the IMU), the window drawing a
frame every fifth chunk and where each step stops.
"""

from __future__ import annotations

import pytest
import soundfile as sf

from analysis.events import SummaryEvent
from firmware_bridge.replay import analyze_input, load_input

from ._mic import summary
from ._mic_sweep import MicSession

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """A simulated worn IMU (three thrusts; no force sensor) and the room's sound: three pops near
    each thrust's peak (those of the second come 0.4 s after speech stops). Made once, only read."""
    from ui.cli import main
    d = tmp_path_factory.mktemp("imu_pops")
    assert main(["simulate", "--grade", "V", "--sets", "3", "--imu", "500", "--audio", "16000", "--seed", "2",
                 "-o", str(d / "v.csv")]) == 0
    heard, rate = sf.read(str(d / "v.flac"), dtype="float32")
    assert rate == 16000
    return d / "v.imu.csv", heard


@pytest.fixture
def imu_session(qtbot, monkeypatch, tmp_path, simulated):
    """The trainer playing the simulated worn IMU, its microphone hearing the simulated room."""
    imu, heard = simulated
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec", path=imu)
    s.next_mics(s.mic("Clip-on mic", sound=heard), s.mic("Clip-on mic", sound=heard))     # (A twice: the second)
    s.key("toggle_microphone")
    s.win.tabs.setCurrentWidget(s.win.thrust_panel)
    return s


def test_the_hvla_panel_counts_the_pops_of_an_imu_s_thrust(imu_session, qtbot):
    s = imu_session
    panel = s.win.thrust_panel
    s.until(5.0)
    qtbot.wait(20)
    assert s.eng.imu_only and [t.source for t in s.eng.thrusts] == ["imu"]
    assert [p.thrust for p in s.eng.pops] == [0, 0, 0]
    assert panel.values["pops"].text() == "3"
    assert panel.pops_line.text() == "3 pops, first 1 ms before peak"
    s.until(9.5)                                    # the second, after the talk
    assert panel.values["pops"].text() == "3" and panel.pops_line.text() == "3 pops, first 9 ms before peak"
    s.until(14.0)
    assert panel.values["pops"].text() == "3"
    assert panel.pops_line.text() == "3 pops, first 15 ms after peak"


def test_the_recording_s_summary_counts_them_as_replay_of_the_folder_does(imu_session):
    s = imu_session
    s.until(0.5)
    folder = s.win.start_recording()
    s.until(16.0)
    s.win.stop_recording()
    stored = summary(folder)
    assert [t["source"] for t in stored["thrusts"]] == ["imu"] * 3
    assert [t["pops"] for t in stored["thrusts"]] == [3, 3, 3]
    assert stored["pops_outside_thrusts"] == []        # (it held all nine)
    [replayed] = [e for e in analyze_input(load_input(str(folder))) if isinstance(e, SummaryEvent)]
    rows = lambda thrusts: [(round(t["t_peak"], 3), t["pops"]) for t in thrusts]      # noqa: E731
    assert rows(replayed.thrusts) == rows(stored["thrusts"])
    assert [t["first_pop_ms_from_peak"] for t in replayed.thrusts] == pytest.approx(
        [t["first_pop_ms_from_peak"] for t in stored["thrusts"]], abs=1e-6)
    assert replayed.pops_outside_thrusts == stored["pops_outside_thrusts"] == []


def test_an_imu_s_thrust_made_with_the_microphone_off_has_unknown_pops_in_the_panel_summary_and_replay(
        imu_session, qtbot):
    s = imu_session
    panel = s.win.thrust_panel
    s.until(0.5)
    folder = s.win.start_recording()
    s.until(6.0)
    s.key("toggle_microphone")                  # off: the thrust peaking at 7.86 s goes unheard
    s.until(9.5)
    assert panel.values["pops"].text() == "–"
    assert panel.pops_line.text() == "no microphone: pops not counted (key A)"
    s.key("toggle_microphone")                  # on again: the third is heard
    s.until(16.0)
    assert panel.values["pops"].text() == "3"
    s.win.stop_recording()
    stored = summary(folder)
    assert [t["pops"] for t in stored["thrusts"]] == [3, None, 3]
    [replayed] = [e for e in analyze_input(load_input(str(folder))) if isinstance(e, SummaryEvent)]
    assert [t["pops"] for t in replayed.thrusts] == [3, None, 3]
    assert stored["pops_outside_thrusts"] == replayed.pops_outside_thrusts == []
