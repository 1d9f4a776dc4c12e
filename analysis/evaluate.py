"""Compare detected events with ground truth (fixtures' ``*.expected.jsonl``).

Used by ``gradecoach evaluate`` (ui/cmd_evaluate.py, documented in docs/analysis.md), the fixture
tests in CI and ``benchmarks/bench_accuracy.py``. Cycles are matched by crest time (within a third
of the true period), thrusts by peak time (within 50 ms), pops by time (within 5 ms), each
detected one at most once. A set's frequency CV (its consistency figure) is compared over the
cycles found in it. A cycle's modifier is compared only when its grade (III or IV) is as
expected, so that a wrong grade counts against one threshold, not two. Each miss is also kept
with its time, in words (``Score.where``), so that a file below a threshold says which events
put it there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analysis.scheme import GradingScheme
from analysis.summary import _cv


@dataclass
class Score:
    """Counts and error lists; combine several files with ``+``."""

    truth_cycles: int = 0
    matched_cycles: int = 0
    grade_ok: int = 0
    modifier_total: int = 0                              # cycles found graded III or IV as expected
    modifier_ok: int = 0                                 # of them, given their expected modifier
    spurious_cycles: int = 0
    thrust_truth: int = 0
    thrust_tp: int = 0
    thrust_fp: int = 0
    peak_err_pct: list = field(default_factory=list)
    freq_err_pct: list = field(default_factory=list)
    freq_cv_err_pts: list = field(default_factory=list)  # per set of 3 or more cycles found
    crest_err_n: list = field(default_factory=list)
    ttp_err_ms: list = field(default_factory=list)       # only at >= 200 Hz
    letup_truth: int = 0
    letup_found: int = 0
    letup_false: int = 0
    minutes: float = 0.0
    confusions: list = field(default_factory=list)
    pop_truth: int = 0                                   # only with the audio (score_pops)
    pop_heard: int = 0
    pop_false: int = 0
    imu_files: int = 0                                   # IMU recordings scored (score_imu): 1 for one
    imu_truth: int = 0                                   # only for an IMU (score_imu)
    imu_found: int = 0
    imu_amp_err_pct: list = field(default_factory=list)
    imu_spurious: int = 0
    disp_err_pct: list = field(default_factory=list)     # a found IMU thrust's movement, onset to peak
    skipped_rows: int = 0                                # bad rows of the recording skipped (score_skipped)
    # (threshold, time (s), value or None, words): each event that counts against a threshold,
    # e.g. ("--max-missed-thrusts", 3.2, None, "thrust peaking at 3.20 s not found"); a value is
    # compared with the threshold's bound (an error), None always counts
    where: list = field(default_factory=list)

    def __add__(self, o: "Score") -> "Score":
        out = Score()
        for k, v in self.__dict__.items():
            setattr(out, k, v + getattr(o, k))
        return out

    def figures(self) -> dict:
        """The figures by name, the same names whatever was scored: those of an IMU null for a
        force recording, a share null when there was nothing to count it over."""
        def pct(a, b):
            return 100.0 * a / b if b else None
        return {
            "cycles_truth": self.truth_cycles,
            "cycle_recall_pct": pct(self.matched_cycles, self.truth_cycles),
            "grade_accuracy_pct": pct(self.grade_ok, self.matched_cycles),
            "modifier_accuracy_pct": pct(self.modifier_ok, self.modifier_total),
            "spurious_per_min": self.spurious_cycles / self.minutes if self.minutes else None,
            "median_cycle_freq_err_pct": float(np.median(self.freq_err_pct)) if self.freq_err_pct else None,
            "p90_cycle_freq_err_pct": float(np.percentile(self.freq_err_pct, 90)) if self.freq_err_pct else None,
            "median_set_freq_cv_err_pts": float(np.median(self.freq_cv_err_pts)) if self.freq_cv_err_pts else None,
            "max_set_freq_cv_err_pts": max(self.freq_cv_err_pts) if self.freq_cv_err_pts else None,
            "median_crest_err_n": float(np.median(self.crest_err_n)) if self.crest_err_n else None,
            "thrust_precision_pct": pct(self.thrust_tp, self.thrust_tp + self.thrust_fp),
            "thrust_recall_pct": pct(self.thrust_tp, self.thrust_truth),
            "median_peak_err_pct": float(np.median(self.peak_err_pct)) if self.peak_err_pct else None,
            "max_peak_err_pct": max(self.peak_err_pct) if self.peak_err_pct else None,
            "median_ttp_err_ms": float(np.median(self.ttp_err_ms)) if self.ttp_err_ms else None,
            "max_ttp_err_ms": max(self.ttp_err_ms) if self.ttp_err_ms else None,
            "letup_found_pct": pct(self.letup_found, self.letup_truth),
            "letup_false": self.letup_false,
            # (null, not left out, for a force recording: a reader's keys do not change from file to file)
            "imu_cycles_truth": self.imu_truth if self.imu_files else None,
            "imu_cycle_recall_pct": pct(self.imu_found, self.imu_truth),
            "median_imu_amplitude_err_pct": float(np.median(self.imu_amp_err_pct)) if self.imu_amp_err_pct else None,
            "imu_spurious": self.imu_spurious if self.imu_files else None,
            "median_thrust_movement_err_pct": float(np.median(self.disp_err_pct)) if self.disp_err_pct else None,
        }


def score(truth: list[dict], detected: list[dict], rate_hz: float, duration_s: float) -> Score:
    """Score one recording. Both lists hold event dicts (``type`` cycle/thrust); ``rate_hz`` is
    the rate the recording was sampled at, as measured from its times (not the rate its expected
    events say): a thrust's time to peak is compared at 200 Hz or more only."""
    s = Score(minutes=duration_s / 60.0)
    tc = [e for e in truth if e["type"] == "cycle"]
    dc = [e for e in detected if e["type"] == "cycle"]
    used: set[int] = set()
    s.truth_cycles = len(tc)
    found: list[tuple[dict, dict]] = []
    for e in tc:
        tol = (e["t_end"] - e["t_start"]) / 3
        best, bd = None, tol
        for i, d in enumerate(dc):
            if i not in used and abs(d["t_crest"] - e["t_crest"]) <= bd:
                best, bd = i, abs(d["t_crest"] - e["t_crest"])
        if best is None:
            s.where.append(("--min-cycles-found", e["t_crest"], None,
                            f"{_grade(e)} cycle cresting at {e['t_crest']:.2f} s not found"))
            continue
        used.add(best)
        d = dc[best]
        found.append((e, d))
        s.matched_cycles += 1
        s.freq_err_pct.append(100.0 * abs(d["freq_hz"] / e["freq_hz"] - 1))
        s.crest_err_n.append(abs(d["crest_n"] - e["crest_n"]))
        if d["grade"] != e["grade"]:
            s.confusions.append((e["grade"], d["grade"], round(e["t_crest"], 2)))
            s.where.append(("--min-grade-accuracy", e["t_crest"], None,
                            f"cycle at {e['t_crest']:.2f} s graded {_grade(d)}, expected {_grade(e)}"))
            continue
        s.grade_ok += 1
        # (the modifier over the III and IV graded as expected: a wrong grade is one mistake, not
        # also a wrong modifier)
        if e["grade"] in ("III", "IV"):
            s.modifier_total += 1
            if (d["modifier"] or None) == (e["modifier"] or None):
                s.modifier_ok += 1
            else:
                s.where.append(("--min-modifier-accuracy", e["t_crest"], None,
                                f"cycle at {e['t_crest']:.2f} s graded {_grade(d)}, expected {_grade(e)}"))
    s.spurious_cycles = len(dc) - len(used)
    s.where += [("--max-spurious", d["t_crest"], None, f"{_grade(d)} cycle cresting at {d['t_crest']:.2f} s "
                 f"not expected") for i, d in enumerate(dc) if i not in used]
    s.freq_cv_err_pts = set_freq_cv_errors(found)
    s.where += [("--max-freq-cv-error", t, err, f"set from {t:.2f} s: frequency CV {got:.1f} %, expected "
                 f"{want:.1f} %") for t, got, want, err in _set_freq_cvs(found)]
    tt = [e for e in truth if e["type"] == "thrust"]
    dt = [e for e in detected if e["type"] == "thrust"]
    s.thrust_truth = len(tt)
    pairs = match_thrusts(tt, dt)
    for j, i in pairs:
        e, d = tt[j], dt[i]
        s.thrust_tp += 1
        s.peak_err_pct.append(100.0 * abs(d["peak_n"] - e["peak_n"]) / e["peak_n"])
        at = f"thrust peaking at {e['t_peak']:.2f} s"
        s.where.append(("--max-peak-error", e["t_peak"], s.peak_err_pct[-1],
                        f"{at}: {d['peak_n']:.1f} N, expected {e['peak_n']:.1f} N"))
        if rate_hz >= 200:
            s.ttp_err_ms.append(abs(d["time_to_peak_ms"] - e["time_to_peak_ms"]))
            s.where.append(("--max-time-to-peak-error", e["t_peak"], s.ttp_err_ms[-1],
                            f"{at}: time to peak {d['time_to_peak_ms']:.0f} ms, expected "
                            f"{e['time_to_peak_ms']:.0f} ms"))
        if e.get("letup"):
            s.letup_truth += 1
            s.letup_found += bool(d.get("letup"))
            if not d.get("letup"):
                s.where.append(("--max-letup-errors", e["t_peak"], None, f"{at}: its let-up not found"))
        elif d.get("letup"):
            s.letup_false += 1
            s.where.append(("--max-letup-errors", e["t_peak"], None, f"{at}: a let-up found where none was"))
    s.thrust_fp = len(dt) - len(pairs)
    return _unpaired_thrusts(s, tt, dt, pairs)


