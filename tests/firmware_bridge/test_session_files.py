"""Reading and writing the open session format; bad files give one-line file:line errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis.errors import InputError
from analysis.events import CavitationEvent
from firmware_bridge.replay import load_input
from firmware_bridge.session import SessionMeta, SessionWriter, open_session, read_force_csv


def write(tmp_path, text, name="f.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_bare_csv_with_extra_columns_irregular_times_and_offset(tmp_path):
    p = write(tmp_path, "t_s,force_n,temp_c\n100.0,1.5,20\n100.013,2.5,20\n100.019,3.5,21\n")
    d = read_force_csv(p)
    assert d.t_s.tolist() == [100.0, 100.013, 100.019]
    assert d.values.tolist() == [1.5, 2.5, 3.5]
    assert d.skipped_rows == 0


@pytest.mark.parametrize("text, where, what", [
    ("", ":1:", "empty file"),
    ("1.0,2.0\n2.0,3.0\n", ":1:", "missing header"),
    ("time,force\n1,2\n", ":1:", "lacks column"),
    ("t_s,force_lbf\n1,2\n", ":1:", "a session's force.csv gives its force as force_n"),
    ("t_s,force_n\n0,1\nx,2\n", ":3:", "non-numeric"),
    ("t_s,force_n\n0,1\n1,nan\n", ":3:", "NaN"),
    ("t_s,force_n\n1,1\n0.5,2\n", ":3:", "backwards"),
])
def test_bad_files_name_file_and_line(tmp_path, text, where, what):
    p = write(tmp_path, text)
    with pytest.raises(InputError) as e:
        read_force_csv(p)
    msg = str(e.value)
    assert str(p) + where in msg and what in msg and "\n" not in msg


def test_a_few_bad_rows_are_skipped_and_counted(tmp_path):
    rows = "".join(f"{i / 100},{i}\n" for i in range(100))
    p = write(tmp_path, "t_s,force_n\n" + rows + "1.5,oops\n" + "2.0,nan\n" + "2.1,3\n")
    d = read_force_csv(p)
    assert len(d.t_s) == 101 and d.skipped_rows == 2
    assert d.problems[0].startswith(f"{p}:102:")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
@example(b"0\x1c,")                      # (a control character Unicode counts as space, float() does not)
def test_reader_never_crashes_on_arbitrary_bytes(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("fuzz") / "x.csv"
    p.write_bytes(b"t_s,force_n\n" + data)
    try:
        d = read_force_csv(p)
    except InputError as e:
        assert "\n" not in str(e) and str(p) in str(e)
    else:
        assert np.all(np.diff(d.t_s) > 0) and np.isfinite(d.values).all()


def _outcome(path, raw, fast, cols=("t_s", "force_n")):
    from firmware_bridge.session import _read_bytes

    try:
        d = _read_bytes(path, raw, cols, 0.5, fast=fast)
    except InputError as e:
        return "error", str(e)
    return ("read", d.t_s.tobytes(), np.asarray(d.values).tobytes(), d.values.shape, d.skipped_rows, d.problems,
            d.notes)


_cell = st.one_of(
    st.floats(-1e3, 1e3).map(repr), st.integers(-5, 5).map(str),
    st.sampled_from(["", "abc", "nan", "-inf", "1e400", "1_0", " 1", "1 ", "+.5", "-0", '"0,5"', '"1"""',
                     '"2"x', '"3" ', "\t4", "\x0c5", "١", "1\r2", '"6', "0x1"]),
    st.floats(-1e3, 1e3).map(lambda v: f'"{v!r}"'))
_row = st.one_of(st.lists(_cell, min_size=0, max_size=4).map(",".join),
                 st.sampled_from(["", " ", "\r", "0.0", "t_s,force_n"]))


@settings(max_examples=300, deadline=None)
@given(header=st.sampled_from(["t_s,force_n", '"t_s","force_n"', "t_s,force_n,note", "force_n,t_s", "t_s,force_n,"]),
       rows=st.lists(st.tuples(st.integers(0, 11), _row), max_size=40),
       eol=st.sampled_from(["\n", "\r\n"]), torn=st.booleans(),
       leaf=st.sampled_from([0, 10, 60, 300]), parts=st.sampled_from([2, 3, 16]))
