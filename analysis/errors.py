"""Exception hierarchy: one root, specific subclasses.

Errors a user can cause (bad files, bad settings, missing devices) are
``InputError``/``DeviceError``; the CLI prints them as one line and exits 2.
Anything else is a bug and is allowed to fail loudly.
"""


class GradecoachError(Exception):
    """Root of every error gradecoach raises on purpose."""


class InputError(GradecoachError):
    """Bad input a user can fix: a file, a flag or a setting.

    ``str(err)`` is a one-line message naming the place (``file:line``).
    """


class DeviceError(GradecoachError):
    """A device is missing, refuses, or went away."""
