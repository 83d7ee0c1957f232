"""Mitché's analytics and moderation plots: the catalog the local console shows, and
`python -m mitche_dev.plots --out DIR` drawing the same plots (SVG and CSV) from a project."""

from mitche_dev.plots._catalog import DAYS, PLOTS, QUEUE_STATES
from mitche_dev.plots._cli import main, write_plots

__all__ = ["DAYS", "PLOTS", "QUEUE_STATES", "main", "write_plots"]
