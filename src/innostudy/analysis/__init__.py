"""Survey analysis: tidy tables, named statistics with honest uncertainty, and charts.

Start at ``innostudy.analysis.summary``: ``load(store)`` analyses a study,
``stat(s, name)`` reads a named statistic and ``figure(s, name)`` draws a named chart.
The contract (names, units, files) is documented in docs/analysis.md.
"""
