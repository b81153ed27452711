"""The events read ahead of the annotator: the neighbours of the event on screen, read on the
database thread so that moving there only has to show them.

Every view is stamped with the number of writes the screen had made when it was asked for
(``generation``); a write makes every view read before it stale, so the cache is emptied and a
reading that was under way when the write happened is not kept.
"""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar


class Stamped(Protocol):
    generation: int


View = TypeVar("View", bound=Stamped)


class ReadAhead(Generic[View]):
    def __init__(self) -> None:
        self.views: dict[str, View] = {}
        self.generation = 0  # bumped by every write

    def written(self) -> None:
        """Something was written: every view read so far may be stale."""
        self.generation += 1
        self.views.clear()

    def get(self, event_id: str) -> View | None:
        return self.views.get(event_id)

    def store(self, event_id: str, view: View, generation: int) -> bool:
        """Keep a view read for ``generation``; refused (False) if a write came since."""
        if generation != self.generation:
            return False
        view.generation = generation
        self.views[event_id] = view
        return True

    def keep_for_return(self, event_id: str, view: View) -> None:
        """Keep the event being left, for moving back to it without reading it again (unless
        something was written since it was read)."""
        if view.generation == self.generation:
            self.views.setdefault(event_id, view)

    def to_read(self, event_ids: list[str], index: int) -> list[str]:
        """The neighbours of ``event_ids[index]`` not read yet (next first); views of other
        events are dropped."""
        near = [event_ids[i] for i in (index + 1, index - 1) if 0 <= i < len(event_ids)]
        for event_id in list(self.views):
            if event_id not in near:
                del self.views[event_id]
        return [event_id for event_id in near if event_id not in self.views]
