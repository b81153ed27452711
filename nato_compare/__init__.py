"""nato-compare: compare how outlets cover the same events; annotate framing and stance."""

from .align import align
from .evidence import evidence
from .similarity import similarity

__all__ = ["align", "evidence", "similarity"]
