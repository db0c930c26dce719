"""The programme generator and its progression rules. Pure."""