def test_fast_reader_gives_what_the_row_by_row_reader_gives(tmp_path_factory, header, rows, eol, torn, leaf, parts):
    """Values, skipped-row count and messages of the fast reader (pyarrow, with the parts holding bad
    rows read row by row) equal the row-by-row reader's, whatever rows are bad and where."""
    import firmware_bridge.csv_stream as csv_stream

    def good(kind):
        nonlocal t
        t += [0.001, 0.5, -0.002, 0.0, 0.001, 0.001, 0.001][kind % 7]
        row = f"{t!r},{kind * 0.25 - 1}" + (",x" if header.count(",") == 2 else "")
        return ",".join(reversed(row.split(",")[:2])) if header.startswith("force_n") else row

    lines, t = [], 0.0
    for kind, row in rows:                       # mostly good rows with rising times, some of anything
        if kind < 7:
            row = good(kind)
        elif kind == 7:                          # a lone CR between two rows
            row = good(kind) + "\r" + good(kind)
        elif kind == 8:                          # a quoted cell running over a line end
            row = good(kind)[:-1] + '"a' + eol + 'b"'
        lines.append(row)
    text = header + eol + eol.join(lines) + ("" if torn or not lines else eol)
    raw = text.encode()
    p = tmp_path_factory.mktemp("csv") / "x.csv"
    with pytest.MonkeyPatch.context() as m:
        m.setattr(csv_stream, "_LEAF_BYTES", leaf)
        m.setattr(csv_stream, "_PARTS", parts)
        assert _outcome(p, raw, fast=True) == _outcome(p, raw, fast=False)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300), leaf=st.sampled_from([0, 20]))
def test_fast_reader_gives_what_the_row_by_row_reader_gives_on_arbitrary_bytes(tmp_path_factory, data, leaf):
    import firmware_bridge.csv_stream as csv_stream

    p = tmp_path_factory.mktemp("fuzz") / "x.csv"
    with pytest.MonkeyPatch.context() as m:
        m.setattr(csv_stream, "_LEAF_BYTES", leaf)
        raw = b"t_s,force_n\n" + data
        assert _outcome(p, raw, fast=True) == _outcome(p, raw, fast=False)


def test_a_torn_last_line_or_a_few_bad_rows_keep_the_fast_reader(tmp_path, monkeypatch):
    """A crashed recording (torn last line) or a few bad rows: only the small parts holding them are
    read row by row, and the skipped rows are named as the row-by-row reader names them."""
    import firmware_bridge.csv_stream as csv_stream

    t = np.arange(100_000) / 1000
    lines = [f"{a:.3f},{b:.4f}" for a, b in zip(t, np.sin(t))]
    lines[500], lines[70_000] = "0.501,abc", "70.000,1.0,2.0"     # extra columns are fine
    lines[80_000] = "1.0,2.0"                                     # time goes backwards
    p = write(tmp_path, "t_s,force_n\n" + "\n".join(lines) + "\n99.9")   # torn last line
    calls = []
    real = csv_stream._cells
    monkeypatch.setattr(csv_stream, "_cells", lambda *a: calls.append(1) or real(*a))
    d = read_force_csv(p)
    assert len(calls) < 5000                                      # of 100 001 rows
    assert d.skipped_rows == 2 and len(d.t_s) == 99_998
    assert d.problems == [f"{p}:502: non-numeric cell 'abc'", f"{p}:80002: time goes backwards (1.0 after 79.999)"]
    assert d.notes == [f"{p}:100002: last line cut off (no line end): left out"]      # (not a bad row)
    s = tmp_path / "s"
    s.mkdir()
    (s / "force.csv").write_bytes(p.read_bytes())
    said = " ".join(open_session(s).warnings)      # in a recording the torn line is said as such
    assert f"force.csv: 2 unreadable rows skipped (first: {s / 'force.csv'}:502: non-numeric cell 'abc')" in said
    assert "force.csv:100002: last line cut off" in said


def test_a_torn_last_line_that_reads_as_a_row_is_left_out_of_a_recording(tmp_path):
    """A crash that cut "20.0107,1.4502" to "20.0107,1" left a sample of 1 N at the end of the
    recording, read as data without a word; a bare CSV of another program's making, whose last
    line often has no line end, keeps it."""
    t = np.arange(20_011) / 1000
    body = "t_s,force_n\n" + "".join(f"{a:.4f},{50 + 10 * np.sin(a):.4f}\n" for a in t) + "20.0110,1"
    s = tmp_path / "s"
    s.mkdir()
    (s / "force.csv").write_text(body)
    got = open_session(s)
    assert len(got.force.t_s) == len(t) and got.force.values.min() > 39
    assert any(w.endswith("force.csv:20013: last line cut off (no line end; the recording stopped there): left out")
               for w in got.warnings)
    bare = write(tmp_path, body)
    assert len(read_force_csv(bare).t_s) == len(t) + 1


