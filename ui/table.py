"""Human-readable summary of an analysis: one block per set, one line per thrust."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from analysis.scheme import GRADES as SCHEME_GRADES
from analysis.scheme import MODIFIERS, GradingScheme, ThrustScheme
from analysis.summary import describe_pops
from firmware_bridge.session import finite_number


def number_or_none(v) -> float | None:
    """``v`` as a float when it is a finite number (:func:`firmware_bridge.session.finite_number`),
    else None (JSON edited by hand)."""
    return float(v) if finite_number(v) else None


def describe_settings(target: dict | None, r1_n, r2_n, sep: str = ", ") -> str:
    """A target and a calibration in words, as the trainer, the review and the report word them:
    "target IV- at 1.5 Hz, R1 30 N, R2 100 N" (``sep`` between the two); "no target", "no
    calibration" for none."""
    t = target if isinstance(target, dict) else {}
    text = t.get("text") if isinstance(t.get("text"), str) and t.get("text") else None
    if text is None and isinstance(t.get("grade"), str):
        text = t["grade"] + (t["modifier"] if isinstance(t.get("modifier"), str) else "")
    aim = f"target {text}" if text else "no target"
    if text and number_or_none(t.get("rate_hz")):
        aim += f" at {number_or_none(t['rate_hz']):g} Hz"
    for name, key in (("preload", "preload_n"), ("peak", "peak_n")):
        c = t.get(key) if text else None
        if isinstance(c, (list, tuple)) and len(c) == 2 and all(number_or_none(v) is not None for v in c):
            aim += f", {name} {c[0]:g}–{c[1]:g} N"
    r1, r2 = number_or_none(r1_n), number_or_none(r2_n)
    return aim + sep + (f"R1 {r1:g} N, R2 {r2:g} N" if r1 is not None and r2 is not None else "no calibration")


GRADES = (*SCHEME_GRADES, "V")            # the oscillation grades, then a thrust's


def grade_key(label) -> tuple:
    """Where a grade (with its modifier: "III-", "IV++") comes in grade order: I, II, III--, III-,
    III, III+, III++, IV--, …, V; anything else ("ungraded") after them, by name."""
    text = str(label)
    for i, g in sorted(enumerate(GRADES), key=lambda p: -len(p[1])):     # ("III" before "II", "I")
        mod = text[len(g):]
        if text.startswith(g) and mod in MODIFIERS:
            return 0, i, MODIFIERS.index(mod), ""
    return 1, 0, 0, text


def in_grade_order(hist: dict) -> list:
    """A grade histogram's ``(grade, count)`` pairs in grade order (:func:`grade_key`), not in
    the order of its keys' strings (I, III+, III++, III-, …)."""
    return sorted(hist.items(), key=lambda kv: grade_key(kv[0]))


