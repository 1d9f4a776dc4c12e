"""Oscillations too small to be graded, kept count of so that they are told, not lost silently.

A cycle whose amplitude falls short of the scheme's minimum amplitude is not a cycle (a hold,
tremor). But a hand that oscillates steadily at a small amplitude (a lumbar grade IV of 15 N
with R1 at 200 N, a grade I of 3.9 N with R1 at 40 N) should hear why nothing is graded. Such an
oscillation is a run of at least ``RUN`` candidate cycles back to back (each passed every test
but the amplitude), alike in period and amplitude, each well out of the noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RUN = 4                  # candidates in a row before they are an oscillation, not chance bumps
PERIOD_TOL = 0.25        # their periods within this share of their median …
AMP_TOL = 0.5            # … and their amplitudes within this share of theirs
NOISE_K = 2.0            # each at least this many hysteresis steps (h) high: out of the noise


@dataclass(frozen=True)
class _Candidate:
    k_start: int
    k_end: int
    amplitude_n: float
    period_s: float
    min_amplitude_n: float
    t_end: float


def _force(x: float, digits: int = 0) -> str:
    """``x`` N as a reading (tenths under 10 N), with ``digits`` more where two would read alike."""
    d = (1 if x < 10 else 0) + digits
    return format(round(x, d), "g") if d else f"{x:.0f}"


class UndersizedOscillations:
    """Fed the candidate cycles that fell short of the minimum amplitude, in order; a run of
    them is cut by anything else (a cycle, a gap in the data)."""

    def __init__(self) -> None:
        self._run: list[_Candidate] = []
        self._counted = 0                        # how many of the run are already counted
        self.amplitudes_n: list[float] = []      # every counted one, for the summary
        self.minimums_n: list[float] = []
        self.latest: tuple[float, str] | None = None    # (end time, what to say) of the newest

    def add(self, k_start: int, k_end: int, amplitude_n: float, period_s: float, min_amplitude_n: float,
            h_n: float, t_end: float) -> None:
        if amplitude_n < NOISE_K * h_n:
            return self.cut()
        if self._run and self._run[-1].k_end != k_start:
            self.cut()
        self._run.append(_Candidate(k_start, k_end, amplitude_n, period_s, min_amplitude_n, t_end))
        last = self._run[-RUN:]
        if len(last) < RUN:
            return
        per = np.array([c.period_s for c in last])
        amp = np.array([c.amplitude_n for c in last])
        if np.any(np.abs(per / np.median(per) - 1) > PERIOD_TOL) or np.any(np.abs(amp / np.median(amp) - 1) > AMP_TOL):
            return
        new = self._run[max(self._counted, len(self._run) - RUN):]
        self.amplitudes_n += [c.amplitude_n for c in new]
        self.minimums_n += [c.min_amplitude_n for c in new]
        self._counted = len(self._run)
        self.latest = (t_end, self.say(float(np.median(amp)), float(np.median([c.min_amplitude_n for c in last]))))

    def cut(self) -> None:
        self._run, self._counted = [], 0

    @staticmethod
    def say(amplitude_n: float, min_amplitude_n: float, n: int | None = None) -> str:
        what = "oscillations" if n is None else f"{n} oscillation" + "s" * (n != 1)
        are = "are" if n is None or n != 1 else "is"
        d = next((d for d in range(3) if _force(amplitude_n, d) != _force(min_amplitude_n, d)), 2)
        return (f"{what} of about {_force(amplitude_n, d)} N {are} below the minimum amplitude of "
                f"{_force(min_amplitude_n, d)} N and not graded (--min-amplitude sets it)")

    def notes(self) -> list[str]:
        """For the summary's warnings: how many oscillations were too small, and how small."""
        if not self.amplitudes_n:
            return []
        return [self.say(float(np.median(self.amplitudes_n)), float(np.median(self.minimums_n)),
                         len(self.amplitudes_n))]
