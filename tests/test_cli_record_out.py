"""``record --out`` never makes a session of a folder that holds sessions (a class's folder,
or the current folder given as '') nor one inside a recorded session: the sessions already
there would end up inside the new one's folder, and the library would find one session where
there were several."""

from __future__ import annotations

from tests.conftest import class_folder, gc


def test_a_folder_of_sessions_is_refused_and_left_as_it_is(tmp_path):
    root = class_folder(tmp_path / "class", "anna", "ben")
    before = sorted(p.name for p in root.iterdir())
    r = gc("record", "--device", "emulator:grade3", "--out", root, "--duration", 1, "--quiet")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: --out {root}: it holds 2 recorded sessions "
                                     f"({root / 'anna'}, …); give a new folder for this one, e.g. {root / 'NAME'}"]
    assert sorted(p.name for p in root.iterdir()) == before


def test_the_current_folder_given_as_empty_is_refused(tmp_path):
    root = class_folder(tmp_path / "class", "anna", "ben")
    r = gc("record", "--device", "emulator:grade3", "--out", "", "--duration", 1, "--quiet", cwd=root)
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["gradecoach: error: --out: give the name of a new session folder, "
                                     "e.g. sessions/anna"]
    assert not (root / "session.json").exists()


def test_a_folder_inside_a_session_is_refused(tmp_path):
    root = class_folder(tmp_path / "class", "anna", "ben")
    r = gc("record", "--device", "emulator:grade3", "--out", root / "anna" / "again", "--duration", 1, "--quiet")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: --out {root / 'anna' / 'again'}: inside the recorded "
                                     f"session {root / 'anna'}; choose a folder outside it"]
    assert not (root / "anna" / "again").exists()


def test_a_new_folder_in_the_class_records(tmp_path):
    root = class_folder(tmp_path / "class", "anna", "ben")
    r = gc("record", "--device", "emulator:grade3", "--out", root / "carl", "--duration", 1, "--quiet")
    assert r.returncode == 0, r.stderr
    assert (root / "carl" / "session.json").is_file()
