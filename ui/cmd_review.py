"""``gradecoach review``: the instructor's review window."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis.errors import InputError
from firmware_bridge.file_kind import LINK_LOOPS, link_loops
from ui.cli import interrupts_held
from ui.display import no_display
from ui.library.folders import session_as_root


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="review recorded sessions (library, playback, comments, progress)",
                       description="Open the review window: the library of sessions under --root, and "
                                   "SESSION if given.")
    p.add_argument("session", nargs="?", metavar="SESSION",
                   help="session folder to open (a folder of sessions opens as the library, as --root)")
    p.add_argument("--root", metavar="DIR", help="folder of sessions for the library "
                                                  "(default: SESSION's parent folder, or .)")
    p.add_argument("--db", metavar="URL", help="library index: postgresql://… or an SQLite file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    for given in (args.session, args.root):
        if given is not None and link_loops(given):     # (not "no such folder": it is there)
            raise InputError(f"{given}: {LINK_LOOPS}")
    if args.session is not None and not Path(args.session).is_dir():
        # (as 'library' says of a ROOT that is not there)
        raise InputError(f"{args.session}: " + ("not a session folder" if os.path.exists(args.session)
                                                 else "no such folder"))
    if args.session is not None and args.root is None:
        # a folder of sessions ('gradecoach review sessions/'): their library, not the one of
        # the folder above it opened on a "session" that has no data
        # (links to session folders followed, as the library follows them: a folder of links)
        from ui.library.folders import discover
        if not (Path(args.session) / "session.json").exists() and discover(args.session):
            args.root, args.session = args.session, None
    root = args.root or (str(Path(args.session).resolve().parent) if args.session else ".")
    # its index would go inside the session, where no output goes (as 'library' refuses it);
    # before the display, so the line is the same with one or without
    if args.db is None and (why := session_as_root(root)):
        raise InputError(why + ("" if args.session else f", or open the session itself: 'gradecoach review {root}'"))
    why = no_display("the review window")
    if why is not None:
        raise InputError(f"{why}; use 'gradecoach report' for a file")
    # a Ctrl-C while Qt is loaded and the window made is noted, and closes the window once it is
    # up: raised there, inside Qt's start, it aborted the program or was a traceback
    with interrupts_held():
        from ui.qt_check import require_qt
        require_qt()                              # (a missing system library: one line)
        from PySide6.QtWidgets import QApplication

        from ui.library import Library
        from ui.review.window import ReviewWindow
        from ui.trainer.app import CTRL_C_EXIT, close_on_ctrl_c
        app = QApplication.instance() or QApplication(sys.argv[:1])
        # (a bad --db is one line before any window; an index that cannot be written, on a
        # read-only share, is kept in memory and the library line says it was not saved)
        lib = Library(root, args.db, memory_if_read_only=True)
        win = ReviewWindow()
        win.show()
        ctrl_c = close_on_ctrl_c(win)               # (Ctrl-C in the terminal closes it)
    try:
        if args.session:
            win.open_session(args.session)
        # the window is up while sessions new to the index are read (a class's hour-long
        # recordings take many seconds), counting them
        win.set_library(lib)
        if win.closed:                              # closed while they were read
            return CTRL_C_EXIT if ctrl_c.seen else 0
        return app.exec()
    finally:
        ctrl_c.restore()
