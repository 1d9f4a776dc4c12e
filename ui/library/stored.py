"""Which events of a session the library reads: its stored ``events.jsonl`` when it holds what
is read of it, agrees with its summary and was made with the session's calibration and target;
else the raw data analysed again."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from analysis.scheme import GradingScheme, parse_target
from firmware_bridge.session import SessionMeta, finite_number
from firmware_bridge.session_scheme import stored_min_amplitude, stored_thrust_scheme


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-9
    return a == b


# what the library, the report and the review read of stored events: a number (N) or a number
# or null (n), ending in "?" when the key may be left out, under each event type; a key missing,
# or text where a number belongs, makes the stored events unusable (edited by hand, or written
# by something else) and the raw data is analysed again, as when they were made with another
# calibration
_NEEDED: dict[str, dict[str, str]] = {
    "cycle": {**dict.fromkeys(("t_start", "t_end", "t_crest", "crest_n", "trough_n", "amplitude_n", "freq_hz"), "N"),
              "set_index": "N?", "crest_pct": "n?"},
    "thrust": {**dict.fromkeys(("t_onset", "t_peak", "time_to_peak_ms"), "N"),
               **dict.fromkeys(("preload_n", "peak_n", "rate_n_per_s", "max_rate_n_per_s", "letup_n"), "n"),
               "index": "N?", "duration_ms": "n?"},
    "cavitation": {"t": "N", "thrust": "n?", "level_db": "n?", "confidence": "n?", "duration_ms": "n?",
                   "peak_hz": "n?"},
}
# (a set's beyond_r2 is null without R2: no crest was checked against one)
_SUMMARY_SET = {**dict.fromkeys(("set_index", "t_start", "t_end", "n_cycles"), "N"),
                **dict.fromkeys(("mean_freq_hz", "freq_cv_pct", "mean_amplitude_n", "amplitude_cv_pct",
                                 "mean_crest_n", "on_target_pct", "beyond_r2"), "n")}
_SUMMARY_THRUST = {**dict.fromkeys(("index", "t_peak", "time_to_peak_ms"), "N"),
                   **dict.fromkeys(("preload_n", "peak_n", "rate_n_per_s", "max_rate_n_per_s", "letup_n"), "n")}


def _unfit(d, needed: dict[str, str]) -> str | None:
    """The first key of ``d`` that is not what ``needed`` says, or None."""
    if not isinstance(d, dict):
        return "an entry that is not an object"
    for k, kind in needed.items():
        if k not in d:
            if not kind.endswith("?"):
                return f"{k} missing"
            continue
        v = d[k]
        if not ((kind.startswith("n") and v is None) or finite_number(v)):
            return f"{k} {repr(v)[:20]}"
    return None


def stored_events_problem(events: list[dict]) -> str | None:
    """Why stored events cannot be shown as they are (one line), or None."""
    for i, e in enumerate(events, 1):
        kind = e.get("type")
        why = _unfit(e, _NEEDED[kind]) if kind in _NEEDED else None
        if kind == "summary":
            if not isinstance(e.get("duration_s"), (int, float)) or not isinstance(e.get("grade_histogram", {}), dict):
                why = "duration_s or grade_histogram unusable"
            for key, needed in (("sets", _SUMMARY_SET), ("thrusts", _SUMMARY_THRUST),
                                ("pops_outside_thrusts", {"t": "N"})):
                items = e.get(key, [])
                bad = "not a list" if not isinstance(items, list) else \
                    next((w for w in (_unfit(x, needed) for x in items) if w), None)
                if why is None and bad:
                    why = f"{key}: {bad}"
            if why is None and not all(isinstance(x, dict) and isinstance(x.get("grade_histogram"), dict)
                                       for x in e.get("sets", [])):
                why = "sets: grade_histogram unusable"
        if why:
            return f"event {i} ({kind}): {why}"
    return None


def _grades(cycles: list[dict]) -> dict[str, int]:
    """A grade histogram of cycle dicts, keyed as the summary's ("III--", "ungraded")."""
    from analysis.summary import grade_label
    return dict(sorted(Counter(grade_label(c.get("grade"), c.get("modifier")) for c in cycles).items()))


def _histogram_text(hist: dict) -> str:
    from ui.table import in_grade_order
    return ", ".join(f"{k}: {v}" for k, v in in_grade_order(hist)) or "none"


