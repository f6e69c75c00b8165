"""Pure analytics over a store: periods and filters, selection, spend, suppliers and
concentration, adoption, departments, and the store reader with its one index of body names.

Imports pandas, numpy, pyarrow and ``loaders`` only, never Dash, plotly, the pages or the ui:
notebooks and other tools use these functions directly, and the app's numbers are theirs.
"""
