"""'review PATH' says what 'library' says of a folder that is not there."""

from __future__ import annotations

from ui.cli import main


def test_a_session_that_is_not_there_is_no_such_folder(tmp_path, capsys):
    """'review nosuch' said 'not a session folder' where 'library list nosuch' says 'no such folder'."""
    gone = tmp_path / "nosuch"
    assert main(["review", str(gone)]) == 2
    assert capsys.readouterr().err == f"gradecoach: error: {gone}: no such folder\n"
    assert main(["library", "list", str(gone)]) == 2
    assert capsys.readouterr().err == f"gradecoach: error: {gone}: no such folder\n"
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x\n")
    assert main(["review", str(a_file)]) == 2
    assert capsys.readouterr().err == f"gradecoach: error: {a_file}: not a session folder\n"
