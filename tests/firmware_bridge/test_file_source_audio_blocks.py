"""A played recording's audio is read in blocks as playback reaches it, never whole: opening a
session folder with a two-hour 48 kHz FLAC took 29.5 s and 6.6 GiB (the samples and a float64
time for each); the chunks it hands out are those the whole file gave, sample for sample and time
for time, cut where they were cut."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import soundfile as sf

from firmware_bridge.replay import load_input
from firmware_bridge.session import SessionMeta, SessionWriter, read_force_csv
from firmware_bridge.sources import ArraySource, FileSource, Pacer

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


class _Clock:
    """A clock each sleep moves on by ``step_s`` at least (no real time passes)."""

    def __init__(self, step_s: float) -> None:
        self.t, self.step_s = 100.0, step_s

    def __call__(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.t += max(s, self.step_s)


def _session(folder: Path, audio: np.ndarray, rate: int, t0_s: float, measured_hz: float | None) -> Path:
    sd = read_force_csv(FIXTURES / "thrust_pops.csv")
    w = SessionWriter(folder, SessionMeta(trainee="anna"))
    w.append_force(sd.t_s, sd.values)
    w.close(sd.rate_hz)
    sf.write(str(folder / "audio.flac"), audio, rate, subtype="PCM_24")
    m = json.loads((folder / "session.json").read_text())
    m["streams"]["audio"] = {"file": "audio.flac", "rate_hz": rate, "channels": audio.shape[1], "t0_s": t0_s,
                             **({"rate_measured_hz": measured_hz} if measured_hz else {})}
    (folder / "session.json").write_text(json.dumps(m))
    return folder


def _pacer(step_s: float) -> Pacer:
    c = _Clock(step_s)
    return Pacer(1.0, c, c.sleep)


def _played(src) -> list:
    src.open()
    out = []
    while not src.exhausted:
        out += [c for c in src.read(0.05) if c.stream == "audio"]
    src.close()
    return out


def test_the_chunks_are_those_of_the_whole_file(tmp_path):
    a, rate = sf.read(str(FIXTURES / "thrust_pops.flac"), dtype="float32", always_2d=True)
    stereo = np.column_stack([a[:, 0], 0.5 * a[:, 0]])
    # audio starting before the force, at a measured rate off the file's: times not on a round grid
    folder = _session(tmp_path / "s", stereo, rate, -0.3137, rate * 1.0002)
    inp = load_input(folder)
    whole_a, _ = sf.read(str(inp.audio_path), dtype="float32", always_2d=True)
    whole_t = inp.audio_times(np.arange(len(whole_a)), rate)
    for step_s in (0.0123, 0.5):                        # chunks of a few ms, and of half a second
        got = _played(FileSource(str(folder), pacer=_pacer(step_s)))
        ref_src = ArraySource({"audio": (whole_t, whole_a)}, pacer=_pacer(step_s))
        ref_src.audio_rate_hz = float(rate)
        ref_src.open()
        # (the whole file's chunks, as before: the file source starts at its first data, the force's)
        ref_src._t_next = min(float(whole_t[0]), float(inp.force.t_s[0]))
        ref_src.pacer.start(ref_src._t_next)
        ref = []
        while not ref_src.exhausted:
            ref += ref_src.read(0.05)
        assert len(got) == len(ref) > 10
        for g, r in zip(got, ref):
            assert g.seq0 == r.seq0 and g.rate_hz == r.rate_hz == rate
            assert np.array_equal(g.t_s, r.t_s) and g.t_s.dtype == np.float64
            assert np.array_equal(g.values, r.values) and g.values.dtype == np.float32 and g.values.shape[1] == 2
        assert sum(len(g) for g in got) == len(whole_a)


def test_a_torn_file_plays_up_to_its_tear(tmp_path):
    """A FLAC cut part way (a crash while recording) plays up to where it decodes, as it did."""
    a, rate = sf.read(str(FIXTURES / "thrust_pops.flac"), dtype="float32", always_2d=True)
    folder = _session(tmp_path / "s", a, rate, 0.0, None)
    raw = (folder / "audio.flac").read_bytes()
    (folder / "audio.flac").write_bytes(raw[:len(raw) * 2 // 3])
    with sf.SoundFile(str(folder / "audio.flac")) as f:
        from firmware_bridge.replay import read_span
        whole = read_span(f, 0)
    assert 0 < len(whole) < len(a)
    got = _played(FileSource(str(folder), pacer=_pacer(0.25)))
    assert np.array_equal(np.concatenate([g.values for g in got]), whole)


_PLAY = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[2])
    from firmware_bridge.sources import FileSource, Pacer

    class Clock:
        t = 0.0
        def __call__(self):
            return self.t
        def sleep(self, s):
            self.t += max(s, 5.0)

    c = Clock()
    src = FileSource(sys.argv[1], pacer=Pacer(1.0, c, c.sleep))
    src.open()
    n = 0
    while not src.exhausted:
        n += sum(len(k) for k in src.read(0.1) if k.stream == "audio")
    src.close()
    # (VmHWM, this program's own peak: ru_maxrss keeps a forking parent's, a test runner's, across exec)
    hwm = next(int(ln.split()[1]) for ln in open("/proc/self/status") if ln.startswith("VmHWM:"))
    print(n, hwm // 1024)
""")


def test_a_long_recording_plays_in_bounded_memory(tmp_path):
    """20 minutes of 48 kHz sound played to its end: read whole, the process took 1247 MiB at its
    peak; in blocks, 157 MiB (most of it numpy, scipy and the force data)."""
    a, rate = sf.read(str(FIXTURES / "thrust_pops.flac"), dtype="float32", always_2d=True)
    from scipy.signal import resample_poly
    pops = resample_poly(a, 48000 // rate, 1, axis=0).astype(np.float32)
    folder = _session(tmp_path / "long", pops, 48000, 0.0, None)
    frames = 20 * 60 * 48000
    with sf.SoundFile(str(folder / "audio.flac"), "w", 48000, 1, subtype="PCM_24") as f:
        f.write(pops)
        quiet = np.zeros((48000 * 30, 1), np.float32)
        for k in range(len(pops), frames, len(quiet)):
            f.write(quiet[:frames - k])
    out = subprocess.run([sys.executable, "-c", _PLAY, str(folder), str(ROOT)], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    n, peak_mib = map(int, out.stdout.split())
    assert n == frames
    assert peak_mib < 400, f"peak resident memory {peak_mib} MiB"
