"""Audio alone given through a pipe (``replay <(cat clip.wav)``, ``cat clip.flac | gradecoach replay
/dev/stdin``) is read once into memory and its pops found as in the file; it was refused ("audio,
read from a pipe or device; save it to a file and give that") before any audio was looked at,
though ``--audio`` beside a force file read the same pipe. A named pipe given by its own name,
audio that libsndfile does not read, and audio beside a second one, stay one line each."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import soundfile as sf

from tests.conftest import ROOT, gc

CLIP = ROOT / "fixtures" / "thrust_pops.flac"      # 13 pops, 3.17–28.24 s, no force


def replay(*args, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "ui.cli", "replay", *map(str, args), "--format", "jsonl"],
                       cwd=ROOT, capture_output=True, timeout=120, **kw)
    return subprocess.CompletedProcess(r.args, r.returncode, r.stdout.decode(), r.stderr.decode())


def in_bash(line: str) -> subprocess.CompletedProcess:
    """``gradecoach replay LINE --format jsonl`` run by bash (for its ``<(…)``)."""
    cmd = f"{shlex.quote(sys.executable)} -m ui.cli replay {line} --format jsonl"
    return subprocess.run(["bash", "-c", cmd], cwd=ROOT, capture_output=True, text=True, timeout=120)


def pops(r: subprocess.CompletedProcess) -> list[dict]:
    """The pop events and the summary replay wrote (all it writes on standard output)."""
    assert r.returncode == 0, r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert out[-1]["type"] == "summary" and {e["type"] for e in out[:-1]} == {"cavitation"}
    return out


@pytest.fixture(scope="module")
def wav(tmp_path_factory) -> Path:
    """The fixture's sound as a 16-bit WAV, as a phone or a sound recorder saves it."""
    x, sr = sf.read(str(CLIP), dtype="float32")
    path = tmp_path_factory.mktemp("clip") / "clip.wav"
    sf.write(str(path), x, sr, subtype="PCM_16")
    return path


@pytest.fixture(scope="module")
def from_files(wav) -> dict:
    """What replay writes of each file (in this process: no pipe to it)."""
    return {path.suffix: pops(gc("replay", path, "--format", "jsonl")) for path in (CLIP, wav)}


def clip(kind: str, wav: Path) -> Path:
    return CLIP if kind == ".flac" else wav


# each way through a pipe with one of the formats (a pipe's bytes are read into memory the same
# way whatever they hold): FLAC on standard input, WAV by <(…) and by a named pipe
@pytest.mark.parametrize("kind", [".wav"])
def test_audio_alone_through_process_substitution_has_the_files_pops(kind, wav, from_files):
    r = in_bash(f"<(cat {shlex.quote(str(clip(kind, wav)))})")
    assert pops(r) == from_files[kind]
    assert from_files[kind][-1]["n_cavitations"] == 13
    assert r.stderr == ""


@pytest.mark.parametrize("kind", [".flac"])
def test_audio_alone_piped_into_standard_input_has_the_files_pops(kind, wav, from_files):
    r = replay("/dev/stdin", input=clip(kind, wav).read_bytes())
    assert pops(r) == from_files[kind]
    assert r.stderr == ""


def test_audio_alone_from_a_named_pipe_on_standard_input_has_the_files_pops(tmp_path, wav, from_files):
    fifo = tmp_path / "clip.fifo"
    os.mkfifo(fifo)

    def write():
        with open(fifo, "wb") as fh:
            fh.write(wav.read_bytes())
    t = threading.Thread(target=write, daemon=True)
    t.start()
    with open(fifo, "rb") as stdin:
        r = replay("/dev/stdin", stdin=stdin)
    t.join(10)
    assert pops(r) == from_files[".wav"]


def test_a_damaged_phone_recording_through_a_pipe_is_one_line():
    r = replay("/dev/stdin", input=b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + bytes(200))
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == ["gradecoach: error: /dev/stdin: unreadable audio (Invalid data found when "
                                     "processing input)"]


def test_a_torn_wav_header_through_a_pipe_is_one_line(wav):
    r = replay("/dev/stdin", input=wav.read_bytes()[:30])
    assert (r.returncode, r.stdout) == (2, "")
    [line] = r.stderr.splitlines()
    assert line.startswith("gradecoach: error: /dev/stdin: ") and "Traceback" not in r.stderr


def test_audio_through_a_pipe_and_audio_beside_it_is_one_line(wav):
    r = replay("/dev/stdin", "--audio", wav, input=CLIP.read_bytes())
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: two audio inputs, /dev/stdin and --audio {wav}: give "
                                     f"one (--audio adds audio to a force CSV, or replaces a session folder's own)"]
