"""A web console for the local stack: browse and edit Firestore data (typed values, queries with
the index production would need, export and import, live views), the Auth emulator's users with
their claims and a token per user, every request the rules judged with the evaluation trace of
each denial, and every function run with its timing, outcome and writes.

Generic over projects: it reads only what the stack gives it (`ConsoleSources`). Its pages are
plain HTML, CSS and JavaScript bundled in this package, so it works offline.
"""

from firelab.console._app import ConsoleSources
from firelab.console._plots import GeohashGrid, Plot, Queue, RenderedPlot, Series, render
from firelab.console._server import ConsoleServer

__all__ = [
    "ConsoleServer",
    "ConsoleSources",
    "GeohashGrid",
    "Plot",
    "Queue",
    "RenderedPlot",
    "Series",
    "render",
]
