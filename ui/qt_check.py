"""Qt loads, or one line saying why not: a command that draws calls :func:`require_qt` first.

A system library Qt needs that is missing or broken (GLib, EGL, fontconfig …) made each of them end
in a different traceback, or in pyqtgraph's "requires one of PyQt5, PyQt6, PySide2 or PySide6",
which hides the library. The error names the library and the system package to install, as
scripts/setup.sh (./run) installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from analysis.errors import GradecoachError

# the libraries Qt loads even offscreen, and their Debian/Ubuntu packages ("a|b": Debian 13 and
# Ubuntu 24.04 call it a, older releases b), as scripts/setup.sh lists them
LIBRARY_PACKAGES = {
    "libglib-2.0.so": "libglib2.0-0t64|libglib2.0-0",
    "libgthread-2.0.so": "libglib2.0-0t64|libglib2.0-0",
    "libEGL.so": "libegl1",
    "libGL.so": "libgl1",
    "libOpenGL.so": "libopengl0",
    "libfontconfig.so": "libfontconfig1",
    "libxkbcommon.so": "libxkbcommon0",
    "libdbus-1.so": "libdbus-1-3",
}


class QtUnavailable(GradecoachError, ImportError):
    """Qt (PySide6, pyqtgraph) cannot be imported; ``str(err)`` is one line. An ImportError too,
    so code that does without Qt when it is missing goes on doing so."""


def require_qt() -> None:
    """Import what every window needs (PySide6's QtCore and QtGui, pyqtgraph), or raise
    :class:`QtUnavailable` naming the library that failed and the package that brings it."""
    try:
        import PySide6.QtCore  # noqa: F401
        import PySide6.QtGui  # noqa: F401
        import pyqtgraph  # noqa: F401
    except ModuleNotFoundError as e:
        if e.name and e.name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"):
            raise QtUnavailable(f"Qt cannot be loaded ({e}); run ./run, which installs the Python "
                                f"packages into .venv") from None
        raise
    except (ImportError, OSError) as e:
        raise QtUnavailable(qt_message(str(e))) from None


def qt_message(error: str) -> str:
    """The one line for a Qt import that failed with ``error`` (the loader's message)."""
    detail = re.sub(r"\S*/(lib[^/\s:]+)", r"\1", error.splitlines()[0] if error else "").strip()
    lib = re.search(r"lib[\w.+-]*?\.so", detail)
    wanted = [p for k, p in LIBRARY_PACKAGES.items() if lib and lib.group(0) == k]
    names = _apt_names(wanted or sorted(set(LIBRARY_PACKAGES.values())))
    return (f"Qt cannot be loaded ({detail}); install the system packages ./run installs "
            f"(sudo apt-get install {' '.join(names)})")


def _apt_names(alternatives: list[str]) -> list[str]:
    """For each "a|b", the first name apt has a version of, else the last (older) name."""
    def known(name: str) -> bool:
        if shutil.which("apt-cache") is None:
            return False
        try:
            out = subprocess.run(["apt-cache", "policy", name], capture_output=True, text=True, timeout=10,
                                 env={**os.environ, "LC_ALL": "C"}).stdout
        except (OSError, subprocess.SubprocessError):
            return False
        return re.search(r"Candidate: [^(]", out) is not None

    chosen = []
    for alts in alternatives:
        names = alts.split("|")
        chosen.append(next((n for n in names[:-1] if known(n)), names[-1]))
    return chosen
