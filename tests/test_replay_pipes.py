"""A CSV given through a pipe or a FIFO (``replay <(cat x.csv)``) is read once and told from what
was read: its first line was read to tell force from IMU, then the CSV reader read the rest, and
said "missing header; expected t_s,force_n, found '0000,1.5635'". A device that never ends
(/dev/zero) is one line and exit 2 at once: its first line was read until the memory ran out."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests._fifo import fifo_of
from tests.conftest import gc

ROOT = Path(__file__).resolve().parents[1]


def program(*args, timeout: float = 60) -> subprocess.CompletedProcess:
    """``gradecoach ARGS`` as a program, its address space held to 2 GiB (a reader that never stops
    fails instead of taking the machine's memory): for what has no end. What has one runs in the
    test's own process (``gc``)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    return subprocess.run([sys.executable, "-m", "ui.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, preexec_fn=limit)


def summary(r: subprocess.CompletedProcess) -> dict:
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.splitlines()[-1])
    assert out["type"] == "summary"
    return out


def oscillations(header: str, t_scale: float = 1.0, f_scale: float = 1.0) -> bytes:
    t = np.arange(0.0, 3.0, 0.002)
    rows = "".join(f"{a * t_scale:.6f},{b * f_scale:.4f}\n" for a, b in zip(t, 60 + 8 * np.sin(2 * np.pi * 2 * t)))
    return (header + "\n" + rows).encode()


@pytest.mark.parametrize("header,t_scale,f_scale", [("t_s,force_n", 1.0, 1.0),
                                                    ("t_ms,force_kgf", 1000.0, 1 / 9.80665)])
def test_a_csv_through_a_fifo_is_analysed_as_the_file_is(tmp_path, header, t_scale, f_scale):
    data = oscillations(header, t_scale, f_scale)
    (tmp_path / "x.csv").write_bytes(data)
    fifo, writer = fifo_of(tmp_path, "piped", data)
    piped = summary(gc("replay", fifo, "--format", "jsonl"))
    writer.join(5)
    assert piped["n_cycles"] == 5
    assert piped == summary(gc("replay", tmp_path / "x.csv", "--format", "jsonl"))


def test_an_imu_csv_through_a_fifo_is_read_as_an_imu(tmp_path):
    t = np.arange(0.0, 2.0, 0.01)
    data = ("t_s,ax_mps2,ay_mps2,az_mps2\n" + "".join(f"{a:.3f},0,0,9.81\n" for a in t)).encode()
    fifo, writer = fifo_of(tmp_path, "imu", data)
    r = gc("replay", fifo, "--format", "jsonl")
    writer.join(5)
    s = summary(r)
    assert list(s["spans_s"]) == ["imu"]
    assert f"gradecoach: warning: {fifo}: no gyroscope columns" in r.stderr


def test_audio_through_a_fifo_is_one_line(tmp_path):
    """A named pipe given by its name cannot be opened again for each chunk of audio (a second
    reader waits for ever); given on standard input or as ``<(cat …)`` it is read (next test)."""
    sf.write(str(tmp_path / "a.wav"), np.zeros(16000, "float32"), 16000)
    fifo, writer = fifo_of(tmp_path, "sound", (tmp_path / "a.wav").read_bytes())
    r = gc("replay", fifo)
    writer.join(5)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {fifo}: a named pipe (read once, it cannot be read "
                                     f"again); give it as <(cat {fifo}) or save it to a file"]


def replay_stdin_of_written_fifo(tmp_path: Path, data: bytes) -> subprocess.CompletedProcess:
    """``replay /dev/stdin --format jsonl`` with a FIFO on its standard input that ``data`` (less
    than a pipe holds) was written into and whose writer has gone: reading /dev/stdin by its name
    opened the FIFO again, and waited for ever for a writer."""
    fifo = tmp_path / "stdin.fifo"
    os.mkfifo(fifo)
    rd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with open(fifo, "wb") as fh:
            fh.write(data)
        os.set_blocking(rd, True)
        return subprocess.run([sys.executable, "-m", "ui.cli", "replay", "/dev/stdin", "--format", "jsonl"],
                              stdin=rd, capture_output=True, text=True, cwd=ROOT, timeout=30)
    finally:
        os.close(rd)


def test_a_csv_through_a_fifo_on_standard_input_is_analysed_as_the_file_is(tmp_path):
    data = oscillations("t_s,force_n")
    (tmp_path / "x.csv").write_bytes(data)
    assert len(data) < 60000                                  # (all of it fits in the pipe)
    assert summary(replay_stdin_of_written_fifo(tmp_path, data)) == \
        summary(gc("replay", tmp_path / "x.csv", "--format", "jsonl"))


@pytest.mark.parametrize("given", ["stdin", "process substitution"])
def test_audio_through_a_fifo_on_standard_input_or_substituted_is_analysed(tmp_path, given):
    room = np.random.default_rng(1).normal(0.0, 1e-3, 16000).astype("float32")      # 1 s of a quiet room
    sf.write(str(tmp_path / "a.wav"), room, 16000, subtype="PCM_16")
    if given == "stdin":
        r = replay_stdin_of_written_fifo(tmp_path, (tmp_path / "a.wav").read_bytes())
    else:
        fifo, writer = fifo_of(tmp_path, "sound", (tmp_path / "a.wav").read_bytes())
        r = subprocess.run(["bash", "-c", f"{sys.executable} -m ui.cli replay <(cat {fifo}) --format jsonl"],
                           capture_output=True, text=True, cwd=ROOT, timeout=30)
        writer.join(5)
    s = summary(r)
    assert s == summary(gc("replay", tmp_path / "a.wav", "--format", "jsonl"))
    assert (s["n_cavitations"], s["duration_s"], s["warnings"]) == (0, 0.999938, [])   # (16000 samples at 16 kHz)


def test_more_than_64_mib_through_a_fifo_is_one_line(tmp_path):
    fifo, writer = fifo_of(tmp_path, "big", b"t_s,force_n\n" + b"0.5,1\n" * ((64 << 20) // 6 + 1))
    r = program("replay", fifo, timeout=30)
    writer.join(5)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {fifo}: more than 64 MiB through a pipe; save it to a "
                                     f"file and give that"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_dev_zero_is_refused_in_one_line_at_once():
    r = program("replay", "/dev/zero", timeout=20)
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["gradecoach: error: /dev/zero: a device that gives data without end, "
                                     "not a CSV file"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_dev_zero_named_as_audio_is_not_called_a_csv(tmp_path):
    z = tmp_path / "z.wav"
    z.symlink_to("/dev/zero")
    r = program("replay", z, timeout=20)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {z}: a device that gives data without end, "
                                     "not an audio file"]
