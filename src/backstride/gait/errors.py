"""The one error the gait library raises for input it cannot use."""

from __future__ import annotations


class GaitInputError(ValueError):
    """A recording or a marker that cannot be analysed.

    The message names what is wrong (a column, a unit, a field), never a sample value:
    a recording is patient data.
    """
