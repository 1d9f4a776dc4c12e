"""Instructor review: open a recorded session, play it back, re-grade, comment, compare.

``trace`` and ``data`` are free of Qt (the report and the library use them); ``window`` and
the views below it are the PySide6/pyqtgraph review window.
"""