def _unpaired_thrusts(s: Score, tt: list[dict], dt: list[dict], pairs: list[tuple[int, int]]) -> Score:
    """``s`` with where each thrust expected (``tt``) and not found, and each found (``dt``) and not
    expected, lies: those left out of ``pairs`` (:func:`match_thrusts`)."""
    paired_t, paired_d = {j for j, _ in pairs}, {i for _, i in pairs}
    s.where += [("--max-missed-thrusts", e["t_peak"], None, f"thrust peaking at {e['t_peak']:.2f} s not found")
                for j, e in enumerate(tt) if j not in paired_t]
    s.where += [("--max-false-thrusts", d["t_peak"], None, f"thrust peaking at {d['t_peak']:.2f} s not expected")
                for i, d in enumerate(dt) if i not in paired_d]
    return s


def score_skipped(s: Score, skipped_rows: int, problems: list[str]) -> Score:
    """``s`` with the bad rows skipped in reading its recording: their count, and the first few
    as the reader names them (``file:line: why``, in file order), so that a damaged recording,
    analysed without those rows, says where it is damaged as a threshold's other events do."""
    s.skipped_rows += skipped_rows
    s.where += [("--max-skipped-rows", k, None, str(p)) for k, p in enumerate(problems[:skipped_rows])]
    return s


