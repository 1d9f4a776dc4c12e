"""The trainer with the microphone as a therapist uses it: turned off and on while recording,
another microphone chosen, one that cannot be opened, one that goes away. Each time the user is
told what happened, the force recording goes on, and nothing recorded is lost or misplaced.

Real parts as in test_trainer_mic_name.py (the window, its keys, engine, recorder and worker; a
stand-in microphone with AudioInput's interface, hearing the thrust fixture's sound in step
with its force).
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from analysis.events import CavitationEvent
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import open_session

from ._mic import SOUND
from ._mic_sweep import MicSession, force_between

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def replayed_pops(folder) -> list[float]:
    """The pops ``replay`` of the folder finds (recording times, s)."""
    return [round(e.t, 3) for e in analyze_input(load_input(str(folder))) if isinstance(e, CavitationEvent)]


def record_and_turn_microphone_off_at_8_s(s: MicSession, from_s: float = 0.0):
    """Turn on the first of the session's microphones (A), record from 0.5 s (Space; half a second
    after ``from_s``, where the force played starts) and at 8 s turn the microphone off (A).
    Returns the recording's folder (still recording)."""
    s.key("toggle_microphone")
    s.until(from_s + 0.5)
    folder = s.win.start_recording()
    s.until(8.0)
    s.key("toggle_microphone")
    return folder


def record_and_change_microphone(s: MicSession):
    """As :func:`record_and_turn_microphone_off_at_8_s`, the microphone at once on again (the
    next microphone opens), played on to 14 s (past the thrust at 12.66 s and its 2 pops, which
    the next microphone hears). Returns the recording's folder (still recording)."""
    folder = record_and_turn_microphone_off_at_8_s(s)
    s.key("toggle_microphone")
    s.until(14.0)
    return folder


def test_microphone_off_and_on_while_recording_keeps_the_later_sound_where_it_was_heard(qtbot, monkeypatch,
                                                                                          tmp_path):
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    s.next_mics(s.mic("Clip-on mic"), s.mic("Clip-on mic"))
    folder = record_and_turn_microphone_off_at_8_s(s)      # off for 6 s (a thrust at 12.7 s goes unheard) ...
    s.until(14.0)
    assert s.win.meter.format() == "no microphone"          # (not the last level heard)
    s.key("toggle_microphone")                  # ... and on again
    s.until(25.0)
    s.win.stop_recording()
    ses = open_session(folder)
    t0 = ses.meta.extra["source_t0_s"]
    live = [round(p.t - t0, 3) for p in s.eng.pops]
    assert len(live) == 7 and any(t > 20 for t in live)
    # replay of the folder hears each pop where the trainer heard it: the sound after the
    # microphone came back was written straight after the sound before it, 6 s early, and
    # replay put the pops of the thrust at 23.1 s at 17.1 s
    assert replayed_pops(folder) == live
    entry = ses.meta.streams["audio"]
    kept, rate = sf.read(str(folder / "audio.flac"), dtype="float32")
    heard, _ = sf.read(str(SOUND), dtype="float32")
    assert entry["rate_measured_hz"] == pytest.approx(rate, rel=1e-3)        # (it was 12042 Hz)
    # the file's samples at each time are the sound heard then, silence while the microphone was off
    at = lambda t_rec: int(round((t_rec - entry["t0_s"]) * rate))            # noqa: E731
    src = lambda t_rec: int(round((t_rec + t0) * rate))                      # noqa: E731
    for a, b in ((1.0, 7.0), (15.0, 24.0)):
        assert np.allclose(kept[at(a):at(b)], heard[src(a):src(b)], atol=1e-4)
    assert not kept[at(8.6):at(13.4)].any()
    assert s.said == [] and s.eng.disabled == {}



