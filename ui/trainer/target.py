"""What the trainee aims at: a grade with modifier and a rate, or an HVLA thrust with corridors."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from analysis.errors import InputError
from analysis.scheme import GradingScheme, ThrustScheme, parse_target
from ui.table import letup_parts, pct_text

# Modifier → crest position q in R1–R2 (0 at R1, 1 at R2), the same grid the scheme grades on.
MOD_Q = {"--": 0.0, "-": 0.25, "": 0.5, "+": 0.75, "++": 1.0}
MOD_HALF_WIDTH_Q = 0.125     # half the distance between neighbouring modifiers

# HVLA corridors pre-filled in the picker: the range of the built-in emulator's thrusts
# (firmware_bridge/scenarios.py), so the first minute on the emulator lands in them.
DEFAULT_PRELOAD_N = (100.0, 160.0)
DEFAULT_PEAK_N = (400.0, 650.0)


RATE_HZ = (0.1, 10.0)      # the pacer's rates (the command line's and the target dialog's)

MISS_SEP = " · "             # between the misses of an off-target thrust
# an IMU's thrust against an HVLA target: said in parentheses too ("– (an IMU measures no force)"),
# so none of its own (it read "– (forces not measured (IMU))")
NO_FORCE_VERDICT = "an IMU measures no force"
OFF_DASH = " — "                                   # between "off target" and what missed
# a let-up's figure and the bar of flagging over it: tenths of a newton, as replay's table and the
# review give them (ui.table.describe_letup)
LETUP_DECIMALS = 1


@dataclass(frozen=True)
class Target:
    """``grade`` I–IV or V; ``modifier`` for III/IV; ``rate_hz`` paces the metronome (None: off);
    ``preload_n``/``peak_n`` are (low, high) corridors in N for a thrust."""

    grade: str = "III"
    modifier: str | None = ""
    rate_hz: float | None = None
    preload_n: tuple[float, float] | None = None
    peak_n: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        for name in ("preload_n", "peak_n"):
            c = getattr(self, name)
            if c is not None and not (0 <= c[0] < c[1]):
                raise InputError(f"{name.replace('_n', '')} corridor must be low < high and ≥ 0 N (got {c[0]:g}–{c[1]:g} N)")
        if self.rate_hz is not None and not RATE_HZ[0] <= self.rate_hz <= RATE_HZ[1]:
            raise InputError(f"rate must be between 0.1 and 10 Hz (got {self.rate_hz:g})")

    @classmethod
    def parse(cls, text: str, rate_hz: float | None = None) -> "Target":
        g, m = parse_target(text)
        if g == "V":
            return cls("V", None, None, DEFAULT_PRELOAD_N, DEFAULT_PEAK_N)
        return cls(g, m if g in ("III", "IV") else None, rate_hz)

    @property
    def is_thrust(self) -> bool:
        return self.grade == "V"

    @property
    def text(self) -> str:
        return self.grade + (self.modifier or "")

    def crest_zone(self, scheme: GradingScheme) -> tuple[float, float] | None:
        """Force band (N) where a cycle's crest is on target as ``scheme`` grades it, for the
        shaded zone: 0 to R1 for I; ``alpha*R1`` to R1 for II (a crest lower than that cannot
        sweep the large amplitude II needs from a trough at or above 0 N); for III and IV from the midpoint to the modifier below (R1 itself for ``--``: a crest
        at R1 is short of resistance) to the midpoint to the one above (for ``++`` the
        beyond-R2 limit ``R2 + beyond_tol*(R2-R1)``: a crest past it is flagged, never on target)."""
        if not scheme.calibrated or self.is_thrust:
            return None
        r1, r2 = scheme.r1_n, scheme.r2_n
        grade, modifier = parse_target(self.text)         # (III with no modifier is graded as III)
        if grade in ("I", "II"):
            return (0.0 if grade == "I" else scheme.alpha * r1), r1
        q = MOD_Q[modifier]
        low = max(0.0, q - MOD_HALF_WIDTH_Q)
        high = min(q + MOD_HALF_WIDTH_Q if q < max(MOD_Q.values()) else math.inf, 1.0 + scheme.beyond_tol)
        return r1 + low * (r2 - r1), r1 + high * (r2 - r1)

    def apply(self, scheme: GradingScheme, thrust: ThrustScheme) -> tuple[GradingScheme, ThrustScheme]:
        return (scheme.with_target(self.text),
                replace(thrust, preload_corridor_n=self.preload_n, peak_corridor_n=self.peak_n))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of_session(cls, text: str | None, detail=None) -> "Target | None":
        """The target a recording aimed at, from session.json's ``target`` and ``extra.target_detail``
        (what the trainer's screen showed: its corridors, a corridor not set there not judged);
        a V target kept without usable corridors (``record --target V``, or a detail edited by
        hand) gets the corridors the trainer's picker gives V (:data:`DEFAULT_PRELOAD_N`,
        :data:`DEFAULT_PEAK_N`). None for no target or one that cannot be read."""
        try:
            target = cls.parse(text) if text else None
        except InputError:
            return None
        if target is None or not target.is_thrust or not isinstance(detail, dict) or \
                not all(k in detail for k in ("preload_n", "peak_n")):
            return target
        try:
            if parse_target(str(detail.get("text") or ""))[0] != "V":
                return target
            corridors = [None if c is None else (float(c[0]), float(c[1]))
                         for c in (detail["preload_n"], detail["peak_n"])]
            if not all(c is None or all(math.isfinite(x) for x in c) for c in corridors):
                return target
            return replace(target, preload_n=corridors[0], peak_n=corridors[1])
        except (InputError, TypeError, ValueError, IndexError, KeyError):
            return target

    @classmethod
    def of_played(cls, text: str | None, detail=None, rate_hz: float | None = None) -> "Target | None":
        """The target a played session is practised against, as it was recorded (docs/protocol.md):
        :meth:`of_session`'s (a V target's corridors from ``target_detail``), and for I–IV the
        pacer's rate ``target_detail`` kept for that same target, unless ``rate_hz`` is given
        (``--rate``). None for no target or one that cannot be read."""
        target = cls.of_session(text, detail)
        if target is None or target.is_thrust:
            return target
        if rate_hz is None and isinstance(detail, dict):
            try:
                if parse_target(str(detail.get("text") or "")) == parse_target(target.text):
                    r = detail.get("rate_hz")
                    if isinstance(r, (int, float)) and not isinstance(r, bool) and RATE_HZ[0] <= r <= RATE_HZ[1]:
                        rate_hz = float(r)
            except InputError:
                pass
        return replace(target, rate_hz=rate_hz) if rate_hz is not None else target


def _corridor(c: tuple[float, float]) -> str:
    """A corridor as the target picker and the recording's settings word it: "400–650 N"."""
    return f"{c[0]:g}–{c[1]:g} N"


