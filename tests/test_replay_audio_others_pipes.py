"""Audio given through a pipe beside force data (``--audio <(cat clip.flac)``, ``--audio /dev/stdin``
fed by another program or by a named pipe) is read once into memory and analysed as the file is;
it was refused as unreadable audio ("Format not recognised"). A named pipe given by its own name,
which a second reader would wait on for ever, and more than 64 MiB through a pipe, are one line
each, and the force is analysed without the audio."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests._cli_in_process import gc_in_process
from tests.conftest import ROOT

FIX = ROOT / "fixtures"
CLIP = FIX / "thrust_pops.flac"
FORCE = FIX / "thrust_pops.csv"
ARGS = ["replay", str(FORCE), "--r1", "40", "--r2", "120", "--format", "jsonl"]


def summary(r: subprocess.CompletedProcess) -> dict:
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout.splitlines()[-1])
    assert s["type"] == "summary"
    return s


def pops(s: dict) -> list:
    return [t["pops"] for t in s["thrusts"]]


_FROM_FILE: dict = {}


@pytest.fixture
def from_file(capfd) -> dict:
    """The summary of the replay with the clip given as its file (run once, in this process: the
    file is what the pipes are compared with)."""
    if not _FROM_FILE:
        _FROM_FILE.update(summary(gc_in_process(capfd, *ARGS, "--audio", str(CLIP))))
    return _FROM_FILE


def writer(path: Path, data: bytes) -> threading.Thread:
    """A thread that writes ``data`` into the named pipe ``path`` once a reader opens it."""
    def write():
        try:
            with open(path, "wb") as fh:
                fh.write(data)
        except BrokenPipeError:
            pass
    t = threading.Thread(target=write, daemon=True)
    t.start()
    return t


def test_audio_through_a_shell_process_substitution_is_analysed_as_the_file_is(from_file):
    cmd = " ".join([sys.executable, "-m", "ui.cli", *ARGS, "--audio", f"<(cat {CLIP})"])
    r = subprocess.run(["bash", "-c", cmd], cwd=ROOT, capture_output=True, text=True, timeout=120)
    s = summary(r)
    assert pops(s) == pops(from_file) == [4, 1, 2, 0, 2, 4]
    assert s["n_cavitations"] == from_file["n_cavitations"] and s["spans_s"] == from_file["spans_s"]
    assert "unreadable" not in r.stderr


def piped(data: bytes) -> subprocess.CompletedProcess:
    """``replay FORCE --audio /dev/stdin`` with ``data`` written into its standard input."""
    r = subprocess.run([sys.executable, "-m", "ui.cli", *ARGS, "--audio", "/dev/stdin"], cwd=ROOT, input=data,
                       capture_output=True, timeout=120)
    return subprocess.CompletedProcess(r.args, r.returncode, r.stdout.decode(), r.stderr.decode())


def test_audio_piped_into_standard_input_is_analysed_as_the_file_is(from_file):
    s = summary(piped(CLIP.read_bytes()))
    assert pops(s) == pops(from_file) and s["n_cavitations"] == from_file["n_cavitations"]


def test_audio_from_a_named_pipe_on_standard_input_is_analysed_as_the_file_is(tmp_path, from_file):
    fifo = tmp_path / "clip.fifo"
    os.mkfifo(fifo)
    t = writer(fifo, CLIP.read_bytes())
    with open(fifo, "rb") as stdin:
        r = subprocess.run([sys.executable, "-m", "ui.cli", *ARGS, "--audio", "/dev/stdin"], cwd=ROOT,
                           stdin=stdin, capture_output=True, text=True, timeout=120)
    t.join(10)
    s = summary(r)
    assert pops(s) == pops(from_file) and s["n_cavitations"] == from_file["n_cavitations"]


def test_a_named_pipe_given_by_name_is_one_line_and_the_force_is_analysed(tmp_path, capfd):
    fifo = tmp_path / "clip.fifo"
    os.mkfifo(fifo)
    t = writer(fifo, CLIP.read_bytes())
    try:
        # it waited for ever: read once to be judged, then opened again for each chunk (in this
        # process, a wait for ever that the tests' timeout fails)
        r = gc_in_process(capfd, *ARGS, "--audio", str(fifo))
    finally:
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))     # (lets a writer still waiting go)
        t.join(10)
    s = summary(r)
    assert s["n_thrusts"] == 6 and all(p is None for p in pops(s))
    said = [w for w in s["warnings"] if str(fifo) in w]
    assert said == [f"{fifo}: a named pipe (read once, it cannot be read again); give it as <(cat {fifo}) or "
                    f"save it to a file; analysed without the audio"], s["warnings"]
    assert "Traceback" not in r.stderr


def test_more_than_64_mib_of_audio_through_a_pipe_is_one_line_and_the_force_is_analysed():
    head = CLIP.read_bytes()
    s = summary(piped(head + bytes((64 << 20) + 1 - len(head))))
    assert s["n_thrusts"] == 6 and all(x is None for x in pops(s))
    assert [w for w in s["warnings"] if "/dev/stdin" in w] == [
        "/dev/stdin: more than 64 MiB of audio through a pipe; save it to a file and give that; analysed "
        "without the audio"]


def test_nothing_through_the_pipe_is_one_line():
    s = summary(piped(b""))
    assert [w for w in s["warnings"] if "/dev/stdin" in w] == [
        "/dev/stdin: no audio came through the pipe (0 bytes); analysed without the audio"]


def test_a_device_given_as_audio_is_one_line_at_once():
    # it was "unreadable audio (Error opening '/dev/zero': Format not recognised.)"
    from firmware_bridge.replay import load_input
    inp = load_input(FORCE, "/dev/zero")
    assert inp.audio_path is None and inp.force is not None
    assert inp.warnings == ["/dev/zero: a device, not an audio file; analysed without the audio"]


def test_a_terminal_on_standard_input_is_one_line_not_a_wait_for_typing():
    master, slave = os.openpty()
    try:
        r = subprocess.run([sys.executable, "-m", "ui.cli", *ARGS, "--audio", "/dev/stdin"], cwd=ROOT, stdin=slave,
                           capture_output=True, text=True, timeout=60)
    finally:
        os.close(slave)
        os.close(master)
    s = summary(r)
    assert [w for w in s["warnings"] if "/dev/stdin" in w] == [
        "/dev/stdin: a terminal, not audio; send the audio into it (< clip.wav) or give its file; analysed "
        "without the audio"]


def test_a_screenshot_with_audio_through_a_pipe_is_the_one_with_the_file(tmp_path):
    shots = []
    for given in (str(CLIP), f"<(cat {CLIP})"):
        png = tmp_path / f"shot{len(shots)}.png"
        args = ["screenshot", "--replay", str(FORCE), "--audio", given, "--at", "4", "-o", str(png)]
        # (each in a fresh process: in this one, after other tests' windows, Qt drew the grade's
        # large glyph a few pixels differently, and the two were compared byte for byte)
        r = subprocess.run(["bash", "-c", " ".join([sys.executable, "-m", "ui.cli", *args])], cwd=ROOT,
                           capture_output=True, text=True, timeout=120,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert r.returncode == 0 and "warning" not in r.stderr, r.stderr
        shots.append(png.read_bytes())
    assert shots[0] == shots[1]
