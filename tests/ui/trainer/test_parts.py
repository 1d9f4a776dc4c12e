"""The trainer's non-Qt parts: ring buffer order, feedback schedules, profiles, the About text."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from analysis.errors import InputError
from ui.trainer.buffers import RingBuffer
from ui.trainer.feedback import FADED_MIN_SHARE, MODES, Schedule, faded_live
from ui.trainer.profiles import Calibration, load_profiles, profiles_path, save_profile


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(0, 90), min_size=1, max_size=30), capacity=st.integers(1, 64))
def test_ring_buffer_returns_the_newest_samples_in_time_order(sizes, capacity):
    rb = RingBuffer(capacity)
    n = 0
    for k in sizes:
        t = np.arange(n, n + k, dtype=float)
        rb.extend(t, -t)
        n += k
    t, y = rb.since(-1.0)
    want = np.arange(max(0, n - capacity), n, dtype=float)
    assert np.array_equal(t, want) and np.array_equal(y, -want)       # no seam, nothing stale
    assert rb.total == n and (rb.last_t == (n - 1 if n else None))


def test_faded_feedback_thins_out_but_never_vanishes():
    live = [faded_live(k) for k in range(60)]
    assert live[0]
    first, second = sum(live[:10]), sum(live[10:20])
    assert first > second > 0
    assert sum(live[20:60]) / 40 == pytest.approx(FADED_MIN_SHARE, abs=0.05)


@pytest.mark.parametrize("mode, live_in_set, colours_in_set", [
    ("concurrent", True, True), ("terminal", False, True), ("blind", False, False)])
def test_schedules_during_and_after_a_set(mode, live_in_set, colours_in_set):
    s = Schedule(mode)
    v = s.view(in_set=True, set_index=0, last_on_target=True)
    assert (v.live, v.colours) == (live_in_set, colours_in_set)
    after = s.view(in_set=False, set_index=0, last_on_target=True)
    assert after.live and after.colours


def test_bandwidth_speaks_only_off_target():
    s = Schedule("bandwidth")
    assert not s.view(True, 0, True).live
    assert s.view(True, 0, False).live
    with pytest.raises(ValueError, match="concurrent"):
        Schedule("sometimes")
    assert len(MODES) == 5


def test_profiles_round_trip_and_a_broken_file_is_one_line(tmp_path):
    save_profile(Calibration("blue", 30.0, 90.0))
    save_profile(Calibration("red", 45.0, 130.0))
    save_profile(Calibration("blue", 32.0, 95.0))              # replaced, not duplicated
    got = load_profiles()
    assert sorted(got) == ["blue", "red"] and got["blue"].r2_n == 95.0
    with pytest.raises(InputError, match="below"):
        save_profile(Calibration("bad", 90.0, 30.0))
    profiles_path().write_text('{"profiles": {"x": ')
    with pytest.raises(InputError, match=r"profiles\.json:1"):
        load_profiles()


def test_the_drawn_sound_of_a_stereo_microphone_shows_a_pop_on_either_channel():
    """The audio strip draws, per millisecond, the loudest sample of any channel: a pop whose
    first swing is negative, heard on the second channel only, is drawn at its full size."""
    from analysis.chunk import Chunk
    from ui.trainer.engine import Engine

    rate = 48000.0
    x = np.zeros((4800, 2), dtype=np.float32)
    x[:, 0] = 0.01 * np.sin(np.arange(4800) * 0.3)
    x[2400:2448, 1] = -0.5                          # 1 ms, negative, on channel 2 only
    eng = Engine()
    eng.feed(Chunk(np.arange(4800) / rate, x, 0, "audio", rate))
    t, env = eng.audio_env.since(0.0)
    assert len(env) == 100
    assert env[50] == pytest.approx(0.5)
    assert env[10] == pytest.approx(0.01, rel=0.01)


def test_sound_too_coarse_for_pops_switches_pop_analysis_off_with_the_reason_and_is_still_drawn(caplog):
    from analysis.chunk import Chunk
    from ui.trainer.engine import Engine

    rate = 8000.0
    x = np.zeros(800, dtype=np.float32)
    x[400] = 0.5
    eng = Engine()
    eng.analyzer = type(eng.analyzer)(eng.scheme, eng.thrust_scheme, streams=("force", "audio"))
    for i in range(3):
        assert eng.feed(Chunk((i * 800 + np.arange(800)) / rate, x, i * 800, "audio", rate)) == []
    assert eng.disabled == {"audio": "audio at 8000 Hz; pops need 16 kHz"}
    assert "audio" not in eng.analyzer.processors and not caplog.records     # said once, no traceback logged
    assert eng.audio_env.total == 3 * 100 and eng.audio_env.since(0.0)[1].max() == pytest.approx(0.5)


def test_a_profiles_file_saved_with_a_byte_order_mark_is_read():
    """profiles.json edited in Windows Notepad (which writes a byte order mark) was refused as
    'not valid JSON', and the trainer's saved calibrations were all unusable."""
    save_profile(Calibration("blue", 30.0, 90.0))
    profiles_path().write_bytes(b"\xef\xbb\xbf" + profiles_path().read_bytes())
    assert load_profiles()["blue"].r2_n == 90.0
    save_profile(Calibration("red", 45.0, 130.0))
    assert sorted(load_profiles()) == ["blue", "red"]
