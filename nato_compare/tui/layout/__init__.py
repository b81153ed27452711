"""Textual-widget-free parts of the interface: passage highlighting, outlet columns as lines,
the read-ahead cache, scrolling steps and the event header's text. Unit tests reach them
without an app, and the database layer (``tui.data``) uses them instead of widget code."""