def _grade(e: dict) -> str:
    """A cycle's grade with its modifier (``III+``), as the tables say it."""
    return f"{e.get('grade')}{e.get('modifier') or ''}"


# a set ends where the next cycle starts more than this after the last one ended: the grading
# scheme's own set gap, so that a set is compared as the summary measures it
SET_BREAK_S = GradingScheme().set_gap_s


def freq_cv(freqs: list[float]) -> float:
    """A set's frequency CV (per cent), as the summaries give it (sample SD over mean)."""
    return _cv(freqs)


def set_freq_cv_errors(found: list[tuple[dict, dict]]) -> list[float]:
    """For each set of the expected cycles (a run of them with no break over ``SET_BREAK_S``)
    with at least 3 found, how far the frequency CV of those found is from the expected one's
    (percentage points): the consistency figure a set's summary gives."""
    return [err for _, _, _, err in _set_freq_cvs(found)]


def _set_freq_cvs(found: list[tuple[dict, dict]]) -> list[tuple[float, float, float, float]]:
    """For each set :func:`set_freq_cv_errors` compares: its first expected cycle's start (s), the
    frequency CV found and expected (per cent), and their difference (points)."""
    sets: list[list[tuple[dict, dict]]] = []
    for e, d in sorted(found, key=lambda p: p[0]["t_start"]):
        if not sets or e["t_start"] - sets[-1][-1][0]["t_end"] > SET_BREAK_S:
            sets.append([])
        sets[-1].append((e, d))
    out = []
    for st in sets:
        if len(st) >= 3:
            got, want = freq_cv([d["freq_hz"] for _, d in st]), freq_cv([e["freq_hz"] for e, _ in st])
            out.append((st[0][0]["t_start"], got, want, abs(got - want)))
    return out


