"""A trainer recording with the microphone turned off for a while (silence written into
audio.flac for that time) stores in its summary the pops of each thrust as ``replay`` of the
folder counts them: unknown for a thrust that peaked in the silence, or whose tie window reaches
into the time the microphone was off (session.json's ``off_s``), and counted otherwise. The
summary left unknown every thrust that peaked in the silence written, so a thrust 25 ms into it
read unknown where replay counted 0 pops, as did one in half a second of it.

Real parts as in test_trainer_mic_name.py (the window, its keys, engine, recorder and worker; a
stand-in microphone hearing the thrust fixture's sound in step with its force; the fixture's
thrusts peak at 3.17, 7.55, 12.66 and 17.87 s of it, the second with 1 pop, the third with 2 and
the fourth with none). Each test plays the fixture's force from a few seconds before the first
thrust it is of (:data:`FROM_S`), the recording starting half a second into it.
"""

from __future__ import annotations

import pytest

from analysis.events import SummaryEvent
from firmware_bridge.replay import analyze_input, load_input

from ._mic import summary
from ._mic_sweep import MicSession, force_between

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

# where a recording stops: a second after the fourth thrust is detected (17.97 s of the fixture)
# and its sound has come, well before the fifth begins (22.94 s); the stored summaries must list
# every thrust played up to it
END_S = 19.0
# where the force played starts: before the second thrust's onset, or before the third's
FROM_S = {"second": 5.0, "third": 10.0}


def recorded(qtbot, monkeypatch, root, from_s: float, off_s: float, on_s: float):
    """The fixture's force from ``from_s`` recorded from half a second into it to :data:`END_S` (or
    half a second after ``on_s``), the microphone off from ``off_s`` to ``on_s``; the folder's
    stored thrust rows and replay's."""
    end_s = max(END_S, on_s + 0.5)
    s = MicSession(qtbot, monkeypatch, root, path=force_between(root.parent / "played", from_s, end_s + 0.5))
    s.next_mics(s.mic("Clip-on mic"), s.mic("Clip-on mic"))
    s.key("toggle_microphone")
    s.until(from_s + 0.5)
    folder = s.win.start_recording()
    s.until(off_s)
    s.key("toggle_microphone")
    s.until(on_s)
    s.key("toggle_microphone")
    s.until(end_s)
    s.win.stop_recording()
    [replayed] = [e for e in analyze_input(load_input(str(folder))) if isinstance(e, SummaryEvent)]
    row = lambda t: (round(t["t_peak"], 3), t["pops"], t["first_pop_ms_from_peak"] and  # noqa: E731
                     round(t["first_pop_ms_from_peak"], 1))
    return [row(t) for t in summary(folder)["thrusts"]], [row(t) for t in replayed.thrusts]


@pytest.mark.parametrize("from_s, off_s, on_s, pops", [
    (FROM_S["second"], 8.0, 14.0, [1, None, 0]),     # 6 s off over the third thrust
    (FROM_S["third"], 17.76, 19.5, [2, None]),       # off from 114 ms before the fourth's peak, in its tie window
    (FROM_S["third"], 12.0, 12.9, [None, 0]),        # 0.9 s off over the third's peak: unknown however short
])
def test_the_stored_summary_counts_the_pops_as_replay_of_the_folder_does(qtbot, monkeypatch, tmp_path, from_s,
                                                                           off_s, on_s, pops):
    stored, replayed = recorded(qtbot, monkeypatch, tmp_path / "rec", from_s, off_s, on_s)
    assert stored == replayed
    assert [p for _, p, _ in stored] == pops


def test_a_microphone_that_gave_digital_silence_has_the_pops_there_unknown_as_replay_says(qtbot, monkeypatch,
                                                                                           tmp_path):
    """A microphone muted at the input (every sample 0 for 2 s over the third thrust) is heard
    as replay of the folder hears it: that thrust's pops unknown (the summary said 0)."""
    import soundfile as sf

    from ._mic import SOUND
    heard, rate = sf.read(str(SOUND), dtype="float32")
    heard[int(11.5 * rate):int(13.5 * rate)] = 0.0
    from_s = FROM_S["third"]
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec", path=force_between(tmp_path / "played", from_s, END_S + 0.5))
    s.next_mics(s.mic("Clip-on mic", sound=heard))
    s.key("toggle_microphone")
    s.until(from_s + 0.5)
    folder = s.win.start_recording()
    s.until(END_S)
    s.win.stop_recording()
    stored = [t["pops"] for t in summary(folder)["thrusts"]]
    [replayed] = [e for e in analyze_input(load_input(str(folder))) if isinstance(e, SummaryEvent)]
    assert stored == [t["pops"] for t in replayed.thrusts] == [None, 0]
