"""Tiny real session folders for the library, report and review tests.

Made with the simulator and ``SessionWriter`` exactly as a recording is: force at 200 Hz,
events from the same analysis the recorder runs, optionally 16 kHz audio.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from analysis.scheme import GradingScheme  # noqa: E402
from firmware_bridge.replay import analyze_input, load_input  # noqa: E402
from firmware_bridge.session import SessionMeta, SessionWriter  # noqa: E402
from firmware_bridge.simulator import Noise, Sim, technique  # noqa: E402


@pytest.fixture(scope="module")
def pg_url():
    """A PostgreSQL server of its own for a test module (skipped where none can be started)."""
    pytest.importorskip("psycopg")
    from .pg_server import start_cluster
    c = start_cluster()
    if c is None:
        pytest.skip("no PostgreSQL server can be started here (initdb/pg_ctl missing or failing)")
    yield c.url
    c.stop()


def shown_review(qtbot, root):
    """A review window on the sessions under ``root``, 1400 x 900, shown and exposed."""
    from ui.review.window import ReviewWindow
    win = ReviewWindow(root)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    return win


def imu_and_force_sessions(tmp_path):
    """The same simulated thrust (``simulate --thrust --imu 500 --seed 5``) recorded as two
    session folders under ``tmp_path/root``: by a worn IMU alone (``imu``, its truth beside the
    simulated CSV as ``x.imu-expected.jsonl``) and by force alone (``force``). Returns
    ``(root, imu, force, sim)``, ``sim`` the simulated ``x.csv``."""
    import shutil

    from ui.cli import main
    sim = tmp_path / "sim" / "x.csv"
    assert main(["simulate", "--thrust", "--imu", "500", "--seed", "5", "-o", str(sim)]) == 0
    root = tmp_path / "root"
    imu, force = root / "imu", root / "force"
    for folder, name, created, data in ((imu, "imu", "2026-10-01T10:00:00", sim.with_name("x.imu.csv")),
                                             (force, "force", "2026-10-01T11:00:00", sim)):
        folder.mkdir(parents=True)
        shutil.copy(data, folder / f"{name}.csv")
        (folder / "session.json").write_text(json.dumps({
            "schema_version": 1, "created": created, "trainee": "Noah", "technique": "HVLA",
            "target": "V", "complete": True, "streams": {name: {"file": f"{name}.csv", "rate_hz": 500.0}}}))
    return root, imu, force, sim


def make_session(folder, *, trainee="ana", created="2025-03-01T10:00:00", technique_name="PA L4",
                 target="III", kinds=("III",), r1=40.0, r2=120.0, seed=0, cycles=8, rate=200.0,
                 audio=False, events=True, finished=True):
    """Write a session folder; returns the folder. ``kinds`` are simulator targets in order.

    Its events are analysed once the writer has closed the folder, so their summary holds the
    warnings of a clean recording (none); ``finished`` False analyses the folder before it is
    closed, as a recording cut off, so that summary says it is "unfinished (still recording, or
    cut off)" (while session.json says complete: the warning is the stored summary's alone)."""
    scheme = GradingScheme(r1, r2)
    sim = Sim(r1, r2, seed=seed)
    for k in kinds:
        technique(k, sim, scheme, freq_hz=1.5, cycles=cycles, preload_n=100.0, peak_n=400.0, ttp_ms=120.0)
    t, y = sim.sample(rate, Noise(noise_n=0.3, tremor_n=0.4))
    meta = SessionMeta(created=created, trainee=trainee, technique=technique_name, target=target,
                       r1_n=r1, r2_n=r2)
    w = SessionWriter(folder, meta, flush_s=1e9)
    w.append_force(t, y)
    if audio:
        import soundfile as sf
        sr = 16000
        rng = np.random.default_rng(seed)
        x = 0.01 * rng.standard_normal(int(t[-1] * sr))
        # a pop on its own at 1 s, and two just before the peak force of a thrust
        from firmware_bridge.audio_sim import pop_wave
        pops = [1.0] + ([t[int(np.argmax(y))] - 0.01, t[int(np.argmax(y))] - 0.002] if "V" in kinds else [])
        for tp in pops:
            wave = pop_wave(rng, sr)
            k = int(tp * sr)
            x[k:k + len(wave)] += 0.2 * wave[:len(x) - k]
        x = x.astype(np.float32)
        sf.write(str(folder / "audio.wav"), x, sr, subtype="PCM_16")
        meta.streams["audio"] = {"file": "audio.wav", "rate_hz": sr}
    analysed = scheme.with_target(target) if target else scheme
    if events and not finished:
        w.flush()
        w.append_events(analyze_input(load_input(folder), analysed))
    w.close(rate)
    if events and finished:
        evs = analyze_input(load_input(folder), analysed)
        with open(folder / "events.jsonl", "a", encoding="utf-8", newline="\n") as f:
            f.writelines(json.dumps(e.to_dict()) + "\n" for e in evs)
    return folder


def mark_stopped(folder, stopped):
    """``folder``'s session.json saying its recording stopped early as ``stopped`` says
    (``extra.stopped``, as the recorder writes it after a refused write, or anything written by
    hand), and not complete; returns ``folder``."""
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    meta["complete"] = False
    meta.setdefault("extra", {})["stopped"] = stopped
    mp.write_text(json.dumps(meta))
    return folder


