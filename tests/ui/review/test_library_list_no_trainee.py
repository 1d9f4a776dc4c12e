"""'library list' says 'no trainee' for a session without one, as the report and the review do."""

from __future__ import annotations

from ui.cli import main

from .conftest import make_session


def test_a_session_without_a_trainee_reads_no_trainee(tmp_path, capsys):
    """Its trainee column was left blank."""
    make_session(tmp_path / "anon", trainee="", cycles=3)
    make_session(tmp_path / "ana", trainee="Ana", cycles=3, created="2025-03-02T10:00:00")
    assert main(["library", "list", str(tmp_path)]) == 0
    rows = {line.split()[-1]: line for line in capsys.readouterr().out.splitlines()[1:]}
    assert rows["anon"][18:34] == "no trainee      "
    assert rows["ana"][18:34] == "Ana             "


def test_the_trainees_named_when_none_match_say_no_trainee_as_the_list_does(tmp_path, capsys):
    """The hint named the sessions without a trainee '(no name)' where the list says 'no trainee'."""
    make_session(tmp_path / "anon", trainee="", cycles=3)
    make_session(tmp_path / "ana", trainee="Ana", cycles=3, created="2025-03-02T10:00:00")
    main(["library", "list", str(tmp_path), "--trainee", "Zoë"])
    err = capsys.readouterr().err
    assert "trainees: (no trainee), Ana" in err or "trainees: Ana, (no trainee)" in err, err
