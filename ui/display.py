"""Whether a window can be shown: a display named in the environment that also answers.

Qt's xcb platform aborts the whole process (a core dump, no message) when ``DISPLAY`` names an
X server that is gone — an SSH session's forwarded display after the session ended, a desktop
logged out. Probing the server's socket first turns that into one line, or the headless path.
"""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path

X_TCP_PORT = 6000           # X11 display N listens on TCP port 6000 + N
PROBE_TIMEOUT_S = 1.0


def _x_answers(display: str) -> bool:
    m = re.fullmatch(r"(?:(.*?)/)?([^:/]*):(\d+)(?:\.\d+)?", display)
    if m is None:
        return False
    host, n = m.group(2), int(m.group(3))
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{n}"
        for addr in ("\0" + path, path):          # Linux's abstract socket first, then the file
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(PROBE_TIMEOUT_S)
                try:
                    s.connect(addr)
                    return True
                except OSError:
                    continue
        if host == "unix":
            return False
        host = "localhost"
    try:
        with socket.create_connection((host, X_TCP_PORT + n), timeout=PROBE_TIMEOUT_S):
            return True
    except OSError:
        return False


def _wayland_answers(name: str) -> bool:
    path = Path(name) if name.startswith("/") else Path(os.environ.get("XDG_RUNTIME_DIR", "/nonexistent")) / name
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(PROBE_TIMEOUT_S)
        try:
            s.connect(str(path))
            return True
        except OSError:
            return False


def no_display(window: str) -> str | None:
    """None when ``window`` can be shown (or ``QT_QPA_PLATFORM`` chooses Qt's platform, which is
    then trusted), else one line: "no display for WINDOW", and why when a display is named but
    does not answer."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return None
    wayland, x = os.environ.get("WAYLAND_DISPLAY"), os.environ.get("DISPLAY")
    if wayland and _wayland_answers(wayland):
        return None
    if x and _x_answers(x):
        return None
    if not wayland and not x:
        return f"no display for {window}"
    named = " or ".join(f"{k}={v}" for k, v in (("WAYLAND_DISPLAY", wayland), ("DISPLAY", x)) if v)
    return f"no display for {window} ({named} does not answer: a closed SSH session or a logged-out desktop?)"
