"""Bad input: every parser fuzzed with Hypothesis (clear errors only, nothing half-written)."""
