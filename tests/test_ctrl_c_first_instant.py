"""Ctrl-C in a command's first instant, while the installed ``gradecoach`` program is still loading
the package's modules (before the command has any), ends it quietly with status 130, as later:
never a KeyboardInterrupt traceback.

The program is run as the installed console script is: a script named ``gradecoach`` that imports
the entry point of pyproject.toml and exits with what it returns. A press before the package's
first line runs (Python's own start-up, the script's import statement looking the package up)
is beyond what the package can catch and is not tested."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import tomllib

import pytest

from tests.conftest import ROOT

COMMAND = "emulate"             # (runs until Ctrl-C: a press it did not take would leave it running)
COMMAND_MODULE = "ui.cmd_emulate"


def _entry() -> tuple[str, str]:
    module, attr = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]["gradecoach"].split(":")
    return module, attr


def _console_script(folder, before: str = ""):
    """The program as the installer writes it for pyproject.toml's entry point, named
    ``gradecoach``, with ``before`` put before its lines."""
    module, attr = _entry()
    script = folder / "gradecoach"
    script.write_text(before + f"import sys\nfrom {module} import {attr}\n"
                      "if __name__ == '__main__':\n"
                      f"    sys.exit({attr}())\n")
    return script


def _run(script, *args, prefix: list[str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *(prefix or []), str(script), *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen"),
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _ended(p: subprocess.Popen) -> tuple[str, str]:
    try:
        return p.communicate(timeout=60)
    finally:
        if p.poll() is None:            # (a press it lost: emulate still runs)
            p.kill()
            p.communicate()


# Put before the console script's lines: a Ctrl-C pressed on the program itself as it starts its
# Nth import counted from the first one made by the package's code (the package's own lookup,
# import 0, comes before any of it). It uses built-in modules only, which Python has loaded as it
# started, so that the program loads what it loads without it. The name goes to PRESSED_AT.
_PRESS_AT_IMPORT = """\
import posix, _signal, sys

class _PressAt:
    imports = -1

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        cls.imports += 1
        if cls.imports == {n}:
            with open({pressed_at!r}, "w") as f:
                f.write(name)
            posix.kill(posix.getpid(), _signal.SIGINT)
        return None

