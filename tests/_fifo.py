"""A FIFO fed with a file's bytes, for replay through a pipe."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def fifo_of(tmp_path: Path, name: str, data: bytes) -> tuple[Path, threading.Thread]:
    """A FIFO named ``name`` that a thread writes ``data`` into once it is opened (a reader that
    opens it a second time waits for a writer that never comes)."""
    path = tmp_path / name
    os.mkfifo(path)

    def write():
        try:
            with open(path, "wb") as fh:
                fh.write(data)
        except BrokenPipeError:                    # (the reader stopped reading: its error is checked)
            pass

    t = threading.Thread(target=write, daemon=True)
    t.start()
    return path, t