def test_a_microphone_that_cannot_start_is_said_so_not_listening(qtbot, monkeypatch, tmp_path):
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    s.next_mics(s.mic("HDMI capture", refuses=True))
    s.until(1.0)
    s.key("toggle_microphone")                  # A: it opens, then refuses to start
    s.until(2.0)
    # it said "listening for pops: HDMI capture" over the status line, the reason hidden under it
    assert s.win.statusBar().currentMessage() == "no microphone: audio input 'HDMI capture': Device unavailable"
    assert not s.win.actions_by_name["toggle_microphone"].isChecked()
    assert s.win.meter.format() == "no microphone"


def test_a_microphone_gone_while_recording_is_said_so_and_the_force_recording_goes_on(qtbot, monkeypatch,
                                                                                        tmp_path):
    from .conftest import ARTIFACTS
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    s.next_mics(s.mic("Clip-on mic", gone_at_s=6.0))
    s.key("toggle_microphone")
    s.until(0.5)
    folder = s.win.start_recording()
    s.until(12.0)
    line = s.win.statusBar().currentMessage()
    assert line == ("audio input 'Clip-on mic' stopped delivering audio (unplugged?); recording goes on without "
                    "sound; A turns it on again")
    # the meter showed the last level heard, as if it still listened
    assert s.win.meter.format() == "no microphone"
    assert s.win.rec_label.text().startswith("● REC")
    ARTIFACTS.mkdir(exist_ok=True)
    qtbot.wait(50)                              # (the status bar laid out, as between frames)
    s.win.grab().save(str(ARTIFACTS / "trainer_mic_gone_recording.png"))
    s.win.stop_recording()
    ses = open_session(folder)
    t0 = ses.meta.extra["source_t0_s"]
    assert ses.force.t_s[-1] == pytest.approx(s.eng.force.last_t - t0, abs=1e-6)     # all the force, to the end
    kept, rate = sf.read(str(folder / "audio.flac"), dtype="float32")
    entry = ses.meta.streams["audio"]
    assert entry["t0_s"] + len(kept) / rate == pytest.approx(6.0 - t0, abs=0.06)  # all the sound it gave
    assert s.said == []


def test_another_microphone_chosen_while_recording_records_at_the_recording_s_rate(qtbot, monkeypatch, tmp_path):
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    first, second = s.mic("Clip-on mic"), s.mic("USB headset", rates=(48000, 16000))   # (48 kHz its own)
    s.next_mics(first, second)
    folder = record_and_change_microphone(s)
    s.win.stop_recording()
    assert second.rate_hz == 16000
    ses = open_session(folder)
    t0 = ses.meta.extra["source_t0_s"]
    live = [round(p.t - t0, 3) for p in s.eng.pops]
    assert len(live) >= 7 and replayed_pops(folder) == live
    assert s.eng.disabled == {} and s.said == []


def test_a_microphone_only_at_another_rate_keeps_counting_pops_and_the_recording_says_it_leaves_it_out(
        qtbot, monkeypatch, tmp_path):
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    s.next_mics(s.mic("Clip-on mic"), s.mic("USB headset", rates=(48000,)))
    folder = record_and_change_microphone(s)
    # its pops are counted: the analysis of the sound was switched off as an internal error
    assert s.eng.disabled == {}
    assert [p.thrust for p in s.eng.pops if p.t > 8.0] == [2, 2]
    assert s.win.statusBar().currentMessage() == (
        "audio input 'USB headset' not recorded: it captures at 48000 Hz, this recording at 16000 Hz (Space twice "
        "records it)")
    s.win.stop_recording()
    ses = open_session(folder)
    t0 = ses.meta.extra["source_t0_s"]
    kept, rate = sf.read(str(folder / "audio.flac"), dtype="float32")
    # the file holds the first microphone's sound, as heard (48 kHz samples written into the 16 kHz
    # file made it three times too long, its measured rate 35555 Hz)
    entry = ses.meta.streams["audio"]
    assert rate == 16000 and entry.get("rate_measured_hz", rate) == pytest.approx(16000, rel=1e-3)
    assert entry["t0_s"] + len(kept) / rate == pytest.approx(8.0 - t0, abs=0.1)
    assert ses.force.t_s[-1] == pytest.approx(s.eng.force.last_t - t0, abs=1e-6)
    assert replayed_pops(folder) == [round(p.t - t0, 3) for p in s.eng.pops if p.t < 8.0]
    from ._mic import summary
    assert "audio input 'USB headset' (48000 Hz) from 7.6 s was not recorded: this recording's sound is at " \
           "16000 Hz" in summary(folder)["warnings"]


