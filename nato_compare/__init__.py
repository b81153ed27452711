"""nato-compare: compare how outlets cover the same events; annotate framing and stance.

The aligner's public API is :mod:`nato_compare.alignment`; the database is
:mod:`nato_compare.store`; the command line :mod:`nato_compare.cli` and the annotation
interface :mod:`nato_compare.tui` are thin shells over both.
"""
