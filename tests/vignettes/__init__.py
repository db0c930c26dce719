"""Clinical vignette suite and its audit."""
