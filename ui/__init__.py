"""Command line, live trainer GUI, review window and reports."""