THRUST_TOLERANCE_S = 0.05


def match_thrusts(tt: list[dict], dt: list[dict]) -> list[tuple[int, int]]:
    """The expected thrusts ``tt`` paired with the detected ``dt``, as (index in ``tt``, index in
    ``dt``): each expected one, in turn, with the nearest detected one not yet paired that peaks
    within 50 ms of it."""
    used: set[int] = set()
    pairs = []
    for j, e in enumerate(tt):
        cand = [(abs(d["t_peak"] - e["t_peak"]), i) for i, d in enumerate(dt) if i not in used]
        cand = [c for c in cand if c[0] <= THRUST_TOLERANCE_S]
        if not cand:
            continue
        _, i = min(cand)
        used.add(i)
        pairs.append((j, i))
    return pairs


POP_TOLERANCE_S = 5e-3


def score_pops(s: Score, truth: list[dict], detected: list[dict]) -> Score:
    """``s`` with the pops of a recording analysed with its audio. Expected pops (``type``
    cavitation) and detected ones are paired nearest first, each at most once, when within 5 ms;
    an expected pop is heard when its pair is tied to the same thrust: the detected thrust's
    number is told as that of the expected thrust it was found as (:func:`match_thrusts`), so that
    a thrust missed or not expected does not shift the numbers after it. A detected pop left
    without a pair is not expected."""
    tp = [e for e in truth if e["type"] == "cavitation"]
    dp = [e for e in detected if e["type"] == "cavitation"]
    tt = [e for e in truth if e["type"] == "thrust"]
    dt = [e for e in detected if e["type"] == "thrust"]
    # a detected thrust's number (its ``index``, else its place) -> the expected one's (its place)
    as_expected = {dt[i].get("index", i): j for j, i in match_thrusts(tt, dt)}

    def told(d):        # (a thrust not expected is no expected one's: ("not expected", its number))
        n = d.get("thrust")
        return None if n is None else as_expected.get(n, ("not expected", n))

    s.pop_truth += len(tp)
    near = sorted((abs(d["t"] - e["t"]), j, i) for j, e in enumerate(tp) for i, d in enumerate(dp)
                  if abs(d["t"] - e["t"]) <= POP_TOLERANCE_S)
    paired_t: set[int] = set()
    paired_d: set[int] = set()
    for _, j, i in near:
        if j in paired_t or i in paired_d:
            continue
        paired_t.add(j)
        paired_d.add(i)
        ok = told(dp[i]) == tp[j].get("thrust")
        s.pop_heard += int(ok)
        if not ok:
            s.where.append(("--max-missed-pops", tp[j]["t"], None,
                            f"pop at {tp[j]['t']:.3f} s heard at {dp[i]['t']:.3f} s but tied to "
                            f"{_thrust_words(told(dp[i]))}, expected {_thrust_words(tp[j].get('thrust'))}"))
    s.pop_false += len(dp) - len(paired_d)
    s.where += [("--max-missed-pops", e["t"], None, f"pop at {e['t']:.3f} s not heard within 5 ms")
                for j, e in enumerate(tp) if j not in paired_t]
    s.where += [("--max-false-pops", d["t"], None, f"pop at {d['t']:.3f} s not expected")
                for i, d in enumerate(dp) if i not in paired_d]
    return s


