"""The contents of a session folder's session.json (:class:`SessionMeta`), read with each unusable
field named and ignored, and the force units it may name. See docs/format.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from analysis.errors import InputError
from analysis.scheme import parse_target

SCHEMA_VERSION = 1
KNOWN_FORCE_UNITS = {"N": 1.0, "mN": 0.001, "kgf": 9.80665, "kg": 9.80665, "lbf": 4.4482216152605}
# a sensor without a usable calibration sends its ADC's counts: recorded as they came, read as
# they are (not newtons), and said so
RAW_COUNTS = "counts"


def finite_number(v) -> bool:
    """Whether a value read from JSON is a finite number (not a bool, not text; an integer of
    hundreds of digits, which no float holds, is not one either)."""
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:
        return False


def finite_float(v) -> float | None:
    """A value read from JSON as a float when it is a finite number (:func:`finite_number`: an
    integer of hundreds of digits is not one), None when it is not. Python's integers beyond 64
    bits (2**64) are floats here, as numpy takes no such integer."""
    return float(v) if finite_number(v) else None


def value_text(v, width: int = 40) -> str:
    """A value read from a file as a message shows it: a number in ``:g`` (1e+308, not its 309
    digits; an integer no float holds as about its size, 1e+400), anything else its text cut to
    ``width`` characters and quoted (what cannot be seen written out, ``\x1f``, cut with it: the
    quoted text is at most ``width`` + 5 characters)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        try:
            return f"{v:g}" if isinstance(v, float) else (str(v) if abs(v) < 10 ** 15 else f"{float(v):g}")
        except OverflowError:                   # an integer beyond a float's range
            digits = str(abs(v))
            return f"{'-' if v < 0 else ''}{digits[0]}e+{len(digits) - 1}"
    text = repr(str(v)[:width])
    if len(text) > width + 5:            # (escapes written out: a control character is four)
        text = text[:width + 3] + "…" + text[0]
    return text


def _spans(v) -> bool:
    return isinstance(v, list) and all(isinstance(g, dict) and finite_number(g.get("t_start")) and finite_number(g.get("t_end"))
                                       for g in v)


_FIELD_CHECKS = {
    "created": lambda v: isinstance(v, str), "trainee": lambda v: isinstance(v, str),
    "technique": lambda v: isinstance(v, str), "notes": lambda v: isinstance(v, str),
    "target": lambda v: v is None or isinstance(v, str),
    "r1_n": lambda v: v is None or finite_number(v), "r2_n": lambda v: v is None or finite_number(v),
    "alpha": lambda v: finite_number(v) and 0 < v < 1,
    "sensor": lambda v: isinstance(v, dict), "streams": lambda v: isinstance(v, dict),
    "comments": lambda v: isinstance(v, list),        # (an entry that is not a comment is left out below)
    "complete": lambda v: isinstance(v, bool), "gaps": _spans,
}


