"""Feedback schedules: when the trainee sees the live grade.

Motor-learning studies find that constant feedback helps during practice but not in
retention, so the trainer can withhold it (docs/trainer.md):

* ``concurrent`` — always shown;
* ``terminal`` — hidden during a set, the set's summary shown when it ends;
* ``faded`` — live on a decreasing share of sets (set k weighs 1/(k+1), never below
  ``FADED_MIN_SHARE``; a set is live when the weights add up to the next whole number:
  sets 0, 3, 8, 13, …), the set summary otherwise;
* ``bandwidth`` — the live grade only when the last cycle was off target (without a target to
  be off, every grade, and a note asking for one);
* ``blind`` — nothing during a set, not even the coloured cycles; all revealed at its end.

While a set's grade is held back, so is the force plot's target zone (a crest seen in or out of
the shaded zone is its verdict); blind holds back the R1/R2 bands too (a crest in them is its
grade). Both are shown again when the set ends.

Pure logic, no Qt: the window asks :meth:`Schedule.view` once per frame.
"""

from __future__ import annotations

from dataclasses import dataclass

MODES = ("concurrent", "terminal", "faded", "bandwidth", "blind")
FADED_MIN_SHARE = 0.2


@dataclass(frozen=True)
class View:
    """What to show now: the live grade, the coloured cycles of the running set, the set summary;
    the force plot's target zone (``target``) and its R1/R2 bands (``bands``)."""

    live: bool
    colours: bool
    summary: bool
    note: str = ""
    target: bool = True
    bands: bool = True


def faded_live(set_number: int) -> bool:
    """Is set number ``set_number`` (0-based, counted in this schedule) shown live?

    Deterministic (no random draw), so a trainee and a test see the same pattern.
    """
    shown = 0.0
    live_count = 0
    for k in range(set_number + 1):
        shown += max(1.0 / (k + 1), FADED_MIN_SHARE)
        is_live = shown - live_count >= 1.0 - 1e-9
        if is_live:
            live_count += 1
    return is_live


class Schedule:
    """``mode`` is one of :data:`MODES`."""

    def __init__(self, mode: str = "concurrent") -> None:
        if mode not in MODES:
            raise ValueError(f"unknown feedback schedule {mode!r}; use one of {', '.join(MODES)}")
        self.mode = mode
        self._first_set: int | None = None
        self.shown: View | None = None      # the latest view (None before the first)

    def view(self, in_set: bool, set_index: int | None, last_on_target: bool | None) -> View:
        """``in_set``: cycles are running now; ``set_index``: the analyzer's set number of the
        current (or last) set; ``last_on_target``: the last cycle's on-target verdict (None: no target)."""
        self.shown = self._view(in_set, set_index, last_on_target)
        return self.shown

    def _view(self, in_set: bool, set_index: int | None, last_on_target: bool | None) -> View:
        m = self.mode
        if m == "concurrent" or not in_set:
            return View(True, True, m != "concurrent" and set_index is not None)
        if m == "terminal":
            return View(False, True, False, "summary after the set", target=False)
        if m == "blind":
            return View(False, False, False, "blind: revealed at the end of the set", target=False, bands=False)
        if m == "bandwidth":
            if last_on_target is None:      # no target (or no calibration): nothing to be off of
                return View(True, True, False, "bandwidth needs a target (press T): every grade shown")
            off = last_on_target is False
            return View(off, True, False, "" if off else "on target")
        if self._first_set is None and set_index is not None:
            self._first_set = set_index
        n = (set_index or 0) - (self._first_set or 0)
        live = faded_live(max(n, 0))
        return View(live, True, False, "" if live else "faded: summary after the set", target=live)