def _thrust_words(n) -> str:
    """A pop's thrust, as :func:`score_pops` tells it, in words."""
    if n is None:
        return "no thrust"
    if isinstance(n, tuple):
        return f"thrust {n[1]} (not expected)"
    return f"thrust {n}"


# an IMU's cycles are scored from this movement up (mm): smaller ones are within its noise and
# drift (benchmarks/bench_imu.py counts the same)
IMU_MIN_MM = 0.5


def score_imu(truth: list[dict], detected: list[dict], duration_s: float) -> Score:
    """Score one IMU recording against its ``NAME.imu-expected.jsonl`` (``imu_cycle`` and
    ``thrust`` events, as ``gradecoach simulate --imu`` writes them). An expected cycle of
    ``IMU_MIN_MM`` or more is found when a detected one crests within a third of its period
    (each matched once), and its amplitude (``displacement_mm``) error is kept; a detected
    cycle matching no expected one, of any size, is spurious. Thrusts are paired by peak (the
    hand's deepest point) as force thrusts are, and the error of their movement kept."""
    s = Score(minutes=duration_s / 60.0, imu_files=1)
    tc = sorted((e for e in truth if e["type"] == "imu_cycle"), key=lambda e: e["t_crest"])
    dc = [e for e in detected if e["type"] == "imu_cycle"]
    used: set[int] = set()
    for e in tc:
        tol = (e["t_end"] - e["t_start"]) / 3
        near = [(abs(d["t_crest"] - e["t_crest"]), i) for i, d in enumerate(dc) if i not in used]
        near = [n for n in near if n[0] <= tol]
        big = e["displacement_mm"] >= IMU_MIN_MM
        s.imu_truth += big
        if not near:
            if big:
                s.where.append(("--min-imu-cycles-found", e["t_crest"], None,
                                f"IMU cycle of {e['displacement_mm']:.1f} mm cresting at {e['t_crest']:.2f} s not found"))
            continue
        _, i = min(near)
        used.add(i)
        if big:
            d = dc[i]
            s.imu_found += 1
            s.imu_amp_err_pct.append(100.0 * abs(d["displacement_mm"] / e["displacement_mm"] - 1))
            s.where.append(("--max-imu-amplitude-error", e["t_crest"], s.imu_amp_err_pct[-1],
                            f"IMU cycle at {e['t_crest']:.2f} s: {d['displacement_mm']:.2f} mm, expected "
                            f"{e['displacement_mm']:.2f} mm"))
    s.imu_spurious = len(dc) - len(used)
    s.where += [("--max-imu-spurious", d["t_crest"], None, f"IMU cycle cresting at {d['t_crest']:.2f} s not "
                 f"expected") for i, d in enumerate(dc) if i not in used]
    tt = [e for e in truth if e["type"] == "thrust"]
    dt = [e for e in detected if e["type"] == "thrust"]
    s.thrust_truth = len(tt)
    pairs = match_thrusts(tt, dt)
    s.thrust_tp, s.thrust_fp = len(pairs), len(dt) - len(pairs)
    for j, i in pairs:
        e, d = tt[j], dt[i]
        if e.get("displacement_mm") and d.get("displacement_mm") is not None:
            s.disp_err_pct.append(100.0 * abs(d["displacement_mm"] / e["displacement_mm"] - 1))
    return _unpaired_thrusts(s, tt, dt, pairs)