def test_a_quoted_file_with_a_bad_row_loses_only_that_row(tmp_path):
    rows = "".join(f'"{i / 100}","{i}"\n' for i in range(20))
    p = write(tmp_path, '"t_s","force_n"\n' + rows.replace('"0.05","5"', '"0.05","abc"'))
    d = read_force_csv(p)
    assert len(d.t_s) == 19 and d.skipped_rows == 1 and d.problems == [f"{p}:7: non-numeric cell 'abc'"]


@pytest.mark.parametrize("header, sep", [
    ("t_s;force_n", ";"),
    ("t_s\tforce_n", "\t"),
    ('"t_s";"force_n"', ";"),
    ("t_s|force_n|raw", "|"),
])
@pytest.mark.parametrize("mark", [",", "."])
def test_a_spreadsheet_export_with_another_separator_is_read(tmp_path, header, sep, mark):
    """Spreadsheets in many languages save "CSV" with semicolons (or tabs) and a decimal comma."""
    extra = sep + "9" if header.count(sep) == 2 else ""
    rows = "".join(f"{i / 1000:.3f}{sep}{i / 4:.2f}{extra}\n".replace(".", mark) for i in range(1, 2001))
    p = write(tmp_path, header + "\n" + rows.replace(f"0{mark}500{sep}", f"0{mark}500{sep}x", 1))
    d = read_force_csv(p)
    want_t = np.array([i / 1000 for i in range(1, 2001) if i != 500])
    assert d.skipped_rows == 1 and d.problems == [f"{p}:501: non-numeric cell 'x125{mark}00'"]    # (as written)
    np.testing.assert_allclose(d.t_s, want_t)
    np.testing.assert_allclose(d.values, want_t * 250)


def test_old_mac_line_ends_are_read(tmp_path):
    p = tmp_path / "f.csv"
    p.write_bytes(b"t_s,force_n\r0,1\r0.001,2\rx,3\r0.003,4\r0.004,5\r0.005,6\r")
    d = read_force_csv(p)
    assert d.t_s.tolist() == [0, 0.001, 0.003, 0.004, 0.005] and d.problems == [f"{p}:4: non-numeric cell 'x'"]


def test_session_round_trip_and_crash_safety(tmp_path):
    meta = SessionMeta(trainee="anna", technique="lumbar PA", target="III+", r1_n=40, r2_n=120,
                       sensor={"name": "emulator", "description": "test", "force_units": "N"})
    w = SessionWriter(tmp_path / "s", meta, flush_s=0.0)
    t = np.arange(0, 2, 0.001)
    w.append_force(t, np.sin(t))
    w.append_events([{"type": "cycle", "t_start": 0.1}])
    # before close: session.json says incomplete, data already on disk
    s = open_session(tmp_path / "s")
    assert len(s.force.t_s) == len(t) and s.warnings and "unfinished (still recording, or cut off)" in s.warnings[0]
    w.close(rate_hz=1000.0)
    s = open_session(tmp_path / "s")
    assert s.warnings == [] and s.meta.r1_n == 40 and s.meta.target == "III+"
    assert s.events == [{"type": "cycle", "t_start": 0.1}]
    assert (tmp_path / "s" / "force.csv").read_text().startswith("t_s,force_n\n")


def test_torn_last_line_still_opens(tmp_path):
    d = tmp_path / "s"
    d.mkdir()
    (d / "session.json").write_text(json.dumps({"schema_version": 1, "r1_n": 40, "r2_n": 120}))
    (d / "force.csv").write_text("t_s,force_n\n0.000,1.0\n0.001,2.0\n0.002,3.0\n0.0")
    s = open_session(d)
    assert len(s.force.t_s) == 3
    assert any("unfinished (still recording, or cut off)" in w for w in s.warnings)


