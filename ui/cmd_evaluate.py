"""``gradecoach evaluate``: how well the analysis finds what a simulated recording holds.

Each ``NAME.csv`` is replayed with the calibration its ``NAME.expected.jsonl`` (written beside it
by ``gradecoach simulate``) was made with, and its cycles and thrusts are compared with those
expected ones by :mod:`analysis.evaluate`, as the fixture tests and
``benchmarks/bench_accuracy.py`` compare them. Exit status 0 when every file meets the
thresholds, 1 when one falls below them, 2 on bad input (each bad file said, the others still
scored). See docs/analysis.md.
"""

from __future__ import annotations

import argparse
import builtins
import json
import math
import os
import sys
from pathlib import Path

from analysis.errors import InputError
from firmware_bridge.file_kind import resolved
from ui.options import NUMBERS_HELP, number, with_examples

# what the system refuses of a file no check before named (not readable by this user, a folder
# where a file belongs): the file's one-line error, as the program says it, and the next file
_FILE_REFUSED = (PermissionError, IsADirectoryError, NotADirectoryError)

TRUTH_SUFFIX = ".expected.jsonl"
# an IMU recording's (NAME.imu.csv): its movement, as 'gradecoach simulate --imu' writes it
IMU_SUFFIX, IMU_TRUTH_SUFFIX = ".imu.csv", ".imu-expected.jsonl"

# the thresholds, which the fixture tests (tests/test_fixtures.py) import as theirs: option, bound,
# default, unit, words
THRESHOLDS = (
    ("--min-cycles-found", "min", 90.0, " %", "cycles found of those expected"),
    ("--min-grade-accuracy", "min", 95.0, " %", "cycles found graded as expected"),
    ("--min-modifier-accuracy", "min", 90.0, " %", "cycles graded III or IV as expected given their "
                                                   "expected + or -"),
    ("--max-spurious", "max", 1, "", "cycles found that were not expected"),
    ("--max-missed-thrusts", "max", 0, "", "thrusts expected and not found"),
    ("--max-false-thrusts", "max", 0, "", "thrusts found that were not expected"),
    ("--max-peak-error", "max", 5.0, " %", "error of a found thrust's peak force"),
    ("--max-time-to-peak-error", "max", 15.0, " ms", "error of a found thrust's time to peak (at 200 Hz or more)"),
    ("--max-freq-cv-error", "max", 12.0, " points", "difference of a set's frequency CV from the expected one's "
                                                    "(sets of 3 or more cycles found)"),
    ("--max-letup-errors", "max", 0, "", "let-ups missed or found where none was"),
    ("--max-missed-pops", "max", 0, "", "pops expected and not heard within 5 ms, tied to their thrust"),
    ("--max-false-pops", "max", 1, "", "pops heard where none was expected"),
    ("--min-imu-cycles-found", "min", 85.0, " %", "IMU cycles of 0.5 mm or more found of those expected"),
    ("--max-imu-amplitude-error", "max", 25.0, " %", "median error of a found IMU cycle's amplitude"),
    ("--max-imu-spurious", "max", 2, "", "IMU cycles found that were not expected"),
    # (0: a committed fixture has none; a recording read without some of its rows is a damaged one)
    ("--max-skipped-rows", "max", 0, "", "bad rows skipped in the recording"),
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="compare replay's analysis of simulated recordings with their expected "
                                        "events", **with_examples(
        "Replay each recording NAME.csv with the calibration (R1, R2, alpha) its NAME.expected.jsonl says, "
        "the expected events 'gradecoach simulate' writes beside it, and compare: per file, the cycles found "
        "and how many were graded as expected, cycles found that were not expected (spurious), and thrusts "
        "found and missed, and with the sound beside it (NAME.flac, as simulate --audio writes it, or NAME.wav, "
        ".ogg, .opus or .mp3) the pops heard. "
        "A folder gives its CSVs that have such a file. Exit status 0 when every file meets "
        "the thresholds (the fixture tests' by default), 1 when one falls below them, 2 on bad input.",
        "gradecoach simulate --grade III --cycles 10 -o x.csv",
        "gradecoach evaluate x.csv",
        "gradecoach evaluate fixtures/ --min-grade-accuracy 90 --max-spurious 2   # a CI job's own bounds",
        "gradecoach evaluate fixtures/ --format jsonl > figures.jsonl"))
    p.description += " " + NUMBERS_HELP          # (what its numbers may be written as)
    p.add_argument("inputs", nargs="+", metavar="FILE.csv",
                   help="a recording with its NAME.expected.jsonl beside it, or a folder of them")
    p.add_argument("--no-audio", action="store_true",
                   help="leave out the sound beside a recording (NAME.flac from simulate --audio, or .wav, .ogg, "
                        ".opus, .mp3); by default "
                        "it is analysed with the force and its pops are scored")
    p.add_argument("--format", choices=("table", "jsonl"), default="table",
                   help="table (a line per file, default) or jsonl (each file's figures as one JSON object)")
    g = p.add_argument_group("thresholds (default: those of the fixture tests)")
    for option, bound, default, unit, words in THRESHOLDS:
        kind = "at least" if bound == "min" else "at most"
        metavar, what = {" %": ("PCT", f"this share of {words}, in per cent"),
                         " ms": ("MS", f"this {words}, in ms"), "": ("N", f"this many {words}"),
                         " points": ("PTS", f"this {words}, in percentage points")}[unit]
        g.add_argument(option, type=number(unit.strip() or None, f"{default:g}"), default=default, metavar=metavar,
                       help=f"{kind} {what} [{default:g}{unit}]".replace("%", "%%"))
    p.set_defaults(func=run)