def tear(folder, keep=0.6):
    """Make ``folder`` look like a recording cut by a crash: force.csv ends in a torn line at
    ``keep`` of its length, events.jsonl lost its summary and ends mid-line, and session.json
    says the recording did not finish."""
    fp = folder / "force.csv"
    raw = fp.read_bytes()
    cut = int(len(raw) * keep)
    fp.write_bytes(raw[:cut] + b"12.3")             # torn last line
    ep = folder / "events.jsonl"
    lines = ep.read_text().splitlines()[:-1]        # summary never written
    ep.write_text("\n".join(lines) + '\n{"type": "cyc')
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    meta["complete"] = False
    mp.write_text(json.dumps(meta))
    return folder


@pytest.fixture
def session_factory(tmp_path):
    def make(name="s1", root=None, **kw):
        folder = (root or tmp_path) / name
        return make_session(folder, **kw)
    return make


def make_read_only(index):
    """Mark an SQLite file read-only in its own header (write version 3): SQLite then refuses
    every write as on a read-only share, for root too."""
    raw = bytearray(index.read_bytes())
    raw[18] = 3
    index.write_bytes(raw)


@pytest.fixture
def read_only_share(tmp_path):
    """``(lib, share)``: ``tmp_path/lib`` and ``tmp_path/share``, which ``mount_read_only`` makes
    a read-only bind mount of it (root only)."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    lib, share = tmp_path / "lib", tmp_path / "share"
    lib.mkdir()
    share.mkdir()
    yield lib, share
    # lazily: a file still open there (a failed test's) would keep the mount, and pytest's
    # clean-up of old temporary folders would then fail on it
    subprocess.run(["umount", "-l", str(share)], check=False)


def mount_read_only(lib, share):
    """Bind-mount ``lib`` on ``share`` read-only (skipped where that cannot be done, leaving
    nothing mounted; the caller unmounts ``share`` when done)."""
    try:
        subprocess.run(["mount", "--bind", str(lib), str(share)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        pytest.skip(f"cannot bind-mount here: {e}")
    r = subprocess.run(["mount", "-o", "remount,bind,ro", str(share)], capture_output=True)
    if r.returncode:
        subprocess.run(["umount", "-l", str(share)], check=False)
        pytest.skip(f"cannot remount read-only here: {r.stderr.decode().strip()}")


def mobilisation_sessions(tmp_path):
    """The same simulated mobilisation (``simulate --grade III --sets 2 --cycles 8 --imu 500 --seed 3``:
    two sets of eight grade III cycles at 1.5 Hz, R1 40 N, R2 120 N) recorded as two session
    folders under ``tmp_path/root``: by a worn IMU alone (``imu``) and by the force sensor with the
    IMU beside it (``both``), neither with its events stored (they are analysed on opening, as
    replay does). Returns ``(root, imu, both)``."""
    import shutil

    from ui.cli import main
    sim = tmp_path / "sim" / "x.csv"
    assert main(["simulate", "--grade", "III", "--sets", "2", "--cycles", "8", "--imu", "500", "--rate", "500",
                 "--seed", "3", "-o", str(sim)]) == 0
    root = tmp_path / "root"
    imu, both = root / "imu", root / "both"
    for folder, created, files in ((imu, "2026-10-02T10:00:00", {"imu": sim.with_name("x.imu.csv")}),
                                   (both, "2026-10-02T11:00:00", {"force": sim, "imu": sim.with_name("x.imu.csv")})):
        folder.mkdir(parents=True)
        for name, data in files.items():
            shutil.copy(data, folder / f"{name}.csv")
        (folder / "session.json").write_text(json.dumps({
            "schema_version": 1, "created": created, "trainee": "Mia", "technique": "PA L4", "target": "III",
            "r1_n": 40.0, "r2_n": 120.0, "complete": True,
            "streams": {name: {"file": f"{name}.csv", "rate_hz": 500.0} for name in files}}))
    return root, imu, both


def held_movement(go, threads: list, monkeypatch) -> None:
    """The hand's movement of an IMU-alone session, wherever the review computes it, waits for
    the ``threading.Event`` ``go`` first (5 s at most: only reached when the window cannot give
    it); each call's thread is appended to ``threads``."""
    from ui.review import data, movement as movement_module, trace
    real = trace.imu_movement

    def movement(imu):
        threads.append(threading.current_thread())
        go.wait(5.0)
        return real(imu)
    for mod in (data, movement_module):
        monkeypatch.setattr(mod, "imu_movement", movement)


def cut_at_line_end(folder, keep: float = 0.6) -> tuple[float, float]:
    """``folder``'s force.csv cut to its first ``keep`` of bytes, at a line end (a copy broken off,
    a disk error, after the recording finished); returns the time of the last line kept (as
    written) and the end the stored summary recorded."""
    fp = folder / "force.csv"
    raw = fp.read_bytes()
    raw = raw[:int(len(raw) * keep)]
    raw = raw[:raw.rindex(b"\n") + 1]
    fp.write_bytes(raw)
    last = raw.rstrip(b"\n").rsplit(b"\n", 1)[-1].split(b",")[0].decode()
    summary = json.loads((folder / "events.jsonl").read_text().splitlines()[-1])
    assert json.loads((folder / "session.json").read_text())["complete"] is True
    return float(last), summary["spans_s"]["force"][1]


def row_notes(win) -> dict[str, tuple[str, str]]:
    """Each row of a review window's library table, by its folder's name: (its note, the note's
    tooltip)."""
    from pathlib import Path

    from PySide6.QtCore import Qt

    from ui.review.window import FOLDER_ROLE, NOTE_COLUMN

    out = {}
    for r in range(win.proxy.rowCount()):
        note = win.proxy.index(r, NOTE_COLUMN)
        out[Path(win.proxy.index(r, 0).data(FOLDER_ROLE)).name] = (
            note.data() or "", note.data(Qt.ItemDataRole.ToolTipRole) or "")
    return out