@pytest.mark.parametrize("force, imu, said", [
    ("junk\n1,2\n", None, [("force.csv", ":1: header lacks column 't_s'")]),
    ("# logger v2, 1 kHz\nt_s,force_n\n0.0,1.0\n", None,
     [("force.csv", ":1: a comment line where the header belongs; remove the lines above the header t_s,force_n")]),
    ("t_s,force_n\n", None, [("force.csv", ": a header and no samples after it (nothing was recorded)")]),
    ("junk\n1,2\n", "junk\n", [("force.csv", ":1:"), ("imu.csv", ":1:")]),
])
def test_a_session_whose_only_streams_are_unreadable_says_why(tmp_path, force, imu, said):
    d = tmp_path / "s"
    d.mkdir()
    (d / "session.json").write_text(json.dumps({"schema_version": 1, "r1_n": 40, "r2_n": 120}))
    (d / "force.csv").write_text(force)
    if imu is not None:
        (d / "imu.csv").write_text(imu)
    with pytest.raises(InputError) as e:
        open_session(d)
    msg = str(e.value)
    assert "\n" not in msg and "no force.csv" not in msg
    assert all(f"{d / name}{why}" in msg for name, why in said)       # the file, and why


def test_session_with_unknown_units_or_newer_schema_is_refused(tmp_path):
    d = tmp_path / "s"
    d.mkdir()
    (d / "force.csv").write_text("t_s,force_n\n0,1\n")
    (d / "session.json").write_text(json.dumps({"schema_version": 99}))
    with pytest.raises(InputError, match="newer"):
        open_session(d)
    (d / "session.json").write_text(json.dumps({"sensor": {"force_units": "stone"}}))
    with pytest.raises(InputError, match="unknown force units"):
        open_session(d)


def test_session_force_in_kgf_is_converted(tmp_path):
    d = tmp_path / "s"
    d.mkdir()
    (d / "force.csv").write_text("t_s,force_n\n0,1\n0.1,2\n")
    (d / "session.json").write_text(json.dumps({"sensor": {"force_units": "kgf"}, "complete": True}))
    assert open_session(d).force.values.tolist() == pytest.approx([9.80665, 19.6133])


def _thrust_session(folder, audio: np.ndarray | None, sr: int = 48000):
    """A session folder: a force trace with one thrust peaking at t = 2.1 s, and its audio
    (a pop at 2.1 s) as ``audio.flac``."""
    import soundfile as sf

    from firmware_bridge.audio_sim import pop_wave

    t = np.arange(0, 10, 0.001)
    f = 100.0 + 400.0 * np.exp(-0.5 * ((t - 2.1) / 0.04) ** 2)
    w_ = SessionWriter(folder, SessionMeta())
    w_.append_force(t, f)
    if audio is None:
        audio = np.random.default_rng(3).normal(0, 1e-3, 10 * sr).astype(np.float32)
        w = pop_wave(np.random.default_rng(4), sr)
        k = int(2.1 * sr)
        audio[k:k + len(w)] += (0.1 * w / np.abs(w).max()).astype(np.float32)
    sf.write(str(folder / "audio.flac"), audio, sr)
    w_.meta.streams["audio"] = {"file": "audio.flac", "rate_hz": sr, "t0_s": 0.0}
    w_.close(1000.0)
    return folder


def _bad_audio(path, kind: str) -> None:
    import soundfile as sf

    if kind == "garbage":
        path.write_bytes(b"RIFF\x00\x00not really a wav")
    elif kind == "zero bytes":
        path.write_bytes(b"")
    elif kind == "no samples":
        sf.write(str(path), np.zeros(0, np.float32), 48000, format="WAV")
    else:                                                           # "8 kHz"
        sf.write(str(path), np.zeros(8000, np.float32), 8000, format="WAV")


