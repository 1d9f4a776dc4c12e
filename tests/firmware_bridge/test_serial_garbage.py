"""A port that sends bytes but no samples (noise, a wrong baud rate, a device printing text) is
not said to send nothing: ``record`` names the bytes that came and what to check, in one line.
Through a real pseudo-terminal; the bytes are written while ``record`` waits for data."""

from __future__ import annotations

import os
import random
import threading
import tty

import pytest

from ui.cli import main


def noise(rng: random.Random, k: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(200))


def text(rng: random.Random, k: int) -> bytes:
    return b"Ready. Press the button to start\r\n" * 4      # a sketch printing prose, not numbers


@pytest.mark.parametrize("make", [noise, text])
def test_bytes_without_samples_are_named_with_the_baud_rate_to_check(make, tmp_path, capsys):
    master, slave = os.openpty()
    tty.setraw(slave)
    os.set_blocking(master, False)
    port = os.ttyname(slave)
    stop = threading.Event()

    def send():
        rng, k = random.Random(1), 0
        while not stop.wait(0.01):
            try:
                os.write(master, make(rng, k))
                os.read(master, 4096)               # the host's identify/start, unanswered
            except (BlockingIOError, OSError):
                pass
            k += 1

    th = threading.Thread(target=send, daemon=True)
    th.start()
    try:
        rc = main(["record", "--device", f"serial:{port}", "--out", str(tmp_path / "sess")])
    finally:
        stop.set()
        th.join(5)
        os.close(master)
        os.close(slave)
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1, err
    assert err[0].startswith(f"gradecoach: error: serial:{port}: ") and "bytes in 5 s but no samples" in err[0]
    assert "115200 baud" in err[0] and "serial:PORT@BAUD" in err[0]
    assert not (tmp_path / "sess").exists()