def pct_text(pct: float, decimals: int = 0) -> str:
    """A percentage as every table, caption and line shows it to people, without its "%": to
    ``decimals`` places, half up (5 of 8 on target, 62.5, is "63"; 37.5 "38"), not half to even
    as Python's format rounds (which said "62" of one and "38" of the other). A float is rounded
    as it reads (its shortest repr), so 62.5 computed as 100 * 5 / 8 is "63"."""
    if not math.isfinite(pct):
        return f"{pct:.{decimals}f}"
    q = Decimal(repr(float(pct))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{q.copy_abs() if q.is_zero() else q:f}"     # (-0.2 is "0", not "-0")


def _f(v, fmt: str = "{:.1f}", none: str = "–") -> str:
    return none if v is None else fmt.format(v)


def mean_movement(cycles: list[dict]) -> tuple[float | None, float | None]:
    """Mean hand movement (mm) and frequency (Hz) of cycles measured by an IMU; None for what
    none of them has (a stored event edited by hand may hold anything)."""
    def mean(key: str) -> float | None:
        v = [float(c[key]) for c in cycles if isinstance(c.get(key), (int, float)) and not isinstance(c[key], bool)]
        return sum(v) / len(v) if v else None
    return mean("displacement_mm"), mean("freq_hz")


def _movement(cycles: list[dict], with_freq: bool = True) -> str | None:
    """Mean hand movement (and frequency) of cycles measured by an IMU, or None if none were."""
    mm, hz = mean_movement(cycles)
    if mm is None:
        return None
    return f"{mm:.1f} mm" + (f" at {hz:.2f} Hz" if hz is not None and with_freq else "")


def crest_position(summary: dict, crest_n) -> str | None:
    """Where a (mean) crest lies in R1–R2 of the summary's calibration, as the trainer shows it:
    ``"72 %"``, ``"below R1"``, or ``"beyond R2"`` where the grading scheme flags a crest beyond
    it (a crest a little past R2 is a III++/IV++ and reads over 100 %). None without a
    calibration or a crest."""
    r1, r2 = summary.get("r1_n"), summary.get("r2_n")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (r1, r2, crest_n)) \
            or not 0 < r1 < r2:
        return None
    if GradingScheme(float(r1), float(r2)).beyond_r2(float(crest_n)):
        return "beyond R2"
    if crest_n < r1:
        return "below R1"
    return f"{pct_text(100.0 * (crest_n - r1) / (r2 - r1))} %"


def beyond_r2_shown(summary: dict, count) -> str:
    """A set's count of crests beyond R2 as replay's table and the report give it: "–" where the
    summary has no R2 (no crest was checked against one, as "on target" says "–"), else the
    count."""
    return "–" if number_or_none(summary.get("r2_n")) is None else str(count)


# a recording's pops when the sound given with it could not be read at all (a damaged file)
UNREADABLE = "pops unknown (sound unreadable)"


LETUP_FLAG = "flagged"      # said after a let-up large enough to count as a fault
LETUP_NONE = "none"         # said of a let-up under that: measured, but no let-up
LETUP_IN_TREMOR = "within tremor"    # where the hold's own tremor hid a let-up past the least flagged


def letup_flag_from_n(preload_n: float) -> float:
    """The least let-up (N) the thrust analysis flags from a held preload of ``preload_n`` N
    (:meth:`analysis.scheme.ThrustScheme.least_letup_flagged_n`), before the hold's noise and
    tremor, which only the analysis measured, raise it further."""
    return ThrustScheme().least_letup_flagged_n(preload_n)


