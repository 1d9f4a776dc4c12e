"""``gradecoach replay``: run the analysis over a recording, headless."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis.errors import InputError
from firmware_bridge.replay import analyze_input, load_input
from ui.cli import warn
from ui.options import (add_analysis_args, add_audio_timeline_args, build_schemes, output_path, refuse_session_notes,
                        write_output)
from ui.review.trace import GAP_EDGE_S, gap_spans
from ui.review.trace import describe_gaps as count_gaps
from ui.table import render_summary

# the bundled demo recording and its sound: package data (links to fixtures/demo_mixed.*, which
# regenerate.sh makes), so an installed wheel has them too
DEMO = Path(__file__).resolve().parent / "demo" / "demo_mixed.csv"
GAPS_LISTED = 12           # the table lists the first gaps; the JSON output has them all


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="analyse a recorded session, CSV or audio file",
                       description="Analyse a session folder, a t_s,force_n CSV (optionally with --audio) "
                                   "or a WAV/FLAC file with the same processors as live use.")
    p.add_argument("input", nargs="?", help="session folder, .csv, or an audio file (.wav/.flac/.ogg/.mp3, "
                                            "a phone's .m4a/.mp4 ...); - reads standard input")
    p.add_argument("--audio", metavar="FILE", help="audio to pair with a bare CSV (starts at t = 0 unless "
                                                   "--audio-start says otherwise); - reads standard input")
    add_audio_timeline_args(p)
    p.add_argument("--format", choices=("table", "jsonl"), default=None,
                   help="table (default on a terminal, and for --demo) or jsonl (one event per line; the "
                        "default in a pipe or a file)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output (- is "
                                                          "standard output); not a .csv: replay writes no CSV")
    p.add_argument("--demo", action="store_true", help="replay the bundled demo fixture")
    add_analysis_args(p)
    p.set_defaults(func=run)


# an input given as this is standard input, as a pipeline expects (read as /dev/stdin is)
STANDARD_INPUT = "-"


def run(args: argparse.Namespace) -> int:
    if args.input == STANDARD_INPUT and args.audio == STANDARD_INPUT:
        raise InputError("replay - --audio -: standard input holds one of them; give the other as a file")
    args.input = "/dev/stdin" if args.input == STANDARD_INPUT else args.input
    args.audio = "/dev/stdin" if args.audio == STANDARD_INPUT else args.audio
    if args.demo and args.input:
        raise InputError(f"--demo replays the bundled demo recording: give it or {args.input}, not both")
    if args.demo or not args.input:
        if not args.demo:
            raise InputError("replay needs an INPUT (session folder, .csv or audio file), or --demo")
        args.input = str(DEMO)
        if args.audio is None and DEMO.with_suffix(".flac").is_file():     # (its room microphone's sound)
            args.audio = str(DEMO.with_suffix(".flac"))
        if args.r1 is None and args.r2 is None:
            header = json.loads(DEMO.with_suffix(".expected.jsonl").read_text().splitlines()[0])
            args.r1, args.r2 = header["r1_n"], header["r2_n"]
    # (-o -: standard output, as without -o)
    # (JSON lines in a file named .csv: a spreadsheet opens it as broken columns; a recording or
    # other data already there is said as such, first, by output_path)
    csv_named = bool(args.output) and Path(args.output).suffix.lower() == ".csv"
    no_csv = InputError(f"-o {args.output}: replay writes no CSV; its --format is table or jsonl (one event a line): "
                        f"name the file .txt or .jsonl")
    if csv_named and not Path(args.output).exists():
        raise no_csv
    out_path = (output_path(args.output, [args.input] + ([args.audio] if args.audio else []), standard_output=True)
                if args.output else None)
    if csv_named:
        raise no_csv
    from ui.library import folder_of_sessions, sessions_inside
    under = sessions_inside(args.input)                         # a class's folder given as one session
    if under:
        raise InputError(f"{folder_of_sessions(args.input, under)}; replay one of them (e.g. {under[0]}), "
                         f"or report on them all with 'gradecoach report --class {args.input}'")
    refuse_session_notes(args.input)
    inp = load_input(args.input, args.audio, args.audio_start, args.audio_rate)
    if args.audio is None and inp.meta is None and inp.audio_path is None:
        motion = inp.force if inp.force is not None and len(inp.force.t_s) else inp.imu
        hint_sound_beside(args.input, float(motion.t_s[0]) if motion is not None and len(motion.t_s) else 0.0)
    return show(args, inp, str(args.input), out_path)


def show(args: argparse.Namespace, inp, name: str, out_path: Path | None = None) -> int:
    """The analysis of ``inp`` (a :class:`ReplayInput`, loaded or made) as replay prints it, its
    table headed ``name``, to ``out_path`` or standard output."""
    scheme, thrust = build_schemes(args, inp.meta)
    fmt = args.format or ("table" if sys.stdout.isatty() or args.demo else "jsonl")

    # audio alone is analysed before anything is written: a file with nothing to hear is an error
    done = None
    if inp.force is None and inp.imu is None and inp.audio_path is not None:
        done = analyze_input(inp, scheme, thrust)
        refuse_unheard(inp, done[-1])

    def replay_into(out) -> list:
        if fmt == "jsonl":
            said: set[str] = set()

            def write(evs):
                out.write("".join(json.dumps(e.to_dict()) + "\n" for e in with_warning_events(evs, said)))
            if done is not None:
                write(done)
                return done
            return analyze_input(inp, scheme, thrust, on_events=write)
        events = done if done is not None else analyze_input(inp, scheme, thrust)
        dicts = [e.to_dict() for e in events[:-1]]
        out.write(render_summary(name, events[-1].to_dict(), events=dicts, aim=thrust_aim(args, inp.meta))
                  + "".join("\n" + line for line in describe_gaps(dicts)) + "\n")
        return events

    # a write that fails part way (a full disk) is one line naming the output
    events = write_output(out_path, replay_into) if out_path else replay_into(sys.stdout)
    if fmt == "jsonl":                     # the table shows them; events in a pipe are not read by a person
        for w in events[-1].warnings:
            warn(naming(w, name))
    return 0


def thrust_aim(args: argparse.Namespace, meta):
    """The V/HVLA target the table judges each thrust against, as the report judges it: the
    session's, with the corridors it kept (session.json's ``extra.target_detail``), or
    ``--target``'s, with the trainer's corridors for V; None for any other target, or none."""
    from ui.library.stats import session_target
    given = getattr(args, "target", None)
    text = given or (meta.target if meta is not None else None)
    return session_target(text, meta.extra.get("target_detail") if meta is not None and not given else None)


def refuse_unheard(inp, summary) -> None:
    """Audio alone in which no pop can be heard at all (too short, or with no usable sound
    throughout: silent, constant, clipped) is a one-line error naming the file, as audio alone
    under 16 kHz is: an analysis of it would read as "0 pops"."""
    import re

    span = (getattr(summary, "spans_s", None) or {}).get("audio")
    if not span or not inp.dead_audio:
        return
    if not any(a <= span[0] + 1e-6 and b >= span[1] - 1e-6 for a, b in inp.dead_audio):
        return
    said = [w for w in inp.warnings if isinstance(w, str) and ("too short to hear a pop" in w
                                                               or "holds no usable sound" in w)]
    if said:
        why = re.sub(r"(?:;|(?<=[?.]))\s+[Tt]he pops of the thrusts.*$", "", said[-1])
        more = "" if "no usable sound" not in why else " No pop can be heard in it" if why.endswith("?") else \
            "; no pop can be heard in it"
        raise InputError(why + more)


def naming(warning: str, name: str) -> str:
    """``warning`` as stderr says it, naming its file: as it is when it names the recording
    ``name`` (as given, or its file's name) or starts with a file of its own (``AUDIO: …``),
    else headed ``NAME: `` (the analysis's own, "no calibration (R1/R2)…", "force sampled at
    80 Hz…", said nothing of the file)."""
    import re

    # the name as given, anywhere; its file's name alone only as a path ("anna.csv: …", "anna/audio.flac"):
    # a recording named "force" or "calibration" is not named by "force sampled at …"
    for n, after in ((name, r"($|[\s:),;'\"/])"), (Path(name).name, r"[:/]")):
        if n and re.search(rf"(^|[\s('\"]){re.escape(n)}{after}", warning):
            return warning
    head = warning.split(": ", 1)[0]
    if head != warning and len(head) < 4096 and Path(head).exists():
        return warning
    return f"{name}: {warning}"


def hint_sound_beside(given: str, start_s: float = 0.0) -> None:
    """One line on stderr when sound named as the CSV ``given`` is (``x.flac`` beside ``x.csv``,
    as ``gradecoach simulate --audio`` writes it) lies beside it: it is not analysed unless given
    with --audio (a CSV does not say where its sound starts), as ``record --device file:`` says it.
    The command it gives starts the sound with the data, at their first time ``start_s`` (a
    device's clock, ``simulate --t0``), as a sound recorded beside them does."""
    from firmware_bridge.sources import replay_with_sound, sound_beside

    p = Path(given)
    if not p.is_file():                         # (a pipe has nothing beside it)
        return
    beside = sound_beside(p)
    if beside:
        names = " and ".join(a.name for a in beside)
        warn(f"{given}: {names} beside it {'is' if len(beside) == 1 else 'are'} not analysed (a CSV does not "
             f"say where its sound starts); to analyse them together: {replay_with_sound(given, beside[0], start_s)}")


def with_warning_events(events: list, said: set[str]) -> list:
    """``events`` with a warning event before the summary for each of its warnings not yet
    given as one (``said``: the messages of the warning events written so far, updated), in
    the summary's order: what only the end of the analysis finds (a reversed sensor, an
    unzeroed one, implausible units) is a ``warning`` line too, as stderr says it, for a
    reader that looks at those alone. The summary keeps its own list as it is."""
    from analysis.events import SummaryEvent, WarningEvent

    out = []
    for e in events:
        if isinstance(e, WarningEvent):
            said.add(e.message)
        elif isinstance(e, SummaryEvent):
            left, t_end = warnings_not_given(e.warnings, getattr(e, "spans_s", None), said)
            out += [WarningEvent(message=w, t_detect_s=float(t_end)) for w in left]
        out.append(e)
    return out


def warnings_not_given(warnings, spans_s, said: set[str]) -> tuple[list[str], float]:
    """Of a summary's ``warnings`` (its list; anything else: none), those not yet given as a
    warning event (``said``: the messages given so far, updated), once each in their order, and
    the time they are given at: the latest end of its ``spans_s`` (``{stream: [first, last]}``;
    0 without one), when the analysis that found them had read everything. Shared by replay's
    events (:func:`with_warning_events`) and the report's CSV, which works on the events as
    dicts."""
    ends = [v[1] for v in (spans_s or {}).values()
            if isinstance(v, (list, tuple)) and len(v) == 2 and isinstance(v[1], (int, float))]
    left = []
    for w in dict.fromkeys(str(w) for w in (warnings if isinstance(warnings, list) else [])):
        if w not in said:
            said.add(w)
            left.append(w)
    return left, max(ends, default=0.0)


def describe_gaps(events: list[dict]) -> list[str]:
    """Table lines for the gaps among ``events``: how many holes, why and how long without data
    in all, worded as the report and the review word them (:func:`ui.review.trace.describe_gaps`),
    then the first :data:`GAPS_LISTED` holes with their times, reasons and, when more than the
    force has one, the streams that lost data there (none when there are no gaps). A hole marked
    by several streams (an unplug seen by the force and the IMU) is one gap, listed once."""
    said = count_gaps(events)
    if said is None:
        return []
    spans = gap_spans(events)
    marks = sorted((e for e in events if e.get("type") == "gap"), key=lambda e: e["t_start"])
    lines = ["", f"  gaps: {said}"]
    for g0, g1 in spans[:GAPS_LISTED]:
        streams: dict[str, list[str]] = {}      # reason -> streams, in the order first marked
        for e in marks:
            if e["t_start"] >= g0 - GAP_EDGE_S and e["t_end"] <= g1 + GAP_EDGE_S:
                on = streams.setdefault(e.get("reason") or "no reason given", [])
                if e.get("stream", "force") not in on:
                    on.append(e.get("stream", "force"))
        named = len(streams) > 1 or any(on != ["force"] for on in streams.values())
        why = "; ".join(f"{r} ({', '.join(on)})" if named else r for r, on in streams.items())
        lines.append(f"    {g0:.2f}–{g1:.2f} s  {why}")
    if len(spans) > GAPS_LISTED:
        lines.append(f"    … {len(spans) - GAPS_LISTED} more (--format jsonl lists them all)")
    return lines
