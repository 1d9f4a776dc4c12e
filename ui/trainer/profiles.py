"""Named calibration profiles (per manikin or partner) in ``$XDG_CONFIG_HOME/gradecoach/profiles.json``."""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from analysis.errors import InputError
from firmware_bridge import json_text


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "gradecoach"


def profiles_path() -> Path:
    return config_dir() / "profiles.json"


@dataclass(frozen=True)
class Calibration:
    """R1 (first resistance) and R2 (limit of range) in N, under a profile name."""

    name: str
    r1_n: float
    r2_n: float

    def to_dict(self) -> dict:
        return asdict(self)


def calibration_problem(r1_n: float | None, r2_n: float | None, advice: bool = True) -> str | None:
    """Why a calibration is nonsense (a sentence for the user), or None when it is usable;
    ``advice``: with what to do at the sensor (the wizard's wording)."""
    if r1_n is None or r2_n is None:
        return "both R1 and R2 are needed"
    if not (math.isfinite(r1_n) and math.isfinite(r2_n)):
        return "R1 and R2 must be numbers"
    if r1_n <= 0 or r2_n <= 0:
        return f"forces must be positive (got R1 = {r1_n:g} N, R2 = {r2_n:g} N)"
    if r1_n >= r2_n:
        if not advice:
            return f"R1 {r1_n:g} N must be below R2 {r2_n:g} N"
        return (f"R1 (first resistance, {r1_n:g} N) must be below R2 (limit of range, {r2_n:g} N): "
                "press to the limit for R2")
    return None


_JSON_KINDS = {list: "list", str: "string", int: "number", float: "number", bool: "true or false",
               type(None): "null"}


def load_profiles(path: Path | None = None) -> dict[str, Calibration]:
    """All saved profiles by name; a missing file is an empty store, a broken one (not a JSON
    object of profiles, or a profile no practice can use: R1 not below R2) an InputError naming
    the file and the profile, so it is not taken for a profile never saved."""
    path = path or profiles_path()
    if not path.exists():
        return {}
    try:
        raw = json_text.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}: not valid JSON ({e.msg})") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None
    if not isinstance(raw, dict):
        raise InputError(f"{path}: a JSON {_JSON_KINDS.get(type(raw), type(raw).__name__)}, not the object "
                         f"{{\"profiles\": {{NAME: {{\"r1_n\": …, \"r2_n\": …}}}}}} gradecoach saves")
    profiles = raw.get("profiles", {})
    if not isinstance(profiles, dict):
        raise InputError(f"{path}: 'profiles' should be an object of name -> {{r1_n, r2_n}}")
    out = {}
    for name, d in profiles.items():
        try:
            cal = Calibration(name, float(d["r1_n"]), float(d["r2_n"]))
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{path}: profile {name!r} lacks numeric r1_n and r2_n") from None
        problem = calibration_problem(cal.r1_n, cal.r2_n, advice=False)
        if problem:
            raise InputError(f"profile {name!r} in {path}: {problem}")
        out[name] = cal
    return out


def save_profile(cal: Calibration, path: Path | None = None) -> Path:
    """Add or replace one profile; written atomically so a crash never leaves half a file."""
    problem = calibration_problem(cal.r1_n, cal.r2_n)
    if problem:
        raise InputError(f"calibration refused: {problem}")
    if not cal.name.strip():
        raise InputError("a calibration profile needs a name")
    path = path or profiles_path()
    profiles = load_profiles(path)
    profiles[cal.name] = cal
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"profiles": {k: {"r1_n": v.r1_n, "r2_n": v.r2_n} for k, v in sorted(profiles.items())}}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
