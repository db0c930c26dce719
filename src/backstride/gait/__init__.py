"""Gait analysis from one inertial sensor (a phone) worn at the lower back.

Self-contained: imports nothing else of Backstride, so it can be used and tested on its own.
"""
