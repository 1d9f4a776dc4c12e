"""A bad calibration option on a class report is one line about the option, before anything is
read; each session of the class was left out for it ("warning: left out: R1 must be below R2",
64 times), then the report stopped with "none of its 64 session folders could be read"."""

from __future__ import annotations

import pytest

from ui.cli import main

from .conftest import make_session


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    for i in range(3):
        make_session(root / f"s{i}", trainee=f"trainee {i}", seed=i, cycles=4)
    return root


@pytest.mark.parametrize("opts,said", [(["--r1", "50", "--r2", "40"], "R1 must be below R2"),
                                       (["--r1", "-3"], "--r1 -3: give a positive force in N"),
                                       (["--alpha", "2"], "alpha must be greater than 0 and less than 1 (got 2)"),
                                       (["--target", "VII"], "--target VII: not a grade;")])
def test_a_bad_option_on_a_class_is_one_line(small_class, tmp_path, capsys, opts, said):
    out = tmp_path / "class.html"
    assert main(["report", "--class", str(small_class), "-o", str(out), *opts]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err and err.startswith("gradecoach: error: "), err
    assert not out.exists()


def test_a_lone_r1_is_paired_with_each_sessions_r2(small_class, tmp_path, capsys):
    out = tmp_path / "class.html"
    assert main(["report", "--class", str(small_class), "-o", str(out), "--r1", "30"]) == 0
    assert "left out" not in capsys.readouterr().err
    assert "R1 30.0 N, R2 120.0 N" in out.read_text(encoding="utf-8")
