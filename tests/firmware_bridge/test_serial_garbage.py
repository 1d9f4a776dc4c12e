"""A port that sends bytes but no samples (noise, a wrong baud rate, a device printing text) is
not said to send nothing: ``record`` names the bytes that came and what to check, in one line.
Through a real pseudo-terminal; the bytes are written while ``record`` waits for data."""

from __future__ import annotations

import random

import pytest

from tests.conftest import pty_device
from ui.cli import main


def noise(rng: random.Random, k: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(200))


def text(rng: random.Random, k: int) -> bytes:
    return b"Ready. Press the button to start\r\n" * 4      # a sketch printing prose, not numbers


@pytest.mark.parametrize("make", [noise, text])
def test_bytes_without_samples_are_named_with_the_baud_rate_to_check(make, tmp_path, capsys):
    rng = random.Random(1)
    with pty_device(lambda k: make(rng, k)) as port:
        rc = main(["record", "--device", f"serial:{port}", "--out", str(tmp_path / "sess")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1, err
    assert err[0].startswith(f"gradecoach: error: serial:{port}: ") and "bytes in 5 s but no samples" in err[0]
    assert "115200 baud" in err[0] and "serial:PORT@BAUD" in err[0]
    assert not (tmp_path / "sess").exists()