@pytest.mark.parametrize("kind, why", [
    ("garbage", "unreadable audio"),
    ("zero bytes", "unreadable audio"),
    ("no samples", "audio file is empty"),
    ("8 kHz", "audio at 8000 Hz; pops are detected in audio at 16000 Hz or more"),
])
def test_audio_that_cannot_be_analysed_is_left_out_with_a_warning_and_the_force_is_analysed(tmp_path, kind, why):
    """Beside force data, a broken, empty or too coarse audio file is a one-line warning naming
    it, and the thrust is still measured; alone, it is a one-line error."""
    from analysis.events import ThrustEvent
    from firmware_bridge.replay import analyze_input

    folder = _thrust_session(tmp_path / "s", None)
    bad = tmp_path / "clip.wav"
    _bad_audio(bad, kind)
    readable = kind == "8 kHz"                                     # kept to be drawn and played
    said = "its pops are not analysed" if readable else "analysed without the audio"
    inp = load_input(folder / "force.csv", audio=bad)
    events = analyze_input(inp)
    assert inp.audio_path == (bad if readable else None)
    assert [round(e.t_peak, 2) for e in events if isinstance(e, ThrustEvent)] == [2.1]
    assert not any(isinstance(e, CavitationEvent) for e in events) and events[-1].audio is False
    warned = [w for w in events[-1].warnings if said in w]
    assert len(warned) == 1 and warned[0].startswith(f"{bad}: {why}") and "\n" not in warned[0]
    with pytest.raises(InputError, match="no such audio file"):    # a mistyped name is not a broken file
        load_input(folder / "force.csv", audio=tmp_path / "nosuch.wav")
    _bad_audio(folder / "audio.flac", kind)                         # the session's own audio
    inp = load_input(folder)
    assert inp.audio_path == (folder / "audio.flac" if readable else None) and why in " ".join(inp.warnings)
    with pytest.raises(InputError) as e:                           # audio alone: nothing else to analyse
        load_input(bad)
    assert str(e.value).startswith(f"{bad}: {why}") and "\n" not in str(e.value)


def test_a_damaged_phone_recording_is_one_line_and_the_force_is_analysed(tmp_path):
    """An .m4a from a phone (AAC in MP4) is decoded (tests/test_replay_phone_recordings.py); one
    that holds nothing a decoder can use, alone or beside force data, is one line saying its
    audio is unreadable, instead of a traceback or 'unknown input type'."""
    from firmware_bridge.replay import analyze_input

    clip = tmp_path / "knuckles 1.m4a"
    clip.write_bytes(b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + bytes(200))
    with pytest.raises(InputError) as e:
        load_input(clip)
    msg = str(e.value)
    assert msg == f"{clip}: unreadable audio (Invalid data found when processing input)"
    folder = _thrust_session(tmp_path / "s", None)
    events = analyze_input(load_input(folder / "force.csv", audio=clip))
    assert events[-1].n_thrusts == 1                               # the force is analysed without it
    assert f"{msg}; analysed without the audio" in events[-1].warnings


