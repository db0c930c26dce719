"""Pure domain types: no I/O, no interface or storage library."""
