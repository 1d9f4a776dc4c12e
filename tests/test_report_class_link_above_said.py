"""report --class of a folder holding a link to a folder above it says the link was passed over,
as library list does, and reports the sessions under the folder alone."""
import json
import shutil

from tests.conftest import ROOT, gc


def test_a_link_above_the_class_folder_is_said_once(tmp_path):
    cls = tmp_path / "class"
    (cls / "anna-1").mkdir(parents=True)
    shutil.copy(ROOT / "fixtures" / "lumbar_grade3.csv", cls / "anna-1" / "force.csv")
    (cls / "anna-1" / "session.json").write_text(json.dumps(
        {"complete": True, "trainee": "Anna", "r1_n": 40, "r2_n": 120, "files": {"force": "force.csv"}}))
    (tmp_path / "outside-1").mkdir()
    shutil.copytree(cls / "anna-1", tmp_path / "outside-1", dirs_exist_ok=True)
    (cls / "up").symlink_to("..")
    r = gc("report", "--class", cls, "-o", tmp_path / "r.html")
    assert r.returncode == 0, r.stderr
    said = [ln for ln in r.stderr.splitlines() if "passed over" in ln]
    assert len(said) == 1 and f"{cls / 'up'}" in said[0], r.stderr
    assert "(1 recording)" in r.stdout