def test_a_worn_imu_alone_with_the_microphone_on_says_its_pops_and_keeps_them_clear_of_the_settling_label(
        qtbot, monkeypatch, tmp_path):
    from analysis.events import ThrustEvent
    from firmware_bridge.audio_sim import pop_wave
    from ui.cli import main

    from .conftest import ARTIFACTS
    assert main(["simulate", "--grade", "V", "--rate", "1000", "--imu", "200", "--seed", "3",
                 "-o", str(tmp_path / "v.csv")]) == 0
    [peak] = [e.t_peak for e in analyze_input(load_input(str(tmp_path / "v.csv"))) if isinstance(e, ThrustEvent)]
    rate, rng = 16000, np.random.default_rng(3)
    heard = (0.003 * rng.standard_normal(20 * rate)).astype(np.float32)       # room noise ...
    w = pop_wave(rng, rate)
    i = int((peak - 0.012) * rate)
    heard[i:i + len(w)] += 0.3 * w / np.abs(w).max()                         # ... and a pop 12 ms before the peak
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec", path=tmp_path / "v.imu.csv")     # (the IMU alone)
    s.next_mics(s.mic("Clip-on mic", sound=heard))
    s.key("toggle_microphone")
    s.win.tabs.setCurrentWidget(s.win.thrust_panel)
    s.until(5.5)
    qtbot.wait(50)
    assert s.eng.imu_only and [round(p.t - peak, 3) for p in s.eng.pops] == [-0.012]
    panel = s.win.thrust_panel
    # it said "0" and "no pop" of a thrust with a pop 12 ms before its peak: the pop is its own
    # (9 ms before the IMU's peak, the hand's deepest point, 3 ms before the force's)
    assert panel.values["pops"].text() == "1"
    assert panel.pops_line.text() == "1 pop, 9 ms before peak"
    # and its tick over the hand's movement at its moment, 9 ms left of the peak's dotted line
    [(x_ms, _)] = panel.plot.pops_at
    last = s.eng.thrusts[-1]
    assert x_ms == pytest.approx(1000.0 * (s.eng.pops[0].t - last.t_onset))
    assert x_ms - last.time_to_peak_ms == pytest.approx(-9.0, abs=0.5) and panel.plot.pop_ticks.isVisible()
    # the pop's marker along the top and the "IMU settling" label drawn over each other
    plot = s.win.force_plot
    assert plot.settle_label.isVisible() and plot.drawn["pops"] == 1
    [spot] = plot.pops.points()
    centre = plot.getPlotItem().getViewBox().mapViewToScene(spot.pos())
    label = plot.settle_label.sceneBoundingRect()
    assert label.top() > centre.y() + spot.size() / 2, (label, centre)
    ARTIFACTS.mkdir(exist_ok=True)
    s.win.grab().save(str(ARTIFACTS / "trainer_mic_imu_alone.png"))