def test_a_session_whose_audio_is_torn_keeps_what_was_read_and_all_the_force(tmp_path):
    """A FLAC cut off half way (a crash while recording): the pop before the tear is found, the
    thrust is measured, and the warning says where the audio ended."""
    from analysis.events import ThrustEvent
    from firmware_bridge.replay import analyze_input

    folder = _thrust_session(tmp_path / "s", None)
    data = (folder / "audio.flac").read_bytes()
    (folder / "audio.flac").write_bytes(data[:len(data) // 2])
    for chunk_s in (1.0, 10.0):                                    # the tear lies inside the first 10 s block
        events = analyze_input(load_input(folder), chunk_s=chunk_s)
        assert [round(e.t_peak, 2) for e in events if isinstance(e, ThrustEvent)] == [2.1]
        pops = [e for e in events if isinstance(e, CavitationEvent)]
        assert [round(e.t, 2) for e in pops] == [2.1] and pops[0].thrust == 0
        torn = [w for w in events[-1].warnings if "audio unreadable after" in w]
        assert len(torn) == 1 and "audio.flac" in torn[0] and "\n" not in torn[0]
        assert 4.0 <= float(torn[0].split("after ")[1].split(" s")[0]) <= 5.0   # half the file's bytes


CRASHING_RECORDER = """
import os, sys
import numpy as np
import soundfile as sf
from firmware_bridge.audio import FlacWriter
x, sr = sf.read(sys.argv[1], dtype="float32")
w = FlacWriter(sys.argv[2], sr, 1, flush_s=0.0)
for i in range(0, len(x), 4800):                     # 100 ms blocks, as the microphone delivers them
    w.write(x[i:i + 4800])
os._exit(0)                                          # killed: the FLAC header never gets its length
"""


def test_a_session_cut_by_a_crash_keeps_its_pops(tmp_path):
    """The recorder is killed while writing audio.flac (power cut, crash): the FLAC's header
    never gets its length. Replay still finds the pop in it and ties it to its thrust, at any
    chunk size, the session has its true length, and the review draws the whole file."""
    import os
    import subprocess
    import sys

    import soundfile as sf

    from analysis.events import ThrustEvent
    from firmware_bridge.replay import analyze_input

    folder = _thrust_session(tmp_path / "s", None)
    clean = tmp_path / "clean.wav"
    sf.write(str(clean), sf.read(str(folder / "audio.flac"), dtype="float32")[0], 48000)
    (folder / "audio.flac").unlink()
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", CRASHING_RECORDER, str(clean), str(folder / "audio.flac")],
                   cwd=root, env=dict(os.environ, PYTHONPATH=str(root)), check=True, timeout=60)
    assert sf.info(str(folder / "audio.flac")).frames > 10 ** 18    # no length: what a crash leaves

    inp = load_input(folder)
    assert inp.duration_s == pytest.approx(10.0, abs=0.1)
    for chunk_s in (1.0, 10.0):
        events = analyze_input(inp, chunk_s=chunk_s)
        assert [round(e.t_peak, 2) for e in events if isinstance(e, ThrustEvent)] == [2.1]
        pops = [e for e in events if isinstance(e, CavitationEvent)]
        assert [round(e.t, 2) for e in pops] == [2.1] and pops[0].thrust == 0
        cut = [w for w in events[-1].warnings if "where its recording was cut" in w]
        assert len(cut) == 1 and cut[0].startswith(f"{folder / 'audio.flac'}: audio ends at 9.9")
        inp.warnings.clear()

    from ui.review.trace import audio_envelope, read_audio_window   # the review draws and zooms it too
    t, v, _ = audio_envelope(folder / "audio.flac")
    assert t.max() > 9.8 and np.abs(v).max() > 0.09                # the pop (0.1 peak) is drawn
    assert abs(len(read_audio_window(folder / "audio.flac", 2.0, 2.2)[1]) - 9600) <= 1


def test_session_audio_is_placed_on_the_force_timeline(tmp_path):
    """A microphone that started 2 s into the recording and whose clock ran 500 ppm fast: the
    pop is reported at its moment on the force timeline, not 2.03 s early."""
    import soundfile as sf

    from firmware_bridge.audio_sim import pop_wave
    from firmware_bridge.replay import analyze_input

    sr, fast = 48000, 48000 * (1 + 500e-6)
    x = np.random.default_rng(3).normal(0, 1e-3, int(70 * sr)).astype(np.float32)
    k = int(round((62.0 - 2.0) * fast))                       # timeline 62.0 s
    w = pop_wave(np.random.default_rng(4), sr)
    x[k:k + len(w)] += (0.1 * w / np.abs(w).max()).astype(np.float32)
    folder = tmp_path / "s"
    w_ = SessionWriter(folder, SessionMeta())
    t = np.arange(0, 75, 0.001)
    w_.append_force(t, np.full(len(t), 5.0))
    sf.write(str(folder / "audio.flac"), x, sr)
    w_.meta.streams["audio"] = {"file": "audio.flac", "rate_hz": sr, "t0_s": 2.0, "rate_measured_hz": fast}
    w_.close(1000.0)

    inp = load_input(folder)
    assert inp.audio_t0_s == 2.0 and inp.audio_rate_hz == pytest.approx(fast)
    pops = [e for e in analyze_input(inp) if isinstance(e, CavitationEvent)]
    assert len(pops) == 1 and pops[0].t == pytest.approx(62.0, abs=1e-3)
    assert inp.duration_s == pytest.approx(75.0, abs=0.01)

    # the same audio given beside the CSV on the command line starts at t = 0
    bare = load_input(folder / "force.csv", audio=folder / "audio.flac")
    assert [e.t for e in analyze_input(bare) if isinstance(e, CavitationEvent)] == pytest.approx([60.03], abs=1e-3)


def test_implausible_audio_rate_is_a_warning_not_a_shift(tmp_path):
    import soundfile as sf

    folder = tmp_path / "s"
    w_ = SessionWriter(folder, SessionMeta())
    w_.append_force(np.arange(0, 2, 0.001), np.ones(2000))
    sf.write(str(folder / "audio.flac"), np.zeros(16000, np.float32), 16000)
    w_.meta.streams["audio"] = {"file": "audio.flac", "rate_hz": 16000, "t0_s": 0.5, "rate_measured_hz": 8000}
    w_.close(1000.0)
    inp = load_input(folder)
    assert inp.audio_rate_hz is None and inp.audio_t0_s == 0.5
    assert any("rate_measured_hz" in w and "nominal" in w for w in inp.warnings)


_json = st.recursive(st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=8),
                     lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
                     max_leaves=8)
