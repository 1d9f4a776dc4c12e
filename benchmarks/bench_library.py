"""Library figures: how long ``gradecoach library list`` takes for a school's library of sessions.

    python benchmarks/bench_library.py [--sessions 300] [--long 3] [--profile]

Generates everything into a temporary folder: one short session recorded with the command line
(``gradecoach simulate --grade III --imu 200``, then ``gradecoach record --device file:…``, which
plays it in real time, about 7 s), a 68 s session of the simulator's mixed technique and
``--long`` sessions of 10 minutes of it (1 kHz force, a hand-worn IMU at 200 Hz, the events of the
real analysis; written with the recorder's own session writer), and from those ``--sessions``
session folders in all (the stream files hard-linked, each with a session.json of its own: another
trainee, another day). Four of them are as a school's library holds some: two whose force.csv was
cut short after the recording at a line end (listed with a ``*``), one whose force.csv ends in a
torn line (cut off) and one that did not finish. Then times, each as its own process, as a user
runs them: ``library rebuild`` (indexing every session), the first ``library list`` after it
(cold) and a second one (warm), and Python's start-up with the command's imports alone; and
the same listing inside this process (no start-up, no imports), best of ``--repeat``. ``--profile`` prints cProfile's top functions of a listing by
cumulative time. Prints the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from analysis.scheme import GradingScheme  # noqa: E402
from firmware_bridge.replay import analyze_input, load_input  # noqa: E402
from firmware_bridge.session import SessionMeta, SessionWriter  # noqa: E402

R1, R2 = 40.0, 120.0
TRAINEES = ("Anna", "Ben", "Chloé", "Dmitri", "Émile", "Fatima", "Göran", "Hana", "Ines", "Jonas",
            "Kemal", "Lena", "Mateo", "Nora", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Zeynep Çelik")


def cli(*argv: str, quiet: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    """``gradecoach ARGV`` as its own process: its wall time (s) and result."""
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "ui.cli", *argv], cwd=REPO, capture_output=True, text=True)
    el = time.perf_counter() - t0
    if r.returncode != 0 or not quiet:
        sys.stderr.write(r.stderr)
    if r.returncode != 0:
        raise SystemExit(f"gradecoach {' '.join(argv)}: exit {r.returncode}")
    return el, r


def recorded_session(work: Path) -> Path:
    """A short session made as an instructor makes one: simulated, then recorded from the file."""
    csv = work / "sim" / "short.csv"
    cli("simulate", "--grade", "III", "--cycles", "10", "--imu", "200", "--rate", "1000", "-o", str(csv))
    folder = work / "templates" / "recorded"
    cli("record", "--device", f"file:{csv}", "--out", str(folder), "--r1", str(R1), "--r2", str(R2),
        "--target", "III", "--trainee", "Anna", "--technique", "PA L4", "--quiet")
    return folder


def _repeated(a: np.ndarray, span_s: float, minutes: float) -> np.ndarray:
    """The rows of ``a`` (time first) played again and again, each time ``span_s`` later, for
    ``minutes``."""
    out = [a + np.eye(1, a.shape[1], 0) * span_s * k for k in range(int(np.ceil(minutes * 60 / span_s)))]
    out = np.concatenate(out)
    return out[out[:, 0] < minutes * 60]


def written_session(work: Path, name: str, minutes: float | None = None) -> Path:
    """A session of the simulator's mixed technique (68 s; ``minutes`` of it played again and
    again, as ``simulate`` makes at most 10 minutes' estimate) with a worn IMU, written as the
    recorder writes one, with the events of its analysis."""
    csv = work / "sim" / f"{name}.csv"
    cli("simulate", "--grade", "mixed", "--imu", "200", "--rate", "1000", "-o", str(csv))
    force = np.loadtxt(csv, delimiter=",", skiprows=1)
    imu = np.loadtxt(csv.with_suffix(".imu.csv"), delimiter=",", skiprows=1)
    if minutes:
        span = float(force[-1, 0]) + 0.001
        force, imu = _repeated(force, span, minutes), _repeated(imu, span, minutes)
    folder = work / "templates" / name
    meta = SessionMeta(trainee="Anna", technique="PA L4", target="III", r1_n=R1, r2_n=R2)
    w = SessionWriter(folder, meta, flush_s=1e9, imu=True)
    for a in range(0, len(force), 60000):
        w.append_force(force[a:a + 60000, 0], force[a:a + 60000, 1])
    for a in range(0, len(imu), 12000):
        w.append_imu(imu[a:a + 12000, 0], imu[a:a + 12000, 1:])
    w.flush()
    w.append_events(analyze_input(load_input(folder), GradingScheme(R1, R2).with_target("III")))
    w.close(1000.0)
    return folder


def make_library(root: Path, templates: dict[str, Path], n: int, n_long: int) -> dict[str, int]:
    """``n`` session folders under ``root`` from ``templates`` (their stream files linked, or
    copied where one is cut), each with its own trainee and day; returns how many of each kind."""
    kinds = {"recorded": 0, "mixed": 0, "long": 0, "cut short": 0, "cut off": 0, "unfinished": 0}
    special = {1: "cut short", 2: "cut short", 3: "cut off", 4: "unfinished"}
    longs = {int(5 + i * (n - 5) / max(n_long, 1)) for i in range(n_long)} if n_long else set()
    for i in range(n):
        kind = special.get(i) or ("long" if i in longs else ("mixed" if i % 3 == 0 else "recorded"))
        kinds[kind] += 1
        src = templates["long" if kind == "long" else "mixed" if kind in ("mixed", "cut short") else "recorded"]
        folder = root / f"class{i // 30 + 1:02d}" / f"s{i:04d}"
        folder.mkdir(parents=True)
        for f in src.iterdir():
            if f.name == "session.json":
                continue
            if kind in ("cut short", "cut off") and f.name == "force.csv":
                shutil.copyfile(f, folder / f.name)
            else:
                os.link(f, folder / f.name)
        meta = json.loads((src / "session.json").read_text(encoding="utf-8"))
        meta["trainee"] = TRAINEES[i % len(TRAINEES)]
        meta["created"] = time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(1.7e9 + i * 86400 / 3))
        if kind == "unfinished":
            meta["complete"] = False
        (folder / "session.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        fp = folder / "force.csv"
        if kind == "cut short":               # at a line end, half way through (a copy that stopped)
            data = fp.read_bytes()
            fp.write_bytes(data[:data.index(b"\n", len(data) // 2) + 1])
        elif kind == "cut off":               # a torn last line
            data = fp.read_bytes()
            fp.write_bytes(data[:-3])
    return kinds


def list_in_process(root: Path) -> float:
    """``gradecoach library list ROOT`` inside this process, its output thrown away: seconds."""
    from ui.cli import main
    with open(os.devnull, "w") as null, contextlib.redirect_stdout(null), contextlib.redirect_stderr(null):
        t0 = time.perf_counter()
        rc = main(["library", "list", str(root)])
        el = time.perf_counter() - t0
    if rc != 0:
        raise SystemExit(f"library list: exit {rc}")
    return el


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=300, help="session folders in the library [300]")
    ap.add_argument("--long", type=int, default=3, help="of those, sessions of 10 minutes [3]")
    ap.add_argument("--repeat", type=int, default=5, help="in-process listings, the best reported [5]")
    ap.add_argument("--profile", action="store_true", help="print cProfile's top functions of a listing")
    a = ap.parse_args()
    if a.sessions < 5 or not 0 <= a.long <= a.sessions - 5:
        ap.error("--sessions: at least 5; --long: at most --sessions - 5")

    with tempfile.TemporaryDirectory(prefix="bench_library_") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        templates = {"recorded": recorded_session(work), "mixed": written_session(work, "mixed")}
        if a.long:
            templates["long"] = written_session(work, "long", 10.0)
        root = work / "library"
        kinds = make_library(root, templates, a.sessions, a.long)
        print(f"generated {a.sessions} sessions ({', '.join(f'{v} {k}' for k, v in kinds.items() if v)}) "
              f"in {time.perf_counter() - t0:.1f} s")

        el, r = cli("library", "rebuild", str(root))
        print(f"library rebuild: {el:.2f} s ({r.stdout.strip()})")
        el, r = cli("library", "list", str(root))
        marked = sum(1 for line in r.stdout.splitlines() if "*" in line)
        print(f"library list, cold (first after indexing): {el:.2f} s ({len(r.stdout.splitlines()) - 1} rows, "
              f"{marked} marked cut short, {r.stdout.count('(cut off')} cut off, "
              f"{r.stdout.count('(unfinished')} unfinished)")
        el, r = cli("library", "list", str(root))
        print(f"library list, warm (second): {el:.2f} s")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import ui.cli, ui.cmd_library"], cwd=REPO, check=True)
        print(f"  (Python's start-up and the command's imports alone, timed apart, in a process of their own: "
              f"{time.perf_counter() - t0:.2f} s)")

        best = min(list_in_process(root) for _ in range(a.repeat))
        print(f"library list in process (no start-up): {best:.3f} s, best of {a.repeat} "
              f"({1000 * best / a.sessions:.2f} ms a session)")
        if a.profile:
            prof = cProfile.Profile()
            prof.enable()
            list_in_process(root)
            prof.disable()
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())


if __name__ == "__main__":
    main()