def recordings(inputs: list[str], left_out: list[Path] | None = None) -> list[Path]:
    """The CSVs ``inputs`` name: a file as given, a folder's ``*.csv`` that have expected events
    beside them (a one-line error when it has none). A folder's others (an IMU's beside a force
    recording apart) are warned of, and added to ``left_out`` when given."""
    from ui.cli import warn
    out: list[Path] = []
    for given in inputs:
        p = Path(given)
        resolved(p)                 # (one that loops is "a symbolic link that loops", not "no such file")
        if p.is_dir():
            csvs = sorted(p.glob("*.csv"))
            found = [c for c in csvs if truth_file(c).is_file()]
            if not found:
                raise InputError(f"{given}: no recording with its expected events (NAME.csv beside "
                                 f"NAME{TRUTH_SUFFIX}) in this folder")
            for c in found:
                resolved(c)
            # (a label file misnamed beside its recording turned its check off without a word)
            left = [c.name for c in csvs if c not in found and not c.name.endswith(".imu.csv")]
            if left_out is not None:
                left_out += [p / c for c in left]
            if left:
                warn(f"{given}: {len(left)} CSV{'s' if len(left) != 1 else ''} without expected events "
                     f"(NAME{TRUTH_SUFFIX}) not evaluated: {', '.join(left[:5])}"
                     + (f" and {len(left) - 5} more" if len(left) > 5 else ""))
            out += found
        elif not p.exists():
            raise InputError(f"{given}: no such file or folder")
        elif p.name.endswith(TRUTH_SUFFIX):
            raise InputError(f"{given}: the expected events, not a recording: give the recording beside them, "
                             f"{p.name[:-len(TRUTH_SUFFIX)]}.csv")
        elif p.suffix.lower() in SOUND_SUFFIXES:
            raise InputError(f"{given}: a sound: evaluate takes the force recording ({p.stem}.csv), and scores "
                             f"the pops of the sound beside it")
        else:
            out.append(p)
    return list(dict.fromkeys(out))


# the names of a sound beside a recording, as evaluate looks for it (NAME.flac first, as simulate
# --audio writes it), and as it may be given by mistake instead of the recording
SOUND_SUFFIXES = (".flac", ".wav", ".ogg", ".opus", ".mp3")


def truth_file(csv: Path) -> Path:
    if csv.name.endswith(IMU_SUFFIX):
        return csv.with_name(csv.name[:-len(IMU_SUFFIX)] + IMU_TRUTH_SUFFIX)
    return csv.with_name(csv.name[:-len(csv.suffix)] + TRUTH_SUFFIX if csv.suffix else csv.name + TRUTH_SUFFIX)