_keys = st.sampled_from(["schema_version", "r1_n", "r2_n", "alpha", "target", "sensor", "streams", "gaps",
                         "comments", "complete", "trainee", "created"])


@settings(max_examples=200, deadline=None)
@given(meta=st.one_of(st.binary(max_size=60), st.dictionaries(_keys, _json, max_size=6).map(
           lambda d: json.dumps(d).encode())),
       events=st.lists(st.one_of(_json.map(json.dumps), st.text(max_size=20)), max_size=4))
def test_any_session_json_and_events_open_or_fail_in_one_line(tmp_path_factory, meta, events):
    """Whatever a session folder holds, it opens (with warnings) or fails with one line naming the
    file; replaying it never raises anything else."""
    from firmware_bridge.replay import analyze_input

    d = tmp_path_factory.mktemp("s")
    (d / "force.csv").write_text("t_s,force_n\n0,1\n0.001,2\n0.002,3\n")
    (d / "session.json").write_bytes(meta)
    (d / "events.jsonl").write_text("\n".join(events), encoding="utf-8", errors="replace")
    try:
        inp = load_input(d)
        analyze_input(inp)
    except InputError as e:
        assert "\n" not in str(e) and str(d) in str(e)
    else:
        assert all(isinstance(e, dict) for e in inp.events)


def test_unusable_fields_are_dropped_with_a_warning_and_the_data_kept(tmp_path):
    d = tmp_path / "s"
    d.mkdir()
    (d / "force.csv").write_text("t_s,force_n\n0,1\n0.001,2\n")
    (d / "session.json").write_text(json.dumps({"r1_n": 120, "r2_n": 40, "trainee": ["x"], "streams": "no",
                                                "complete": True}))
    (d / "events.jsonl").write_text('{"type": "cycle"}\n3\n[1]\n')
    s = open_session(d)
    assert s.meta.r1_n is None and s.meta.trainee == "" and len(s.force.t_s) == 2
    assert len(s.events) == 1
    text = " | ".join(s.warnings)
    assert "calibration R1 120 N, R2 40 N is not usable" in text and "trainee" in text and "streams" in text
    assert "events.jsonl:2:" in text and "events.jsonl:3:" in text
    assert "problems" not in s.meta.to_dict()


@pytest.mark.parametrize("meta, said", [
    ({"sensor": {"force_units": []}}, "unknown force units"),
    ({"comments": [{"t_s": "x"}, {"t_s": 1.0, "text": "ok"}]}, "1 comment(s) without a time or text"),
    ({"target": "XII"}, "target 'XII' is not a grade"),
    ({"streams": {"force": {"file": "../elsewhere.csv"}}}, "not a file name"),
])
def test_odd_session_json_values_are_named(tmp_path, meta, said):
    d = tmp_path / "s"
    d.mkdir()
    (d / "force.csv").write_text("t_s,force_n\n0,1\n0.001,2\n")
    (d / "session.json").write_text(json.dumps(meta))
    try:
        s = open_session(d)
    except InputError as e:
        assert said in str(e) and "session.json" in str(e)
    else:
        assert any(said in w for w in s.warnings) and len(s.force.t_s) == 2


def test_repeated_times_are_said_to_not_advance_rather_than_to_go_backwards(tmp_path):
    p = write(tmp_path, "t_s,force_n\n0,1\n0,2\n0,3\n0,4\n0,5\n0,6\n")    # one time only: nothing to spread
    with pytest.raises(InputError) as e:
        read_force_csv(p)
    assert str(e.value).startswith(f"{p}:3: time does not advance (0.0 after 0.0)")


def test_a_single_repeated_line_amid_advancing_times_stays_a_skipped_row(tmp_path):
    rows = [f"{i / 1000:.3f},{i}" for i in range(300)]
    rows.insert(101, rows[100])                              # a line written twice
    p = write(tmp_path, "t_s,force_n\n" + "\n".join(rows) + "\n")
    d = read_force_csv(p)
    assert d.skipped_rows == 1 and d.problems == [f"{p}:103: time does not advance (0.1 after 0.1)"]
    assert d.t_s.tolist() == [i / 1000 for i in range(300)] and not d.notes


