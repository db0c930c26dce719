"""Backstride: decision support and self-management for lower back pain when walking.

Backstride gives education and decision support. It never gives a diagnosis.
"""

__version__ = "0.1.0"
