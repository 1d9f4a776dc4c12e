"""An Ogg recording (Vorbis or Opus) torn by a crash is read up to the tear with a warning
saying where it ends, as a torn WAV or FLAC is.

Replays run in this process (``gc_in_process``): they are about what replay says; one, the torn
file alone, also runs as a program of its own (its exit status and stderr as a shell has them)."""

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from firmware_bridge.session import write_force_csv
from tests._cli_in_process import gc_in_process
from tests.conftest import gc


def _ogg(path: Path, subtype: str) -> bytes:
    """10 s of quiet noise as an Ogg file; its bytes."""
    x = np.random.default_rng(5).normal(0, 0.01, 10 * 48000).astype(np.float32)
    sf.write(str(path), x, 48000, format="OGG", subtype=subtype)
    return path.read_bytes()


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    """For each subtype, the whole Ogg file and its bytes; and a force.csv with one thrust at 2.1 s."""
    folder = tmp_path_factory.mktemp("ogg")
    out = {}
    for subtype in ("VORBIS", "OPUS"):
        whole = folder / f"whole-{subtype.lower()}.ogg"
        out[subtype] = (whole, _ogg(whole, subtype))
    force = folder / "force.csv"
    t = np.arange(0, 10, 0.001)
    write_force_csv(force, t, 100.0 + 400.0 * np.exp(-0.5 * ((t - 2.1) / 0.04) ** 2))
    out["force"] = force
    return out


def _cut_warnings(r: subprocess.CompletedProcess, clip: Path) -> list[str]:
    return [ln for ln in r.stderr.splitlines() if str(clip) in ln]


@pytest.mark.parametrize("subtype", ["VORBIS", "OPUS"])
@pytest.mark.parametrize("where", ["inside a page", "between pages"])
def test_a_torn_ogg_warns_where_its_audio_ends_alone_and_beside_force(tmp_path, subtype, where, made, capfd):
    whole, data = made[subtype]
    clip = tmp_path / "torn.ogg"
    half = len(data) // 2
    clip.write_bytes(data[:half] if where == "inside a page" else data[:data.rfind(b"OggS", 0, half)])
    with sf.SoundFile(str(clip)) as f:
        read_s = len(f.read()) / 48000
    assert 1 < read_s < 9

    # (the first case as a program of its own: its exit status and stderr as a shell has them)
    first = (subtype, where) == ("VORBIS", "inside a page")
    r = gc("replay", clip) if first else gc_in_process(capfd, "replay", clip)
    assert r.returncode == 0, r.stderr
    why = "is cut off" if where == "inside a page" else "has no end-of-stream mark"
    said = f"{clip}: audio ends at {read_s:.2f} s, where the file was cut (its last Ogg page {why})"
    assert _cut_warnings(r, clip) == [f"gradecoach: warning: {said}"]

    r = gc_in_process(capfd, "replay", made["force"], "--audio", clip, "--r1", 40, "--r2", 120)
    assert r.returncode == 0, r.stderr
    assert _cut_warnings(r, clip) == [f"gradecoach: warning: {said}"]
    assert '"n_thrusts": 1' in r.stdout

    r = gc_in_process(capfd, "replay", whole)                        # a whole file: nothing to say
    assert r.returncode == 0 and str(whole) not in r.stderr
