"""The ``backstride`` command line."""