def summary_disagreement(events: list[dict]) -> str | None:
    """Where stored events ending in a summary contradict it (one line), or None: the cycles'
    grades, overall and per set, their count and crests beyond R2 (where the set's count is
    known: it is null without R2), the thrusts and their let-ups,
    each as the summary gives them. A file edited by hand (a grade changed, the summary left)
    read 83 % on target from its cycles beside 'III--: 12, on target 100 %' from its summary."""
    s = events[-1]
    cycles = [e for e in events if e.get("type") == "cycle"]
    thrusts = [e for e in events if e.get("type") == "thrust"]
    hist = _grades(cycles)
    if len(cycles) != s.get("n_cycles", len(cycles)) or hist != s.get("grade_histogram", hist):
        return (f"its cycles' grades ({_histogram_text(hist)}) disagree with its summary's "
                f"({_histogram_text(s.get('grade_histogram', {}))})")
    for st in s.get("sets", []):
        mine = [c for c in cycles if int(c.get("set_index", 0)) == st["set_index"]]
        beyond = sum(bool(c.get("beyond_r2")) for c in mine)
        if (len(mine) != st["n_cycles"] or _grades(mine) != st["grade_histogram"]
                or (st["beyond_r2"] is not None and beyond != st["beyond_r2"])):      # (None: none checked, no R2)
            return (f"the grades of set {int(st['set_index']) + 1} in its cycles ({_histogram_text(_grades(mine))}, "
                    f"{beyond} beyond R2) disagree with its summary's ({_histogram_text(st['grade_histogram'])}, "
                    f"{'–' if st['beyond_r2'] is None else st['beyond_r2']} beyond R2)")
    if len(thrusts) != s.get("n_thrusts", len(thrusts)) or len(s.get("thrusts", [])) not in (0, len(thrusts)):
        return f"its {len(thrusts)} thrusts disagree with its summary's {s.get('n_thrusts')}"
    for t, row in zip(thrusts, s.get("thrusts", [])):
        if bool(t.get("letup")) != bool(row.get("letup")) or not all(
                _same(t.get(k), row.get(k)) for k in ("t_peak", "peak_n", "preload_n", "letup_n")):
            return f"thrust {int(row['index']) + 1} disagrees with its summary's (let-up, peak or preload)"
    return None


def stored_pops_without_sound(inp) -> int:
    """How many pops the stored events (``inp.events``) hold that were heard in sound the folder
    no longer has (its audio file and entry deleted to save space, say); 0 when its sound is
    there. Such pops are left out, as replaying the folder finds none: the stored events are not
    used (:func:`use_stored_events`) and the pops are unknown, as for a session recorded without
    sound."""
    if getattr(inp, "audio_path", None) is not None:
        return 0
    return sum(e.get("type") == "cavitation" for e in inp.events or ())


def use_stored_events(inp, meta: SessionMeta, folder: str | os.PathLike) -> bool:
    """True when the session's stored events (``inp.events``) end in a summary made with the
    calibration in ``meta``, hold what is read of them (see :func:`stored_events_problem`) and
    agree with their summary (see :func:`summary_disagreement`), and hold no pops heard in sound
    the folder no longer has (see :func:`stored_pops_without_sound`). When what they hold is the
    reason they are not used (not another calibration), that is added to ``inp.warnings``, in
    one line. The library, the report and the review window all decide by this."""
    events = inp.events
    if not events:
        return False
    why = stored_events_problem(events)
    if why is not None:
        inp.warnings.append(f"{Path(folder) / 'events.jsonl'}: {why}; analysed again from the raw data")
        return False
    if events[-1].get("type") != "summary":
        return False
    s = events[-1]
    why = summary_disagreement(events)
    gone = stored_pops_without_sound(inp)
    if why is None and gone:
        why = (f"its {gone} pop{'s' if gone != 1 else ''} were heard in sound the folder no longer has "
               f"(pops left out, unknown)")
    if why is not None:
        inp.warnings.append(f"{Path(folder) / 'events.jsonl'}: {why}; analysed again from the raw data")
        return False
    target = meta.target
    if target:
        g, m = parse_target(target)
        target = g + (m or "")
    return (_same(s.get("r1_n"), meta.r1_n) and _same(s.get("r2_n"), meta.r2_n)
            and _same(s.get("alpha"), meta.alpha) and _same(s.get("target"), target))


def session_events(folder: str | os.PathLike) -> tuple[list[dict], str, Any]:
    """Events of a session folder: ``(events, source, ReplayInput)``; source "stored"/"analysis"
    (graded with the session's own settings, its pops tied with its own pop window)."""
    from analysis.summary import untie_dangling
    from firmware_bridge.replay import analyze_input, load_input

    inp = load_input(folder)
    meta = inp.meta or SessionMeta()
    if use_stored_events(inp, meta, folder):
        return untie_dangling(list(inp.events)), "stored", inp
    scheme = GradingScheme(meta.r1_n, meta.r2_n, alpha=meta.alpha).with_min_amplitude(stored_min_amplitude(meta)[0])
    if meta.target:
        scheme = scheme.with_target(meta.target)
    return [e.to_dict() for e in analyze_input(inp, scheme, stored_thrust_scheme(meta))], "analysis", inp