def _packet_stamped(n, per_packet, rate_hz=1000.0):
    """Rows t_s,force_n of a regular recording whose samples carry their packet's arrival time."""
    t = np.arange(n) / rate_hz
    stamp = t[(np.arange(n) // per_packet) * per_packet]
    return t, "t_s,force_n\n" + "".join(f"{float(a)!r},{i}\n" for i, a in enumerate(stamp))


@pytest.mark.parametrize("n", [300, 30_000])               # the row-by-row reader; pyarrow's
def test_packet_stamped_samples_are_spread_evenly_between_the_stamps(tmp_path, n):
    t, text = _packet_stamped(n, 30)
    p = write(tmp_path, text)
    d = read_force_csv(p)
    assert d.skipped_rows == 0 and len(d.t_s) == n            # was refused: "time does not advance"
    np.testing.assert_allclose(d.t_s, t, atol=1e-12)          # the last packet at the median interval
    assert d.values.tolist() == list(range(n))
    assert d.notes == [f"{p}: {n - n // 30} of {n} rows share their time with the row before (packet stamps?); "
                       f"spread evenly between them"]


def test_a_packet_stamped_csv_replays_with_one_warning_and_its_skipped_rows_named(tmp_path):
    t, text = _packet_stamped(3000, 3, rate_hz=100.0)          # BLE: 3 samples a packet
    lines = text.splitlines()
    lines[500] = "4.99,abc"
    lines[900] = "1.0,5"                                       # time goes backwards
    p = write(tmp_path, "\n".join(lines) + "\n", "x.csv")
    imu = "t_s,ax_mps2,ay_mps2,az_mps2,gx_rads,gy_rads,gz_rads\n" + "".join(
        f"{np.floor(i / 6) * 0.03:.3f},0,0,9.81,0,0,0\n" for i in range(1200))   # 200 Hz, stamped every 30 ms
    write(tmp_path, imu, "x.imu.csv")
    inp = load_input(p)
    assert len(inp.force.t_s) == 2998 and np.all(np.diff(inp.force.t_s) > 0)
    assert np.allclose(inp.imu.t_s, np.arange(1200) / 200)
    said = [w for w in inp.warnings if "share their time" in w]
    assert said == [f"{p}: 1998 of 3000 rows share their time with the row before (packet stamps?); spread "
                    f"evenly between them",
                    f"{tmp_path / 'x.imu.csv'}: 1000 of 1200 rows share their time with the row before "
                    f"(packet stamps?); spread evenly between them"]
    assert f"2 bad rows skipped (first: {p}:501: non-numeric cell 'abc')" in inp.warnings
    s = tmp_path / "s"
    s.mkdir()
    (s / "force.csv").write_bytes(p.read_bytes())
    assert sum("share their time" in w for w in open_session(s).warnings) == 1


@settings(max_examples=100, deadline=None)
@given(runs=st.lists(st.tuples(st.integers(1, 40), st.sampled_from([0.001, 0.02, 0.03, -0.01, 0.0])),
                     min_size=1, max_size=60),
       bad=st.lists(st.integers(0, 2000), max_size=3), leaf=st.sampled_from([0, 200, 2000]))
def test_fast_reader_spreads_packet_stamps_as_the_row_by_row_reader_does(tmp_path_factory, runs, bad, leaf):
    """Runs of rows sharing a time (of any length, with times also going back, and a few bad rows)
    are read the same by both readers."""
    import firmware_bridge.csv_stream as csv_stream

    lines, t, i = [], 0.0, 0
    for k, step in runs:
        t = round(t + step, 3)
        for _ in range(k):
            lines.append(f"{t!r},{i}")
            i += 1
    for b in bad:
        lines.insert(b % (len(lines) + 1), "x,1")
    raw = ("t_s,force_n\n" + "\n".join(lines) + "\n").encode()
    p = tmp_path_factory.mktemp("csv") / "x.csv"
    with pytest.MonkeyPatch.context() as m:
        m.setattr(csv_stream, "_LEAF_BYTES", leaf)
        assert _outcome(p, raw, fast=True) == _outcome(p, raw, fast=False)