def read_truth(csv: Path) -> tuple[dict, list[dict]]:
    """The settings line and the expected events of ``csv``'s ``NAME.expected.jsonl``; a one-line
    error naming the file (and line) when it is missing or not one."""
    t = truth_file(csv)
    if not t.is_file():
        raise InputError(f"{csv}: no {t.name} beside it: evaluate compares a recording with the expected events "
                         f"'gradecoach simulate' writes beside it")
    try:
        lines = _text(t.read_bytes()).splitlines()
    except OSError as e:
        raise InputError(f"{t}: cannot read ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise InputError(f"{t}: not text in UTF-8 (nor UTF-16 with a byte order mark): save it as UTF-8") from None
    if t.name.endswith(IMU_TRUTH_SUFFIX):
        return {"imu": True}, _imu_truth(t, lines)
    events = _events_of(t, lines)
    if not events or events[0][1]["type"] != "fixture":
        raise InputError(f"{t}:1: not the settings line 'gradecoach simulate' writes first "
                         f"({{\"type\": \"fixture\", \"r1_n\": …, \"r2_n\": …}})")
    head = events[0][1]
    for key in ("r1_n", "r2_n", "rate_hz"):
        if key not in head:
            raise InputError(f"{t}:1: no {key} in the settings line (a positive number)")
        v = head.get(key)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
            raise InputError(f"{t}:1: {key} is {json.dumps(v)}, not a positive number")
    alpha = head.get("alpha", 0.5)
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise InputError(f"{t}:1: alpha is {json.dumps(alpha)}, not a ratio greater than 0 and less than 1")
    if head["r1_n"] >= head["r2_n"]:
        raise InputError(f"{t}:1: r1_n {head['r1_n']:g} is not below r2_n {head['r2_n']:g}")
    for n, e in events[1:]:
        need = {"cycle": ("t_start", "t_end", "t_crest", "freq_hz", "crest_n", "grade", "modifier"),
                "thrust": ("t_peak", "peak_n", "time_to_peak_ms"), "cavitation": ("t",)}.get(e["type"], ())
        missing = [k for k in need if k not in e]
        if missing:
            raise InputError(f"{t}:{n}: a {e['type']} without {', '.join(missing)}")
        bad = _bad_field(e)
        if bad:
            raise InputError(f"{t}:{n}: a {e['type']}'s {bad}")
        if e["type"] == "cavitation":
            v, th = e["t"], e.get("thrust")
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise InputError(f"{t}:{n}: a cavitation's t is {json.dumps(v)}, not a number of seconds")
            if th is not None and (isinstance(th, bool) or not isinstance(th, int)):
                raise InputError(f"{t}:{n}: a cavitation's thrust is {json.dumps(th)}, not a thrust's number "
                                 f"(0 for the first) or null")
    return head, [e for _, e in events[1:]]


def _text(data: bytes) -> str:
    """Expected events' bytes as text: UTF-8, with or without a byte order mark (as replay reads
    it), or UTF-16 (or UTF-32) with one, as PowerShell's ``>`` saves it."""
    import codecs

    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    return data.decode("utf-8-sig")


def _events_of(t: Path, lines: list[str]) -> list[tuple[int, dict]]:
    """The events of the lines of ``t``, each with its line's number (blank lines passed over);
    a one-line error naming the file and line of one that is not an event."""
    events = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            e = json.loads(line)
        except (ValueError, RecursionError):
            raise InputError(f"{t}:{n}: not a JSON object") from None
        if not isinstance(e, dict) or not isinstance(e.get("type"), str):
            raise InputError(f"{t}:{n}: not an event (a JSON object with a \"type\")")
        events.append((n, e))
    return events


def _imu_truth(t: Path, lines: list[str]) -> list[dict]:
    """The expected movement of an IMU recording (``imu_cycle`` and ``thrust`` lines, no settings
    line: an IMU needs no calibration); a one-line error naming the file and line."""
    need = {"imu_cycle": ("t_start", "t_end", "t_crest", "displacement_mm", "freq_hz"),
            "thrust": ("t_peak", "displacement_mm")}
    out = []
    for n, e in _events_of(t, lines):
        for k in need.get(e["type"], ()):
            if not _number(e.get(k)):
                raise InputError(f"{t}:{n}: a {e['type']}'s {k} is {json.dumps(e.get(k))}, not a number")
        out.append(e)
    if not any(e["type"] in need for e in out):
        raise InputError(f"{t}: no imu_cycle or thrust in it (the expected movement 'gradecoach simulate --imu' "
                         f"writes)")
    return out


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _bad_field(e: dict) -> str | None:
    """What of an expected cycle's or thrust's fields evaluate cannot compare with (a truth file
    edited by hand: a time as text, a frequency or peak of 0, a grade that is none), in words;
    None when all can be."""
    from analysis.scheme import GRADES, MODIFIERS
    if e["type"] == "cycle":
        for k in ("t_start", "t_end", "t_crest", "crest_n"):
            if not _number(e[k]):
                return f"{k} is {json.dumps(e[k])}, not a number"
        if not _number(e["freq_hz"]) or e["freq_hz"] <= 0:
            return f"freq_hz is {json.dumps(e['freq_hz'])}, not a frequency over 0"
        if e["grade"] not in GRADES:
            return f"grade is {json.dumps(e['grade'])}, not one of {', '.join(GRADES)}"
        if e["modifier"] is not None and e["modifier"] not in MODIFIERS:
            return f"modifier is {json.dumps(e['modifier'])}, not one of {', '.join(repr(m) for m in MODIFIERS)} or null"
    elif e["type"] == "thrust":
        for k in ("t_peak", "peak_n", "time_to_peak_ms"):
            if not _number(e[k]) or (k != "t_peak" and e[k] <= 0):
                return f"{k} is {json.dumps(e[k])}, not a number" + ("" if k == "t_peak" else " over 0")
    return None


def check_thresholds(args: argparse.Namespace) -> None:
    """A one-line error for a threshold out of its range: a share over 100 %, a share at least
    this much given as a fraction (0.95 for 95 %: it passed anything), a count that is not whole."""
    for option, bound, _, unit, _ in THRESHOLDS:
        v = getattr(args, option[2:].replace("-", "_"))
        top = 100.0 if unit == " %" and bound == "min" else math.inf
        if not (math.isfinite(v) and 0 <= v <= top):
            raise InputError(f"{option} {v:g}: give " + ("0–100 (per cent)" if top == 100 else "a number, 0 or more"))
        if top == 100 and 0 < v <= 1:
            # (an at-most share of 1 % or less is a strict bound, and fails loudly when meant otherwise)
            raise InputError(f"{option} {v:g}: {v:g} reads as {v:g} %; give {100 * v:g} (per cent)")
        if unit == "" and not float(v).is_integer():
            raise InputError(f"{option} {v:g}: give a whole number, 0 or more")


# the share a recording's measured rate may differ from its expected events' rate_hz unsaid (a
# wireless sensor's jitter, a clock a little off): more is another rate than the file says
RATE_TOLERANCE = 0.1


def measured_rate_hz(t_s) -> float:
    """The samples a second the times ``t_s`` (s, two or more) were taken at: one over their
    median step, so that a gap or a jittery step does not move it."""
    import numpy as np

    steps = np.diff(np.asarray(t_s, dtype=float))
    step = float(np.median(steps[steps > 0])) if np.any(steps > 0) else 0.0
    return 1.0 / step if step > 0 else 0.0


def sound_of(csv: Path, head: dict) -> tuple[Path | None, float | None]:
    """The sound beside ``csv``, named as it is in one of :data:`SOUND_SUFFIXES` (NAME.flac, as
    'gradecoach simulate --audio' writes it, first), if there is one, and where it starts on the
    force's timeline (the recording's --t0, its settings say)."""
    from firmware_bridge.sources import sound_beside

    beside = sound_beside(csv)
    sound = next((a for suffix in SOUND_SUFFIXES for a in beside if a.suffix.lower() == suffix), None)
    if sound is None:
        return None, None
    settings = head.get("settings") if isinstance(head.get("settings"), dict) else {}
    t0 = settings.get("t0")
    return sound, (float(t0) if isinstance(t0, (int, float)) and not isinstance(t0, bool) and t0 else None)


def sounds_looked_for(csv: Path) -> str:
    """The names :func:`sound_of` looks for beside ``csv``, in words (``x.flac, .wav … or .mp3``)."""
    return f"{csv.stem}{SOUND_SUFFIXES[0]}, {', '.join(SOUND_SUFFIXES[1:-1])} or {SOUND_SUFFIXES[-1]}"


def evaluate_one(csv: Path, head: dict, truth: list[dict], audio: bool = True,
                 not_scored: list[tuple[int, str]] | None = None, said: list[str] | None = None):
    """The :class:`analysis.evaluate.Score` of ``csv`` replayed with ``head``'s calibration (its
    pops scored too when its sound is beside it and ``audio``), and whether they were. Expected
    pops that cannot be scored (no sound beside, one that cannot be read, cut short before them,
    or their thrust's pops unknown to replay: clipped, a dead stretch) are appended to
    ``not_scored`` when given, as (how many, why in words): they count against
    ``--max-missed-pops``, a sound left out of a checkout being no pass. Each warning of the
    recording (replay's of its input and the analysis's own: force not in newtons, a sensor's
    sign reversed, an IMU's units) goes to stderr, naming the file, and to ``said`` when given."""
    from analysis.evaluate import score, score_imu, score_pops, score_skipped
    from analysis.scheme import GradingScheme
    from firmware_bridge.replay import analyze_input, load_input

    from ui.cli import warn
    from ui.cmd_replay import naming

    def say(text: str) -> None:
        warn(text)
        if said is not None:
            said.append(text)

    def say_analysis(events: list[dict], known: list[str]) -> None:
        # (what only the analysis of the whole recording finds, as replay says it: force not in
        # newtons, a sensor's sign reversed, an IMU's units in g or °/s; a file failed with only
        # its symptoms)
        summary = events[-1] if events and events[-1].get("type") == "summary" else {}
        for w in dict.fromkeys(str(w) for w in summary.get("warnings") or []):
            if w not in known:
                say(naming(w, str(csv)))

    if head.get("imu"):
        inp = load_input(csv)
        if inp.imu is None or len(inp.imu.t_s) < 2:
            raise InputError(f"{csv}: no IMU movement to evaluate")
        events = [e.to_dict() for e in analyze_input(inp, GradingScheme())]
        for w in inp.warnings:
            say(str(w))
        say_analysis(events, [str(w) for w in inp.warnings])
        s = score_imu(truth, events, float(inp.imu.t_s[-1] - inp.imu.t_s[0]))
        return score_skipped(s, inp.imu.skipped_rows, inp.imu.problems), False

    sound, start = sound_of(csv, head) if audio else (None, None)
    inp = load_input(csv, sound, start)
    if inp.force is None or len(inp.force.t_s) < 2:
        raise InputError(f"{csv}: no force to evaluate (evaluate compares a force recording's cycles and thrusts)")
    scheme = GradingScheme(float(head["r1_n"]), float(head["r2_n"]), alpha=float(head.get("alpha", 0.5)))
    events = [e.to_dict() for e in analyze_input(inp, scheme)]
    rate_hz = measured_rate_hz(inp.force.t_s)
    if abs(rate_hz / float(head["rate_hz"]) - 1) > RATE_TOLERANCE:
        # (a hand-written rate_hz turned the time-to-peak check off, or on for a 100 Hz file)
        say(f"{csv}: its {truth_file(csv).name} says rate_hz {float(head['rate_hz']):g}, the recording is "
             f"sampled at {rate_hz:.0f} Hz; scored at {rate_hz:.0f} Hz")
    s = score(truth, events, rate_hz, float(inp.force.t_s[-1] - inp.force.t_s[0]))
    # (its own rows only: an IMU file beside it is not scored here, its rows said by replay's warning)
    score_skipped(s, inp.force.skipped_rows, inp.force.problems)
    _say_mismatch(csv, head, truth, float(inp.force.t_s[0]), float(inp.force.t_s[-1]), say)
    heard = sound is not None and inp.audio_path is not None and inp.analyse_audio
    n_pops = sum(e["type"] == "cavitation" for e in truth)
    unscored: tuple[int, str] | None = None
    if sound is not None and not heard and n_pops:
        # (its pops would all read as missed, a regression: not scored, and said why on its line)
        why = next((str(w) for w in inp.warnings if sound.name in str(w)), f"{sound}: not analysable")
        for tail in ("; analysed without the audio", "; its pops are not analysed"):
            why = why.removesuffix(tail)
        unscored = (n_pops, f"{sound.name}: {why.removeprefix(f'{sound}: ')}")
    elif sound is None and audio and n_pops:
        # (sound left out of a checkout turned its pops' check off with only a warning)
        unscored = (n_pops, f"no {sounds_looked_for(csv)} beside it")
    for w in inp.warnings:           # (what replay warns of the input, naming its file: a corrupt IMU file …)
        if unscored is None or sound is None or sound.name not in str(w):       # (else said on its line)
            say(str(w))
    if sound is not None and not heard and not n_pops:
        say(f"{csv}: its sound {sound.name} could not be analysed, its pops are not scored (replay {csv} "
             f"--audio {sound} says why)")
    known = [str(w) for w in inp.warnings]          # (said above)
    if heard:                                       # (sound cut short, a dead stretch: what replay warns of)
        for w in events[-1].get("warnings", []) if events else []:
            if w in known:
                continue
            if "audio" in w or "sound" in w or sound.name in w:
                say(w if w.startswith(str(sound)) or w.startswith(sound.name) else f"{csv}: {w}")
                known.append(w)
    say_analysis(events, known)
    if heard and events:
        # (sound cut short, torn: the pops expected beyond it would all read as missed, a regression;
        # those it holds are scored. So would those of a thrust whose pops replay calls unknown (–):
        # no pop heard where the sound clipped, a dead stretch)
        span = (events[-1].get("spans_s") or {}).get("audio")
        pops = [e for e in truth if e["type"] == "cavitation"]
        beyond = [e for e in pops if span and not span[0] <= e["t"] <= span[1]]
        unknown = _thrusts_unknown(truth, events)
        unheard = [e for e in pops if e.get("thrust") in unknown and not any(e is b for b in beyond)]
        why = [f"covers only {span[0]:.2f}–{span[1]:.2f} s"] if beyond else []
        if unheard:
            peaks = sorted({unknown[e["thrust"]] for e in unheard})
            why.append(f"leaves the pops of the thrust{'s' if len(peaks) > 1 else ''} peaking at "
                       f"{', '.join(f'{t:.2f}' for t in peaks)} s unknown")
        if why:
            unscored = (len(beyond) + len(unheard), f"{sound.name} {', and '.join(why)}")
            truth = [e for e in truth if not any(e is b for b in beyond + unheard)]
    if unscored is not None and not_scored is not None:
        not_scored.append(unscored)
    return (score_pops(s, truth, events) if heard else s), heard


def _thrusts_unknown(truth: list[dict], events: list[dict]) -> dict[int, float]:
    """The expected thrusts (their number, 0 for the first: their peak time, s) found as a thrust
    whose pops replay's summary calls unknown (``"pops": null``, '–' in its table)."""
    from analysis.evaluate import match_thrusts

    summary = events[-1] if events and events[-1].get("type") == "summary" else {}
    unknown = {t.get("index", i) for i, t in enumerate(summary.get("thrusts") or [])
               if "pops" in t and t["pops"] is None}
    tt = [e for e in truth if e["type"] == "thrust"]
    dt = [e for e in events if e["type"] == "thrust"]
    return {j: float(tt[j]["t_peak"]) for j, i in match_thrusts(tt, dt) if dt[i].get("index", i) in unknown}


def _say_mismatch(csv: Path, head: dict, truth: list[dict], t0: float, t1: float, say) -> None:
    """A warning when the expected events may not be this recording's: the settings line names
    another file (copied beside the wrong recording, or both renamed), or expected events lie
    outside the recording (cut short, another --t0): what follows reads as a regression. Each
    is given to ``say``."""
    named = head.get("file")
    if isinstance(named, str) and named and named != csv.name:
        say(f"{csv}: its {truth_file(csv).name} was written for {named}; its figures are this recording's "
             f"against that one's expected events")
    times = [e.get("t_crest", e.get("t_peak", e.get("t"))) for e in truth]
    out = sum(1 for v in times if _number(v) and not t0 - 0.5 <= v <= t1 + 0.5)
    if out:
        say(f"{csv}: {out} expected event{'s' if out != 1 else ''} lie outside the recording ({t0:g}–{t1:g} s): "
             f"cut short, or the expected events of another")


def below(s, args: argparse.Namespace) -> list[str]:
    """What of the score ``s`` falls below the thresholds ``args`` give, in words."""
    return [words for _, words in failing(s, args)]


def failing(s, args: argparse.Namespace, pops_not_scored: int = 0) -> list[tuple[str, str]]:
    """The thresholds the score ``s`` falls below (their options), each with its words; expected
    pops that could not be scored (``pops_not_scored``) count as missed."""
    f = s.figures()
    have = {
        "--min-cycles-found": f["cycle_recall_pct"] if s.truth_cycles else None,
        "--min-grade-accuracy": f["grade_accuracy_pct"] if s.truth_cycles else None,
        "--min-modifier-accuracy": f["modifier_accuracy_pct"] if s.truth_cycles else None,
        "--max-spurious": s.spurious_cycles,
        "--max-missed-thrusts": s.thrust_truth - s.thrust_tp,
        "--max-false-thrusts": s.thrust_fp,
        "--max-peak-error": max(s.peak_err_pct, default=None),
        "--max-time-to-peak-error": max(s.ttp_err_ms, default=None),
        "--max-freq-cv-error": max(s.freq_cv_err_pts, default=None),
        "--max-letup-errors": (s.letup_truth - s.letup_found) + s.letup_false,
        "--max-missed-pops": s.pop_truth - s.pop_heard + pops_not_scored,
        "--max-false-pops": s.pop_false,
        "--min-imu-cycles-found": f.get("imu_cycle_recall_pct") if s.imu_truth else None,
        "--max-imu-amplitude-error": f.get("median_imu_amplitude_err_pct"),
        "--max-imu-spurious": s.imu_spurious,
        "--max-skipped-rows": s.skipped_rows,
    }
    out = []
    for option, bound, _, unit, words in THRESHOLDS:
        v, limit = have[option], getattr(args, option[2:].replace("-", "_"))
        if v is None:
            if option == "--min-grade-accuracy" and s.truth_cycles:   # (none found: none graded)
                out.append((option, f"{words}: none, no cycle was found (at least {limit:g} %, {option})"))
            continue
        if (v < limit) if bound == "min" else (v > limit):
            said = f"{v:.1f}{unit}" if unit else f"{v:g}"
            bounds = f"{'at least' if bound == 'min' else 'at most'} {limit:g}{unit}, {option}"
            if option == "--max-missed-pops" and pops_not_scored:
                said += f", {pops_not_scored} of them not scored"
                bounds += "; --no-audio leaves them out"
            out.append((option, f"{words}: {said} ({bounds})"))
    return out


SHOWN = 5          # events named per threshold a file falls below; the rest are counted


def which(s, option: str, args: argparse.Namespace) -> list[str]:
    """The events that put the score ``s`` below ``option``'s threshold, in time order, in words:
    each miss, and each error (a peak force, a set's CV) over the bound."""
    limit = getattr(args, option[2:].replace("-", "_"))
    return [words for _, _, _, words in sorted(
        (w for w in s.where if w[0] == option and (w[2] is None or w[2] > limit)), key=lambda w: w[1])]


def which_line(events: list[str], total: int | None = None) -> str:
    """At most ``SHOWN`` of ``events``, and how many more of ``total`` (all of them when not
    given; a recording's bad rows are named only the first few)."""
    more = (len(events) if total is None else total) - min(len(events), SHOWN)
    return "; ".join(events[:SHOWN]) + (f"; and {more} more" if more > 0 else "")


def line(name: str, s, heard: bool = False, not_scored: tuple[int, str] | None = None) -> str:
    """A file's figures, as the table says them (its pops when ``heard``, and how many expected
    ones were not scored and why when ``not_scored``; an IMU's movement when it has expected
    movement)."""
    f = s.figures()
    imu = ""
    if s.imu_files:
        amp = f["median_imu_amplitude_err_pct"]
        imu = (f"IMU cycles {s.imu_found} of {s.imu_truth} found (0.5 mm or more)"
               + (f", amplitude error median {amp:.1f} %" if amp is not None else "") + f", {s.imu_spurious} spurious")
    thrusts = (f"thrusts {s.thrust_tp} of {s.thrust_truth} found, {s.thrust_truth - s.thrust_tp} missed, "
               f"{s.thrust_fp} not expected")
    skipped = (f"; {s.skipped_rows} bad row{'s' if s.skipped_rows != 1 else ''} skipped"
               if s.skipped_rows else "")
    if imu and not s.truth_cycles and not s.peak_err_pct:       # (an IMU recording alone)
        return f"{name}: {imu}; {thrusts}{skipped}"
    if s.truth_cycles:
        # (a grade as expected may still miss its modifier, III for III-: said, so that the count
        # and a modifier named below it do not contradict each other)
        grades = (f"grades {s.grade_ok}/{s.matched_cycles} as expected"
                  + (f" ({f['grade_accuracy_pct']:.1f} %)" if s.matched_cycles else "")
                  + (f", {s.modifier_ok}/{s.modifier_total} of the III and IV with their modifier too "
                     f"({f['modifier_accuracy_pct']:.1f} %)" if s.modifier_total else "")
                  + f", {s.matched_cycles} of {s.truth_cycles} cycles found")
    else:
        grades = "no cycles expected"
    text = f"{name}: {grades}, {s.spurious_cycles} spurious; {thrusts}"
    if s.peak_err_pct:
        text += f"; peak error up to {max(s.peak_err_pct):.1f} %"
    if heard:
        text += f"; pops {s.pop_heard} of {s.pop_truth} heard, {s.pop_false} not expected"
    if not_scored and not_scored[0]:
        n, why = not_scored
        text += f"; {n} expected pop{'s' if n != 1 else ''} not scored" + (f": {why}" if why else "")
    return text + skipped + (f"; {imu}" if imu else "")


def pop_figures(s, heard: bool, not_scored: tuple[int, str] | None) -> dict:
    """A file's pops in ``--format jsonl``, the same keys whatever became of its sound: how many
    were expected, heard and heard where none was expected (null when no sound was analysed), and
    how many expected were not scored and why (0 and null when all were); all null when its pops
    were not looked at (no sound and none expected, --no-audio, an IMU recording)."""
    if not heard and not not_scored:
        return dict.fromkeys(("pops_expected", "pops_heard", "pops_not_expected", "pops_not_scored",
                              "pops_not_scored_because"))
    n = not_scored[0] if not_scored else 0
    return {"pops_expected": s.pop_truth + n, "pops_heard": s.pop_heard if heard else None,
            "pops_not_expected": s.pop_false if heard else None, "pops_not_scored": n,
            "pops_not_scored_because": not_scored[1] if n else None}


def run(args: argparse.Namespace) -> int:
    check_thresholds(args)
    left_out: list[Path] = []
    files = recordings(args.inputs, left_out)
    from analysis.evaluate import Score
    total, failed, any_heard, all_unscored = Score(), [], False, 0
    scored, bad = [], []

    def print(text: str, flush: bool = True) -> None:
        # a reader that stops reading (| head) leaves the verdict as it is: every file is still
        # evaluated, and one below the thresholds is status 1 (main() makes a closed pipe 0)
        try:
            builtins.print(text, flush=flush)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    for p in files:
        not_scored: list[tuple[int, str]] = []
        said: list[str] = []
        try:
            head, truth = read_truth(p)
            s, heard = evaluate_one(p, head, truth, not args.no_audio, not_scored, said)
        except (InputError, *_FILE_REFUSED) as e:
            # (one bad file stopped the run, the files after it never scored: said and counted,
            # and the status is 2 at the end)
            if not isinstance(e, InputError) and e.filename is None:
                raise
            what = e if isinstance(e, InputError) else f"{os.fsdecode(e.filename)}: {e.strerror or e}"
            builtins.print(f"gradecoach: error: {what}", file=sys.stderr, flush=True)
            bad.append(p)
            continue
        scored.append(p)
        unscored = not_scored[0] if not_scored else None
        n_unscored = unscored[0] if unscored else 0
        all_unscored += n_unscored
        any_heard |= heard
        total = total + s
        fails = failing(s, args, n_unscored)
        why = [words for _, words in fails]
        if why:
            failed.append(p)
        if args.format == "jsonl":
            f = s.figures()
            print(json.dumps({"file": str(p), **f, "cycles_found": s.matched_cycles, "grades_as_expected": s.grade_ok,
                              "spurious_cycles": s.spurious_cycles, "thrusts_expected": s.thrust_truth,
                              "thrusts_found": s.thrust_tp, "thrusts_missed": s.thrust_truth - s.thrust_tp,
                              "thrusts_not_expected": s.thrust_fp, "skipped_rows": s.skipped_rows,
                              **pop_figures(s, heard, unscored),
                              "warnings": said, "below": why,
                              "which": {option: which(s, option, args) for option, _ in fails}}), flush=True)
            continue
        print(line(str(p), s, heard, unscored) + ("" if not why else "\n  below the thresholds: " + "; ".join(why)), flush=True)
        for option, _ in fails:
            if (events := which(s, option, args)):
                print(f"    {option}: {which_line(events, s.skipped_rows if option == '--max-skipped-rows' else None)}",
                      flush=True)
    if args.format == "table" and len(scored) > 1:
        print(line(f"all {len(scored)} recordings", total, any_heard, (all_unscored, "")))
    if args.format == "table" and (len(files) > 1 or left_out) and (scored or len(bad) > 1):
        # (a folder's CSVs without expected events were warned of, and the files of bad input
        # said; the verdict counts them, so that it does not read as every recording checked)
        n = len(set(left_out))
        print((f"{len(failed)} of {len(scored)} below the thresholds" if failed
               else "none could be evaluated" if not scored
               else "all meet the thresholds" if not bad
               else f"all {len(scored)} evaluated meet the thresholds" if len(scored) > 1
               else "the one evaluated meets the thresholds")
              + (f"; {len(bad)} of {len(files)} could not be evaluated (bad input)" if bad and scored else "")
              + (f"; {n} CSV{'s' if n != 1 else ''} without expected events not evaluated" if n else ""))
    return 2 if bad else 1 if failed else 0
