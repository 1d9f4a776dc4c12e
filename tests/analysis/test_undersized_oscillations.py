"""A steady oscillation smaller than the scheme's minimum amplitude is not graded, and the user
is told so in one line (it used to vanish without a word); ``--min-amplitude`` sets the
minimum. Signals: raised-cosine sets at 1 kHz, as a hand at 1 Hz makes them."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme
from tests.analysis._small_oscillations import RATE, a_set
from tests.conftest import force_notes
from ui.cli import main


def analyse(t, y, scheme: GradingScheme) -> tuple[list, list[str]]:
    p = Analyzer(scheme)
    ev = p.feed(Chunk(t, y, 0, "force", RATE)) + p.finish()
    return [e for e in ev if e.TYPE == "cycle"], ev[-1].warnings


LUMBAR = GradingScheme(200.0, 350.0)
CERVICAL = GradingScheme(10.0, 30.0)


@pytest.mark.parametrize("scheme, trough, crest, amp_said, grade", [
    (LUMBAR, 260.0, 275.0, "about 15 N", "IV"),        # lumbar IV of 15 N, minimum 20 N (10 % of R1)
    (LUMBAR, 135.0, 150.0, "about 15 N", "I"),
    (GradingScheme(40.0, 120.0), 26.1, 30.0, "about 3.9 N", "I"),     # minimum 4 N (10 % of R1)
])
def test_a_small_steady_oscillation_is_named_and_graded_with_a_lower_minimum(scheme, trough, crest, amp_said,
                                                                               grade):
    t, y = a_set(trough, crest)
    cycles, warnings = analyse(t, y, scheme)
    assert cycles == []
    said = [w for w in warnings if "minimum amplitude" in w]
    assert len(said) == 1, warnings
    assert amp_said in said[0] and "not graded" in said[0] and "--min-amplitude" in said[0]
    assert f"of {scheme.min_amplitude(scheme.r1_n, crest):g} N" in said[0]
    cycles, warnings = analyse(t, y, scheme.with_min_amplitude(0.5 * (crest - trough)))
    assert [c.grade for c in cycles] == [grade] * 8
    assert not [w for w in warnings if "minimum amplitude" in w]


@pytest.mark.parametrize("noise_n, tremor_n", [(0.5, 0.0), (0.0, 1.5), (0.5, 1.5)])
def test_a_held_force_with_noise_or_tremor_is_not_called_an_oscillation(noise_n, tremor_n):
    t = np.arange(int(12 * RATE)) / RATE
    y = np.concatenate([np.linspace(0, 100, int(RATE)), np.full(len(t) - int(RATE), 100.0)])
    y = y + noise_n * np.random.default_rng(1).standard_normal(len(t)) + tremor_n * np.sin(2 * np.pi * 9 * t)
    assert not [w for w in force_notes(t, y) if "minimum amplitude" in w]


def test_graded_sets_are_not_called_small():
    t, y = a_set(10.0, 60.0, noise_n=0.3, tremor_n=0.5)      # a grade III at R1 40, R2 120
    cycles, warnings = analyse(t, y, GradingScheme(40.0, 120.0))
    assert len(cycles) == 8
    assert not [w for w in warnings if "minimum amplitude" in w]


def test_the_note_does_not_depend_on_chunking():
    t, y = a_set(260.0, 275.0, noise_n=0.3)
    whole = force_notes(t, y, LUMBAR)
    assert any("minimum amplitude" in w for w in whole)
    rng = np.random.default_rng(5)
    for _ in range(3):
        assert force_notes(t, y, LUMBAR, sizes=rng.integers(1, 900, 40).tolist()) == whole


def test_replay_takes_min_amplitude_and_says_the_note(tmp_path, capsys):
    t, y = a_set(260.0, 275.0)
    csv = tmp_path / "lumbar_iv.csv"
    csv.write_text("t_s,force_n\n" + "".join(f"{a:.6f},{b:.4f}\n" for a, b in zip(t, y)))
    assert main(["replay", str(csv), "--r1", "200", "--r2", "350", "--format", "jsonl"]) == 0
    cap = capsys.readouterr()
    assert '"type": "cycle"' not in cap.out
    line = [s for s in cap.err.splitlines() if "minimum amplitude" in s]
    assert line == [f"gradecoach: warning: {csv}: 8 oscillations of about 15 N are below the minimum amplitude "
                    "of 20 N and not graded (--min-amplitude sets it)"]           # (naming the file, as all do)
    assert main(["replay", str(csv), "--r1", "200", "--r2", "350", "--format", "jsonl", "--min-amplitude", "10"]) == 0
    cap = capsys.readouterr()
    assert cap.out.count('"grade": "IV"') == 8 and "minimum amplitude" not in cap.err


@pytest.mark.parametrize("bad", ["0", "-3", "nan", "inf"])
def test_a_bad_min_amplitude_is_one_line(tmp_path, capsys, bad):
    t, y = a_set(260.0, 275.0, cycles=2)
    csv = tmp_path / "short.csv"
    csv.write_text("t_s,force_n\n" + "".join(f"{a:.6f},{b:.4f}\n" for a, b in zip(t, y)))
    assert main(["replay", str(csv), "--r1", "200", "--r2", "350", f"--min-amplitude={bad}"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--min-amplitude" in err[0] and "Traceback" not in err[0]


@pytest.mark.parametrize("trough, crest, grade", [(6.5, 8.0, "I"), (18.2, 20.0, "IV")])
def test_cervical_oscillations_of_under_2_n_are_graded_by_default(trough, crest, grade):
    """R1 10 N: a grade I of 1.5 N and a grade IV of 1.8 N (published amplitudes start at 1 N)."""
    cycles, warnings = analyse(*a_set(trough, crest), CERVICAL)
    assert [c.grade for c in cycles] == [grade] * 8
    assert not [w for w in warnings if "minimum amplitude" in w]