def _known(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _trimmed(x: float, decimals: int) -> str:
    text = f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def letup_under_flag(letup_n, flagged: bool, preload_n, decimals: int) -> tuple[str, str] | None:
    """Where flagging starts for a thrust's let-up, and its figure to go with it: ``(figure,
    bar)``: the bar "under 7.4 N" (the least let-up flagged from that preload, rounded up) or, for
    a let-up past that left unflagged, :data:`LETUP_IN_TREMOR` (the hold's tremor raised the bar);
    the figure with ``decimals``, more where it would read on the wrong side of the bar ("7.3"
    under "7.4", not "7" under "8"; a flagged "7.4" from "7.4", not "7" from "8"). None when the
    let-up or the preload is unknown (an IMU's thrust)."""
    if not (_known(letup_n) and _known(preload_n)):
        return None
    least = letup_flag_from_n(float(preload_n))
    if not flagged and letup_n >= least:
        return f"{letup_n:.{decimals}f}", LETUP_IN_TREMOR
    for d in range(decimals, decimals + 3):
        bar = math.ceil(least * 10 ** d - 1e-9) / 10 ** d
        figure = f"{letup_n:.{d}f}"
        if (float(figure) >= bar) == bool(flagged):
            break
    return figure, f"under {_trimmed(bar, d)} N"


def letup_parts(letup_n, flagged: bool, decimals: int = 1, unit: str = "", preload_n=None) -> tuple[str, str]:
    """A thrust's let-up as :func:`describe_letup` words it, in two parts: its figure with
    ``unit`` and what follows it ("" when nothing does), so that a table can align the figures."""
    if not _known(letup_n):
        return "–", ""
    if flagged:                   # ("6.62 flagged" from 6.61 N: a tenth, "6.6", reads under the bar)
        said = letup_under_flag(letup_n, True, preload_n, decimals)
        return f"{said[0] if said else f'{letup_n:.{decimals}f}'}{unit}", LETUP_FLAG
    said = letup_under_flag(letup_n, False, preload_n, decimals)
    if said is None:
        return f"{letup_n:.{decimals}f}{unit}", ""
    return f"{said[0]}{unit}", f"({said[1]}: {LETUP_NONE})"


def describe_letup(letup_n, flagged: bool, decimals: int = 1, unit: str = "", preload_n=None) -> str:
    """A thrust's let-up in N as measured (``"2.2"``, with ``unit=" N"`` ``"2.2 N"``), with
    :data:`LETUP_FLAG` after it when it is flagged (``"30.1 flagged"``); "–" when unknown (an
    IMU's thrust: null, or NaN live). With the thrust's ``preload_n``, one under the flag says so
    and where flagging starts: "2.9 N (under 7.7 N: none)", "9.0 N (within tremor: none)" (a
    bare "2.9 N" was taken for a fault)."""
    return " ".join(p for p in letup_parts(letup_n, flagged, decimals, unit, preload_n) if p)


def imu_thrust(t: dict) -> bool:
    """Whether a thrust (a summary's row or an event dict) was seen by a hand-worn IMU alone: its
    ``duration_ms`` is then how long the hand accelerated (docs/imu.md), not how long the thrust
    lasted, and it has no forces (a row saved before ``source`` was written has its peak null)."""
    return t.get("source") == "imu" or (t.get("source") is None and number_or_none(t.get("peak_n")) is None)


def _n(n: int, what: str) -> str:
    """``"1 pop"``, ``"3 pops"``."""
    return f"{n} {what}" + ("" if n == 1 else "s")


def _pops_counted(summary: dict) -> str:
    """The first line's pops of a recording with sound: "5 pops", "5 pops (unknown at 4 of 6
    thrusts)" where the sound could not tell for some thrusts (none there, or none usable),
    and "pops unknown" where it told for none and no pop was heard (not "0 pops": the
    thrusts table's "–", the report's "unknown")."""
    n = summary.get("n_cavitations", 0)
    thrusts = [t for t in summary.get("thrusts") or () if isinstance(t, dict)]
    unknown = sum(t.get("pops", 0) is None for t in thrusts)
    if not unknown:
        return _n(n, "pop")
    if not n and unknown == len(thrusts):
        return "pops unknown"
    at = "at the thrust" if len(thrusts) == 1 else f"at {unknown} of {len(thrusts)} thrusts"
    return f"{_n(n, 'pop')} (unknown {at})"


def describe_lengths(summary: dict) -> str:
    """The recording's length: the force's (else the IMU's, else the audio's), with the audio's
    beside it when that differs by a tenth of a second or more (``"20.6 s (audio 9.9 s)"``), as
    replay's table, the report and the review's details give it. The force's (or IMU's) runs to
    the end of a gap marked past the last sample of every stream (the sensor lost before the end:
    ``duration_s`` counts it)."""
    main, audio = recording_lengths(summary)
    said = f"{main:.1f} s"
    return said if audio is None or f"{audio:.1f}" == f"{main:.1f}" else f"{said} (audio {audio:.1f} s)"


def recording_lengths(summary: dict) -> tuple[float, float | None]:
    """The recording's length as :func:`describe_lengths` gives it (s), and its audio's (None:
    no audio, or a recording of audio alone, whose length is the first)."""
    spans = summary.get("spans_s") or {}

    def length(k: str) -> float | None:
        v = spans.get(k)
        return float(v[1]) - float(v[0]) if isinstance(v, (list, tuple)) and len(v) == 2 else None

    main = next((x for x in map(length, ("force", "imu")) if x is not None), None)
    audio = length("audio")
    if main is None:
        return float(number_or_none(summary.get("duration_s")) or 0.0), None
    # a sensor lost before the end: the recording went on to the end of its gap (the summary's
    # duration_s counts it, from the first sample of any stream), past the data of every stream
    sensor = next(spans[k] for k in ("force", "imu") if length(k) is not None)
    ends = [(float(v[0]), float(v[1])) for v in spans.values() if isinstance(v, (list, tuple)) and len(v) == 2]
    first, last = min(a for a, _ in ends), max(b for _, b in ends)
    whole = number_or_none(summary.get("duration_s"))
    if whole is not None and first + whole > last + 1e-3:      # (beyond what rounding to the µs makes)
        main = first + whole - float(sensor[0])
    return main, audio


def describe_thrusts_on_target(thrusts: list[dict], aim) -> str:
    """How many of ``thrusts`` (a summary's rows, or event dicts) were on the V/HVLA target
    ``aim``, as the trainer judges each (:func:`ui.library.thrust_on_target`), of those that can
    be judged, and their share, the session's score: "thrusts on target: 2 of 3 (67 %)"; those
    that cannot be judged (a worn IMU alone measures no force) said after it; "thrusts on target:
    no thrust performed" for none."""
    from ui.library.stats import NO_THRUST_DONE, thrust_on_target
    from ui.trainer.target import NO_FORCE_VERDICT
    if not thrusts:
        return f"thrusts on target: {NO_THRUST_DONE}"
    judged = [o for o in (thrust_on_target(t, aim) for t in thrusts) if o is not None]
    left = len(thrusts) - len(judged)
    not_judged = f"{left} not judged: {NO_FORCE_VERDICT}" if left else ""
    if not judged:
        return f"thrusts on target: – ({not_judged})"
    return (f"thrusts on target: {sum(judged)} of {len(judged)} ({pct_text(100.0 * sum(judged) / len(judged))} %)"
            + (f"; {not_judged}" if not_judged else ""))


def render_summary(name: str, summary: dict, pops: list[dict] | None = None,
                   events: list[dict] | None = None, aim=None) -> str:
    """Render a summary event dict (``type == "summary"``) as text. With the ``events`` (dicts)
    before it, cycles measured by a hand-worn IMU are described too: the hand's movement of
    each set, and the IMU's own cycles when there is no force to find cycles in. Against a
    V/HVLA target ``aim`` (a :class:`ui.trainer.target.Target`: :func:`ui.library.session_target`)
    each thrust says whether it was on target as the trainer judges it, worded as the report
    and the review word it ("yes", "no — let-up 26.6 N"), and a line counts them
    (:func:`describe_thrusts_on_target`)."""
    events = events or []
    imu_cycles = [e for e in events if e.get("type") == "imu_cycle"]
    force_cycles = [e for e in events if e.get("type") == "cycle"]
    counted = (_n(len(imu_cycles), "IMU cycle") if imu_cycles and not force_cycles and not summary["n_cycles"]
               else _n(summary["n_cycles"], "cycle"))
    lines = [f"{name}: {describe_lengths(summary)}, {counted}, {_n(summary['n_thrusts'], 'thrust')}, "
             + (_pops_counted(summary) if summary.get("audio", True) else
                UNREADABLE if summary.get("audio_unreadable") else "no audio")]
    target = f", target {summary['target']}" if summary.get("target") else ""
    if summary.get("r1_n") is not None:
        # (a worn IMU alone: the calibration grades no force, as the review and the report say)
        unused = " (not used: no force recorded)" if "force" not in summary.get("spans_s", {"force": 0}) else ""
        lines.append(f"  calibration R1 {summary['r1_n']:g} N, R2 {summary['r2_n']:g} N, "
                     f"alpha {summary['alpha']:g}{unused}{target}")
    elif target:
        lines.append(f"  no calibration{target}")
    if aim is not None:
        lines.append("  " + describe_thrusts_on_target(summary.get("thrusts") or [], aim))
    if imu_cycles and not force_cycles:
        lines.append(f"  hand movement (IMU): {_n(len(imu_cycles), 'cycle')}, mean {_movement(imu_cycles)}")
    for w in summary.get("warnings", []):
        lines.append(f"  warning: {w}")
    if summary.get("skipped_rows"):
        lines.append(f"  skipped rows: {summary['skipped_rows']}")
    for s in summary.get("sets", []):
        hist = "  ".join(f"{k}:{v}" for k, v in in_grade_order(s["grade_histogram"]))
        lines.append("")
        lines.append(f"  set {s['set_index'] + 1}  {s['t_start']:.1f}–{s['t_end']:.1f} s  {_n(s['n_cycles'], 'cycle')}")
        lines.append(f"    grades         {hist}")
        # (the first set says what a CV is: the cycle-to-cycle variation, lower is steadier)
        cv = "CV" if s is not summary["sets"][0] else "CV, cycle-to-cycle variation:"
        lines.append(f"    frequency      {s['mean_freq_hz']:.2f} Hz ({cv} {_f(s['freq_cv_pct'])} %)")
        where = crest_position(summary, s["mean_crest_n"])
        lines.append(f"    amplitude      {s['mean_amplitude_n']:.1f} N (CV {_f(s['amplitude_cv_pct'])} %)"
                     f", mean crest {s['mean_crest_n']:.1f} N" + (f" ({where} of R1–R2)" if where and "%" in where
                                                                  else f" ({where})" if where else ""))
        moved = _movement([c for c in force_cycles if c.get("set_index") == s["set_index"]], with_freq=False)
        if moved:
            lines.append(f"    movement       {moved} (IMU)")
        on = s["on_target_pct"]
        lines.append(f"    on target      {'–' if on is None else pct_text(on) + ' %'}")
        lines.append(f"    beyond R2      {beyond_r2_shown(summary, s['beyond_r2'])}")
    if summary.get("thrusts"):
        lines.append("")
        thrusts = summary["thrusts"]
        # the let-up as measured, whether it counts after it ("flagged", "(under 7.7 N: none)");
        # its heading and figures stay aligned (an IMU's thrust has no forces: its let-up is unknown,
        # not none; worded as the trainer's HVLA tab and the review say it)
        letups = [letup_parts(t.get("letup_n"), bool(t.get("letup")), unit=" N",
                              preload_n=number_or_none(t.get("preload_n"))) for t in thrusts]
        after = max(len(a) for _, a in letups)
        pad = " " * (after + 1) if after else ""
        # the hand's movement from onset to peak, where a hand-worn IMU measured it (an IMU's
        # thrust, or a force thrust with an IMU beside it), as the trainer says "hand moved 4.2 mm"
        moved = any(number_or_none(t.get("displacement_mm")) is not None for t in thrusts)
        # an IMU's thrust has no duration measured: its duration_ms is the acceleration burst,
        # often over before the hand's deepest point, so it has a column of its own
        burst = any(imu_thrust(t) for t in thrusts)
        # headings in the words the report's thrust table and the trainer use, each with its unit
        head = ("thrust", "peak at (s)", "preload (N)", "peak (N)", *(("hand moved (mm)",) if moved else ()),
                "to peak (ms)", "duration (ms)", *(("burst (ms)",) if burst else ()), "rate (N/s)",
                "max rate (N/s)", "let-up" + pad)
        rows = []
        for t, (figure, said) in zip(thrusts, letups):
            lu = figure + (f" {said:<{after}}" if after else "")
            # an IMU's thrust peaks where the hand is deepest: no force was measured (the
            # trainer's HVLA panel says "before peak" of it too)
            peak = "peak force" if number_or_none(t.get("peak_n")) is not None else "peak"
            pops = (describe_pops(t.get("pops", 0), t.get("first_pop_ms_from_peak"), peak,
                                  bool(t.get("pops_partly_heard")), bool(t.get("pops_masked")))
                    if summary.get("audio", True) else "–")
            dur = number_or_none(t.get("duration_ms"))
            rows.append((f"{t['index'] + 1}", f"{t['t_peak']:.2f}", _f(t['preload_n']), _f(t['peak_n']),
                         *((_f(number_or_none(t.get("displacement_mm"))),) if moved else ()),
                         f"{t['time_to_peak_ms']:.0f}", _f(None if imu_thrust(t) else dur, '{:.0f}'),
                         *((_f(dur if imu_thrust(t) else None, '{:.0f}'),) if burst else ()),
                         _f(t['rate_n_per_s'], '{:.0f}'), _f(t['max_rate_n_per_s'], '{:.0f}'), lu, pops))
        # each column as wide as its heading or its widest figure (a device clock's large times,
        # rates over 10 kN/s), figures right-aligned under their headings
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(head)]
        # the columns' short names said in words above the table (its last line stays its last
        # thrust): a trainee read "ttp_ms", "dur_ms" and a bare "–" without a word of what they were
        lines.append("  to peak: from the thrust's onset to its peak; duration: from onset until the force is back"
                     " halfway down from the peak (– when it stayed up too long after the peak to tell); rate,"
                     " max rate: mean and fastest rate of force application")
        if moved:
            lines.append("  hand moved: how far the hand moved into the tissue from onset to peak (IMU)")
        if burst:
            lines.append("  burst: how long the hand accelerated (IMU); a thrust seen by the IMU alone"
                         " has no duration measured")
        if aim is None:
            lines.append("  " + "  ".join(h.rjust(w) for h, w in zip(head, widths)) + "  pops")
            for r in rows:
                lines.append("  " + "  ".join(v.rjust(w) for v, w in zip(r, widths)) + f"  {r[-1]}")
        else:                   # (the pops padded, whether each was on target after them)
            from ui.library.stats import ON_TARGET, describe_thrust_verdict
            pw = max([len("pops")] + [len(r[-1]) for r in rows])
            lines.append("  " + "  ".join(h.rjust(w) for h, w in zip(head, widths))
                         + f"  {'pops':<{pw}}  {ON_TARGET}")
            for r, t in zip(rows, thrusts):
                lines.append("  " + "  ".join(v.rjust(w) for v, w in zip(r, widths))
                             + f"  {r[-1]:<{pw}}  {describe_thrust_verdict(t, aim)}")
    free = summary.get("pops_outside_thrusts") or []
    if free:
        lines.append("")
        said = ", ".join(f"{p['t']:.2f} s" + (f" (set {p['set_index'] + 1})" if p.get("set_index") is not None else "")
                         for p in free[:12]) + (f", and {len(free) - 12} more" if len(free) > 12 else "")
        spans = summary.get("spans_s") if isinstance(summary.get("spans_s"), dict) else {}
        if "force" in spans or "imu" in spans or summary.get("thrusts"):
            lines.append(f"  pops outside any thrust: {len(free)} — at {said}")
        else:                                   # (audio alone: no thrust for a pop to be outside of)
            lines.append(f"  pops heard at {said}")
    away = [p for p in summary.get("pops_without_force") or []
            if isinstance(p, dict) and number_or_none(p.get("t")) is not None]
    if away:
        # (the sound began before the sensor or ran on after it: not pops of the practice recorded)
        said = ", ".join(f"{p['t']:.2f} s" + (f" ({p['when']} it)" if p.get("when") in ("before", "after") else "")
                         for p in away[:12]) + (f", and {len(away) - 12} more" if len(away) > 12 else "")
        if not free:
            lines.append("")
        lines.append(f"  pops heard where {without_sensor(summary)} was recorded: {len(away)} — at {said}")
    return "\n".join(lines)


def without_sensor(summary: dict) -> str:
    """What was not recorded when a pop of the summary's ``pops_without_force`` was heard: "no
    force", or "no IMU data" for a hand-worn IMU recorded alone."""
    spans = summary.get("spans_s") if isinstance(summary.get("spans_s"), dict) else {}
    return "no IMU data" if "imu" in spans and "force" not in spans else "no force"
