"""nexus-ttx engine: load, validate, analyse, play, score and store tabletop exercises.

Pure Python. This package never imports `tui` or `textual`.
"""