@dataclass
class SessionMeta:
    """Contents of session.json. Forces in N, times in s."""

    schema_version: int = SCHEMA_VERSION
    created: str = ""
    trainee: str = ""
    technique: str = ""
    target: str | None = None
    r1_n: float | None = None
    r2_n: float | None = None
    alpha: float = 0.5
    sensor: dict = field(default_factory=lambda: {"name": "", "description": "", "force_units": "N"})
    streams: dict = field(default_factory=dict)   # name -> {"file": ..., "rate_hz": ...}
    notes: str = ""
    comments: list = field(default_factory=list)  # [{"t_s": float, "text": str, "author": str}]
    complete: bool = False
    gaps: list = field(default_factory=list)      # [{"t_start": s, "t_end": s, "reason": str}]
    extra: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # fields of the file that were unusable (not written back)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("problems", None)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str = "session.json") -> "SessionMeta":
        if not isinstance(d, dict):
            raise InputError(f"{where}: expected a JSON object")
        d, problems = dict(d), []
        v = d.get("schema_version", 1)
        if isinstance(v, str) and re.fullmatch(r"\s*\d{1,9}\s*", v):          # "1": a version all the same
            d["schema_version"] = int(v)
            problems.append(f"{where}: schema_version {v!r} is text, not a number; read as {int(v)}")
        elif finite_number(v) and float(v).is_integer():
            d["schema_version"] = int(v)
        else:
            raise InputError(f"{where}: schema_version {value_text(v, 20)} is not a version number; this gradecoach "
                             f"reads {SCHEMA_VERSION}")
        v = d["schema_version"]
        if v > SCHEMA_VERSION:
            raise InputError(f"{where}: schema_version {value_text(v)} is newer than this gradecoach reads ({SCHEMA_VERSION})")
        if v < 1:
            raise InputError(f"{where}: schema_version {value_text(v)} is not a version number; this gradecoach reads "
                             f"{SCHEMA_VERSION}")
        names = [k for k in cls.__dataclass_fields__ if k not in ("extra", "problems")]
        known = {}
        for k in names:
            if k not in d:
                continue
            ok = _FIELD_CHECKS.get(k, lambda v: True)(d[k])
            if ok:
                known[k] = d[k]
            else:
                problems.append(f"{where}: {k} {value_text(d[k])} is not usable; ignored")
        extra = {k: d[k] for k in d if k not in names and k not in ("extra", "problems")}
        meta = cls(**known)
        if isinstance(d.get("extra"), dict):
            meta.extra.update(d["extra"])
        meta.extra.update(extra)
        meta.streams = {k: v for k, v in meta.streams.items() if isinstance(v, dict)}
        for v in meta.streams.values():
            if not isinstance(v.get("file", ""), str) or "/" in v.get("file", "") or "\\" in v.get("file", ""):
                problems.append(f"{where}: stream file {str(v.get('file'))[:40]!r} is not a file name; ignored")
                v.pop("file")
        if meta.r1_n is not None and meta.r2_n is not None and not 0 < meta.r1_n < meta.r2_n:
            problems.append(f"{where}: calibration R1 {meta.r1_n:g} N, R2 {meta.r2_n:g} N is not usable "
                            "(R1 must be positive and below R2); ignored")
            meta.r1_n = meta.r2_n = None
        elif (meta.r1_n is None) != (meta.r2_n is None):
            have, lack = ("r1_n", "r2_n") if meta.r2_n is None else ("r2_n", "r1_n")
            why = "is not usable" if d.get(lack) is not None else "is not given"   # (the first: said above)
            problems.append(f"{where}: {have} {getattr(meta, have):g} N without {lack} ({lack} {why}); "
                            f"calibration ignored")
            meta.r1_n = meta.r2_n = None
        good = [c for c in meta.comments
                if isinstance(c, dict) and finite_number(c.get("t_s")) and isinstance(c.get("text", ""), str)]
        if len(good) < len(meta.comments):
            problems.append(f"{where}: {len(meta.comments) - len(good)} comment(s) without a time or text; ignored")
            meta.comments = good
        if meta.target is not None:
            try:
                parse_target(meta.target)
            except InputError:
                problems.append(f"{where}: target {meta.target[:20]!r} is not a grade; ignored")
                meta.target = None
        meta.problems = problems
        if isinstance(meta.sensor, dict) and "force_units" in meta.sensor and meta.sensor["force_units"] is None:
            meta.sensor = {k: v for k, v in meta.sensor.items() if k != "force_units"}    # null: not given, N
        units = (meta.sensor or {}).get("force_units", "N")
        if not isinstance(units, str) or (units not in KNOWN_FORCE_UNITS and units != RAW_COUNTS):
            raise InputError(f"{where}: unknown force units {value_text(units, 20)}; known: {', '.join(KNOWN_FORCE_UNITS)}, "
                             f"{RAW_COUNTS}")
        if units == RAW_COUNTS:
            problems.append(f"{where}: the force was recorded in the sensor's raw ADC counts (it had no usable "
                            f"calibration): forces, peaks and rates read in counts, not newtons, and R1/R2 must be "
                            f"counts too")
        return meta
