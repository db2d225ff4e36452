"""Textual workaround 14: a plot drawn off its widget (:func:`size_plot`,
:func:`plotext_theme_name`).

The candle chart builds its plotext drawing in a worker thread (a build costs several ladder
frames, ``bench/RESULTS.md``) instead of in ``PlotextPlot.render``, so it makes the calls
``render`` makes. Two of them are private to textual-plotext: the plot's ``_set_size``, a
second sizing ``render`` needs for plots to resize right (textual-plotext issue #5), and the
widget's ``_get_plotext_theme_name``, the plotext theme that follows the app's.
"""

from __future__ import annotations

import inspect

from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot


def size_plot(plot: Plot, width: int, height: int) -> None:
    """Size ``plot`` for ``width`` x ``height`` cells as ``PlotextPlot.render`` does."""
    plot.plotsize(width, height)
    plot._set_size(width, height)


def plotext_theme_name(chart: PlotextPlot, app_theme: str) -> str:
    """The plotext theme ``chart`` draws in under the app's theme ``app_theme``, as
    ``PlotextPlot.render`` names it."""
    return chart._get_plotext_theme_name(app_theme)


def plot_render_uses_private_parts() -> bool:
    """Whether ``PlotextPlot.render`` still sizes and themes its plot through the private
    parts these functions call."""
    source = inspect.getsource(PlotextPlot.render)
    return "._set_size(" in source and "._get_plotext_theme_name(" in source