def _outside(name: str, x: float, c: tuple[float, float]) -> str | None:
    """``"peak 702 N above 400–650 N"`` when ``x`` lies outside the corridor ``c``, else None;
    a figure that rounds onto the corridor's end gets the decimals that show it outside
    ("peak 650.4 N above 400–650 N", never "650 N above 400–650 N")."""
    lo, hi = c
    if lo <= x <= hi:
        return None
    digits = next((d for d in range(3) if not lo <= round(x, d) <= hi), 3)
    return f"{name} {x:.{digits}f} N {'below' if x < lo else 'above'} {_corridor(c)}"


def _force(x) -> float:
    """A thrust's force as a number, NaN when unknown (an IMU's: None in a stored event)."""
    try:
        return float(x) if x is not None else math.nan
    except (TypeError, ValueError):
        return math.nan


def letup_flagged_text(letup_n, preload_n) -> str:
    """A flagged let-up's figure in N (without the unit) as the HVLA numbers give it: to a tenth
    of a newton, as replay and the review say it, with more decimals where a tenth would read
    under the bar of flagging (:func:`ui.table.letup_under_flag`: "6.62" flagged from 6.61 N, not
    "6.6" under "<6.7 N"); its figure alone when the preload is unknown, "–" when the let-up is."""
    return letup_parts(_force(letup_n), True, LETUP_DECIMALS, "", _force(preload_n))[0]


