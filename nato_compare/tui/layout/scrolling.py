"""Where a column scrolls when the annotator moves: pure arithmetic on line numbers, so the
rules are tested without a terminal.

A passage spans the lines ``top`` to ``bottom`` (exclusive) of its column; ``seen`` lines are
in view from ``scroll_y``.
"""

from __future__ import annotations


def scroll_within(top: int, bottom: int, scroll_y: int, seen: int, dy: int) -> int | None:
    """Moving ``dy`` (+1 down, -1 up) from a passage taller than the view first scrolls through
    it, two lines of overlap per step: the new scroll position, or ``None`` to move on."""
    step = max(1, seen - 2)
    if dy > 0 and bottom > scroll_y + seen:
        return min(scroll_y + step, bottom - seen)
    if dy < 0 and top < scroll_y:
        return max(scroll_y - step, top)
    return None


def scroll_to_show(top: int, bottom: int, scroll_y: int, seen: int) -> int:
    """The scroll position that shows a passage, moving as little as possible: the whole
    passage when it fits; when it is taller than the view, the part in view stays (so that
    reading through it is not undone), or its top when none of it is in view."""
    if bottom - top > seen:
        in_view = top < scroll_y + seen and bottom > scroll_y
        return scroll_y if in_view else top
    if bottom > scroll_y + seen:
        scroll_y = bottom - seen
    if top < scroll_y:
        scroll_y = top
    return scroll_y