sys.meta_path.insert(0, _PressAt)
"""


@pytest.fixture(scope="module")
def pressed_at_each_import(tmp_path_factory) -> list[tuple[str, int | None, str]]:
    """(module, exit status, standard error) of the program pressed as it starts to import each
    module, from the package's first import up to the command's module, in their order."""
    folder = tmp_path_factory.mktemp("first_instant")
    pressed_at = folder / "pressed_at"
    runs = []
    for n in range(1, 200):
        pressed_at.unlink(missing_ok=True)
        script = _console_script(folder, _PRESS_AT_IMPORT.format(n=n, pressed_at=str(pressed_at)))
        p = _run(script, COMMAND, "--link", folder / "sensor.pty")
        _, err = _ended(p)
        (folder / "sensor.pty").unlink(missing_ok=True)
        name = pressed_at.read_text() if pressed_at.exists() else "(none)"
        runs.append((name, p.returncode, err))
        if name in (COMMAND_MODULE, "(none)"):
            break
    assert runs[-1][0] == COMMAND_MODULE, [r[0] for r in runs]
    return runs


def _not_quiet(runs) -> list:
    return [(name, status, err[-1500:]) for name, status, err in runs if (status, err) != (130, "")]


def test_ctrl_c_as_each_module_of_the_command_line_starts_loading_is_status_130(pressed_at_each_import):
    """From the entry point's module on (the command line, argparse ..., the command's module):
    status 130, nothing said (emulate has nothing to say when stopped before it started)."""
    module = _entry()[0]
    names = [r[0] for r in pressed_at_each_import]
    assert module in names, names
    runs = pressed_at_each_import[names.index(module):]
    assert len(runs) >= 3, names
    assert _not_quiet(runs) == []


def test_ctrl_c_as_the_package_loads_its_own_first_modules_is_status_130(pressed_at_each_import):
    """Before the entry point's module: what the ``ui`` package's own first lines load. One
    pressed as the package loaded ``signal`` was a KeyboardInterrupt traceback."""
    names = [r[0] for r in pressed_at_each_import]
    assert _not_quiet(pressed_at_each_import[:names.index(_entry()[0])]) == []


@pytest.mark.parametrize("after_ms", [0, 5, 20, 50, 100, 200])
def test_ctrl_c_moments_after_the_package_loaded_is_no_traceback(tmp_path, after_ms):
    """Pressed a few moments after the ``ui`` package loaded (as ``-X importtime`` tells), while
    the program loads the command line and the command's modules: status 130, or 0 once emulate
    runs and stops as it does on Ctrl-C; never a traceback."""
    script = _console_script(tmp_path)
    for attempt in range(2):
        p = _run(script, COMMAND, "--link", tmp_path / f"sensor{attempt}.pty", prefix=["-X", "importtime"])
        lines = []
        for line in p.stderr:
            lines.append(line)
            if re.search(r"\|\s+ui$", line.rstrip()):
                break
        time.sleep(after_ms / 1000)
        p.send_signal(signal.SIGINT)
        _, err = _ended(p)
        err = "".join(lines) + err
        assert "Traceback" not in err, err[-3000:]
        assert p.returncode in (0, 130), (p.returncode, err[-3000:])


# Put before the console script's lines: a Ctrl-C pressed as the command's module starts to load
# its own imports, that a library swallowed (as one raised where Python ignores exceptions, or
# surfaced as an ImportError that a library takes for a module it can do without).
_PRESS_SWALLOWED = """\
import posix, _signal, sys

class _Swallowed:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name == {name!r}:
            sys.meta_path.remove(cls)
            try:
                posix.kill(posix.getpid(), _signal.SIGINT)
            except BaseException:
                pass
        return None

sys.meta_path.insert(0, _Swallowed)
"""


@pytest.mark.parametrize("name", ["firmware_bridge.emulator", "ui.options", "numpy.random"])
def test_ctrl_c_a_library_swallowed_as_the_command_loaded_still_stops_emulate(tmp_path, name):
    """A Ctrl-C taken as emulate's own modules loaded, that never surfaced as an exception: the
    program ends at once with status 130, as for any press before it started; it served the
    sensor until killed. numpy.random is loaded only as emulate makes its sensor, after the
    command line has been read (a press 100 ms after the package loaded was lost so, 1 run in 40)."""
    script = _console_script(tmp_path, _PRESS_SWALLOWED.format(name=name))
    p = _run(script, COMMAND, "--link", tmp_path / "sensor.pty")
    _, err = _ended(p)               # (one still serving after a minute is killed: TimeoutExpired)
    assert (p.returncode, err) == (130, "")
    assert not (tmp_path / "sensor.pty").exists()


def test_whatever_a_ctrl_c_leaves_while_the_command_loads_is_status_130(monkeypatch):
    """A Ctrl-C that landed as numpy's loading built an ImportError gave "TypeError: expected a
    message argument" (its KeyboardInterrupt lost) and a traceback, in one run in five of the
    moments above. Before the command starts, what a Ctrl-C seen meanwhile leaves is the Ctrl-C;
    without one, the error is the program's own, as before."""
    import ui.cli as cli

    def loading(argv, pressed: bool):
        if pressed:
            signal.getsignal(signal.SIGINT).seen = True       # (the program's handler saw it)
        raise TypeError("expected a message argument")

    monkeypatch.setattr(cli, "_parse", lambda argv: loading(argv, True))
    assert cli.main(["emulate", "--help"]) == 130
    monkeypatch.setattr(cli, "_parse", lambda argv: loading(argv, False))
    with pytest.raises(TypeError):
        cli.main(["emulate", "--help"])
