"""One library index shared by several stations: a recording ending while the index is
refreshed, another station writing the index, a full disk. Real SQLite files and real
processes."""

from __future__ import annotations

import shutil

import ui.library
from ui.cli import main
from ui.library import Library

from .conftest import make_session, tear


def _list_line(capsys, name: str) -> list[str]:
    out = capsys.readouterr().out
    return next(line for line in out.splitlines() if line.endswith(f"  {name}")).split()


def test_a_recording_that_ends_while_it_is_read_is_read_again(tmp_path, monkeypatch, capsys):
    """A refresh that read a recording just before it finished kept its "0 cycles" for good: the
    row was signed with the finished folder's signature, so no refresh read it again."""
    done = make_session(tmp_path / "done", trainee="cara", kinds=("III",), target="III")
    root = tmp_path / "class"
    live = root / "live"
    shutil.copytree(done, live)
    tear(live, keep=0.05)                           # still recording: hardly any force yet
    read = ui.library.session_events

    def read_then_finish(folder):
        got = read(folder)
        for f in done.iterdir():                    # the recorder writes its last files meanwhile
            shutil.copyfile(f, live / f.name)
        return got

    monkeypatch.setattr(ui.library, "session_events", read_then_finish)
    assert main(["library", "list", str(root)]) == 0
    assert _list_line(capsys, "live")[-3] == "0"    # read while recording
    monkeypatch.setattr(ui.library, "session_events", read)
    assert main(["library", "list", str(root)]) == 0
    with Library(tmp_path / "done") as fresh:
        fresh.rebuild()
        n_cycles = fresh.rows()[0]["n_cycles"]
    assert n_cycles > 0
    assert _list_line(capsys, "live")[-3] == str(n_cycles)
