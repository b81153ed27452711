"""Runs the annotation app headless for the SIGKILL test: presses keys, says so on stdout, waits.

    python headless_driver.py DB "KEY KEY ..." LAST_KEY

The keys before LAST_KEY are pressed and waited for (written); then "settled" is printed,
LAST_KEY is pressed, "pressed" is printed at once, and the app idles until it is killed.
"""

from __future__ import annotations

import asyncio
import sys

from nato_compare.tui.app import make_app


async def main(db: str, keys: list[str], last: str) -> None:
    app = make_app(db, "alice")
    async with app.run_test(size=(120, 40)) as pilot:
        while app.screen.view is None or not app.screen.grid:
            await asyncio.sleep(0.01)
        for key in keys:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        print("settled", flush=True)
        await pilot.press(last)
        print("pressed", flush=True)
        await asyncio.sleep(120)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2].split(), sys.argv[3]))