def cycle_miss(c, scheme: GradingScheme) -> str | None:
    """What a cycle (a :class:`~analysis.events.CycleEvent`) off ``scheme``'s grade target was,
    as the trainer's caption says it after "off target — ", as a thrust's misses are said: its
    grade and, in brackets, the figures that made it that grade and not the target's: the
    crest against R1 ("II (crest 35 N, short of R1 40 N)"), the swing against alpha ("III+
    (amplitude 31 N, large at α 0.3)": large is at least alpha times the larger of crest and
    R1) or, for a III or IV of the target's grade at another position, where its crest lies
    ("IV (crest 55 % of R1–R2)"); the grade alone for a crest beyond R2 (the caption says "beyond R2!"). None for a
    cycle on target or not judged (no target, a V target, no calibration)."""
    grade, modifier = getattr(c, "grade", None), getattr(c, "modifier", None)
    if scheme.on_target(grade, modifier, bool(getattr(c, "beyond_r2", False))) is not False:
        return None
    said = grade + (modifier or "")
    if c.beyond_r2:
        return said
    aim, why = scheme.target_grade, []
    into = grade in ("III", "IV")
    if into != (aim in ("III", "IV")):
        why.append(f"crest {c.crest_n:.0f} N, {'past' if into else 'short of'} R1 {scheme.r1_n:g} N")
    large = grade in ("II", "III")
    if large != (aim in ("II", "III")):
        why.append(f"amplitude {c.amplitude_n:.0f} N, {'large' if large else 'small'} at α {scheme.alpha:g}")
    # (where its crest lies only when that alone missed: a III- aimed at IV+ is told its large
    # swing, its "-" shows in the grade and on the plot, and a third figure took four lines on
    # a small screen)
    if not why and into and scheme.target_modifier is not None and modifier != scheme.target_modifier \
            and getattr(c, "crest_pct", None) is not None:
        why.append(f"crest {pct_text(c.crest_pct)} % of R1–R2")
    return f"{said} ({'; '.join(why)})" if why else said


def thrust_misses(t, target: Target) -> list[str] | None:
    """How a thrust (a :class:`~analysis.events.ThrustEvent`, or its stored dict) missed an HVLA
    target: its preload or peak outside their corridors (a corridor not set is not judged) and
    a let-up of the preload before it, each in words ("preload 72 N below 100–160 N", "peak
    1000 N above 400–650 N", "let-up 14.8 N": :func:`letup_flagged_text`); [] when it was on target; None when it cannot be
    judged (an IMU's thrust: no forces measured). The trainer says it after each thrust
    (:func:`thrust_verdict`) and the library, the report and the review count it in a V score."""
    get = t.get if isinstance(t, dict) else (lambda k, d=None: getattr(t, k, d))
    preload, peak = _force(get("preload_n")), _force(get("peak_n"))
    if not math.isfinite(peak):
        return None
    misses = [m for m in (_outside("preload", preload, target.preload_n) if target.preload_n else None,
                          _outside("peak", peak, target.peak_n) if target.peak_n else None) if m]
    if get("letup"):
        misses.append(f"let-up {letup_flagged_text(get('letup_n'), preload)} N")
    return misses


def thrust_verdict(t, target: Target) -> tuple[str, bool | None]:
    """A thrust against an HVLA target, as the grade panel says it after a cycle: "target V:
    on target" when its preload and peak lie in their corridors (a corridor not set is not
    judged) and the preload did not let up before it; else "target V: off target — " and each
    miss, " · " between them (on lines of their own when they do not fit on one): "preload 72 N
    below 100–160 N · peak 1000 N above 400–650 N · let-up 14.8 N". An IMU's thrust has no forces
    to judge: "target V: an IMU measures no force". Returns the words and whether it was on
    target (None: not judged)."""
    head = f"target {target.text}: "
    misses = thrust_misses(t, target)
    if misses is None:
        return head + NO_FORCE_VERDICT, None
    if not misses:
        return head + "on target", True
    return head + "off target" + OFF_DASH + MISS_SEP.join(misses), False