def test_a_thrust_while_the_microphone_is_off_has_its_pops_not_counted_not_none(qtbot, monkeypatch, tmp_path):
    # (the force from 5 s, before the thrust at 7.6 s)
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec", path=force_between(tmp_path / "played", 5.0, 25.0))
    s.next_mics(s.mic("Clip-on mic"), s.mic("Clip-on mic"))
    s.key("toggle_microphone")
    s.until(8.0)
    panel = s.win.thrust_panel
    assert panel.values["pops"].text() == "1"                  # (the thrust at 7.6 s, heard)
    s.key("toggle_microphone")                                 # off: the thrust at 12.7 s goes unheard
    s.until(13.5)
    # it said "0" and "no pop", as of a thrust heard without a pop
    assert (panel.values["pops"].text(), panel.pops_line.text()) == ("–", "no microphone: pops not counted (key A)")
    s.key("toggle_microphone")                                 # on again: that thrust stays unheard ...
    s.until(16.0)
    assert panel.values["pops"].text() == "–"
    s.until(24.0)                                              # ... and the next is heard
    assert panel.values["pops"].text() == "2" and panel.pops_line.text().startswith("2 pops, first ")


def test_the_recording_s_summary_leaves_unknown_the_pops_of_a_thrust_made_with_the_microphone_off(
        qtbot, monkeypatch, tmp_path):
    from analysis.events import SummaryEvent

    from ._mic import summary
    # (the force from 5 s: the thrusts at 7.6 s, heard, 12.7 s and 17.9 s)
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec", path=force_between(tmp_path / "played", 5.0, 20.0))
    s.next_mics(s.mic("Clip-on mic"), s.mic("Clip-on mic"))
    folder = record_and_turn_microphone_off_at_8_s(s, 5.0)     # the thrust at 12.7 s goes unheard
    s.until(14.0)
    s.key("toggle_microphone")
    s.until(19.0)                               # (the fourth thrust's sound come, before the fifth)
    s.win.stop_recording()
    stored = [(round(t["t_peak"], 2), t["pops"]) for t in summary(folder)["thrusts"]]
    [replayed] = [e for e in analyze_input(load_input(str(folder))) if isinstance(e, SummaryEvent)]
    # it said 0 pops (the silence written for it heard none), as if heard; replay says unknown
    assert stored == [(2.0, 1), (7.11, None), (12.32, 0)]
    assert stored == [(round(t["t_peak"], 2), t["pops"]) for t in replayed.thrusts]


def test_a_thrust_after_a_played_recording_s_sound_ended_has_its_pops_not_counted(qtbot, monkeypatch, tmp_path):
    from firmware_bridge.replay import iter_chunks
    from firmware_bridge.sources import FileSource

    from ._mic import FIX
    heard, rate = sf.read(str(SOUND), dtype="float32")
    clip = tmp_path / "first10.flac"
    sf.write(str(clip), heard[:10 * rate], rate)                # its sound ends at 10 s
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    s.worker.source = FileSource(str(FIX), audio=str(clip))
    s.feeder.chunks = iter_chunks(load_input(FIX, audio=clip), 0.05)
    s.until(13.5)
    panel = s.win.thrust_panel
    # the thrust at 12.7 s: "0" and "no pop", as of a thrust heard without one (and the microphone
    # stays off beside a recording with its own sound: key A would not help)
    assert (panel.values["pops"].text(), panel.pops_line.text()) == (
        "–", "no sound around its peak: pops not counted")


def test_microphone_turned_off_while_recording_keeps_the_sound_it_still_held(qtbot, monkeypatch, tmp_path):
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec", path=force_between(tmp_path / "played", 5.0, 11.0))
    mic = s.mic("Clip-on mic", held_blocks=3)                  # (30 ms on its way, as in PortAudio's buffers)
    s.next_mics(mic)
    s.key("toggle_microphone")
    s.until(5.5)
    folder = s.win.start_recording()
    s.until(8.0)
    captured = int((s.eng.force.last_t - mic.t_start) * mic.rate_hz) // mic.block * mic.block
    s.key("toggle_microphone")                                  # A: off
    s.until(10.0)
    s.win.stop_recording()
    kept, _ = sf.read(str(folder / "audio.flac"), dtype="float32")
    # all it captured up to the key press was handed out and recorded: the last 30 ms were thrown
    # away with it
    assert mic.n == captured
    assert np.array_equal(kept[-1600:], mic.sound[mic.offset + mic.n - 1600:mic.offset + mic.n])
