"""The footer, rebuilt only when the keys it shows change; on a narrow terminal it shows the
most-used keys only (the rest are one `?` away, in the help screen).

Textual's footer recomposes itself whenever the focused widget changes; moving
between passages does not change the keys, and the rebuild would cost more
than the rest of a key press.
"""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Under this many columns the footer shows only :data:`MOST_USED` (80 columns hold them).
WIDE = 120
#: The actions of the keys a narrow footer shows, `?` among them.
MOST_USED = frozenset(
    {
        "next_event",
        "next_unannotated",
        "undo",
        "passage_note",
        "search",
        "toggle_list",
        "help",
        "app.quit",
    }
)


class StableFooter(Footer):
    _shown_keys: tuple | None = None

    @property
    def narrow(self) -> bool:
        return self.app.size.width < WIDE

    def bindings_changed(self, screen) -> None:
        shown = (
            self.narrow,
            *(
                (binding.key, binding.description, enabled)
                for (_, binding, enabled, _) in screen.active_bindings.values()
                if binding.show
            ),
        )
        if shown == self._shown_keys:
            return
        self._shown_keys = shown if screen.app.app_focus else None
        super().bindings_changed(screen)

    def on_resize(self) -> None:
        if self._shown_keys is not None and self._shown_keys[0] != self.narrow:
            self._shown_keys = None
            self.bindings_changed(self.screen)

    def compose(self):
        narrow = self.narrow
        self.compact = narrow
        items = [
            item
            for item in super().compose()
            if not (narrow and isinstance(item, FooterKey) and item.action not in MOST_USED)
        ]
        self.styles.grid_size_columns = max(1, len(items))
        yield from items
