"""The footer, rebuilt only when the keys it shows change.

Textual's footer recomposes itself whenever the focused widget changes; moving
between passages does not change the keys, and the rebuild would cost more
than the rest of a key press.
"""

from __future__ import annotations

from textual.widgets import Footer


class StableFooter(Footer):
    _shown_keys: tuple | None = None

    def bindings_changed(self, screen) -> None:
        shown = tuple(
            (binding.key, binding.description, enabled)
            for (_, binding, enabled, _) in screen.active_bindings.values()
            if binding.show
        )
        if shown == self._shown_keys:
            return
        self._shown_keys = shown if screen.app.app_focus else None
        super().bindings_changed(screen)
