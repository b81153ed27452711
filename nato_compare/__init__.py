"""nato-compare: compare how outlets cover the same events; annotate framing and stance."""

from .similarity import similarity

__all__ = ["similarity"]
