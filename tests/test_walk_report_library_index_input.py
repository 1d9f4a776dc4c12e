"""``gradecoach report sessions/* -o x.html``: the shell's glob names the library's index
(gradecoach-library.sqlite, written beside the sessions by ``library list`` and the review)
with the session folders; it is passed over, not taken for an input of unknown type. Named alone,
the answer is to give the folder with --class."""

from __future__ import annotations

from tests.conftest import class_folder, gc


def test_the_library_index_among_a_globs_inputs_is_passed_over(tmp_path):
    cls = class_folder(tmp_path / "sessions", "Anna", "Ben")
    assert gc("library", "list", cls).returncode == 0
    (cls / "gradecoach-library.sqlite-journal").write_bytes(b"")      # (one being written meanwhile)
    given = sorted(cls.glob("*"))
    assert cls / "gradecoach-library.sqlite" in given
    r = gc("report", *given, "-o", tmp_path / "x.html")
    assert r.returncode == 0, r.stderr
    assert "wrote" in r.stdout and "(2 recordings)" in r.stdout
    assert "gradecoach-library" not in r.stderr


def test_the_library_index_alone_says_to_give_the_folder(tmp_path):
    cls = class_folder(tmp_path / "sessions", "Anna")
    assert gc("library", "list", cls).returncode == 0
    r = gc("report", cls / "gradecoach-library.sqlite", "-o", tmp_path / "x.html")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1] == (
        f"gradecoach: error: {cls / 'gradecoach-library.sqlite'}: the library's index of the sessions in {cls}, not a "
        f"recording; report on them all with --class {cls}")
    assert not (tmp_path / "x.html").exists()
