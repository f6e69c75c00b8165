"""Stacking the frames of many files without turning their categories back into text.

``pd.concat`` keeps a categorical column only when every frame has the same categories;
the files of a load never do, so it would give one Python object per row. :func:`stacked`
unites the categories instead (sorted, as the catalogue stores them) and keeps the codes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def united(parts: list[pd.Categorical]) -> pd.Categorical:
    """One categorical of ``parts`` in order, over the sorted union of their categories
    (first seen order when the values cannot be sorted), their type inferred from the values
    as ``astype("category")`` infers it: parts whose categories have no type (a column null
    in every row) unite with text. One factorisation of every part's categories, then a take
    per part: no index is built per part."""
    own = [np.asarray(p.categories, dtype=object) for p in parts]
    positions, uniques = pd.factorize(np.concatenate(own) if own else np.empty(0, object))
    uniques = np.asarray(uniques, dtype=object)
    try:
        order = np.argsort(uniques, kind="stable")
    except TypeError:  # values of kinds that do not compare: leave them as first seen
        order = np.arange(len(uniques))
    width = np.min_scalar_type(-max(len(uniques), 1))  # the narrowest signed codes
    rank = np.empty(len(uniques), dtype=width)
    rank[order] = np.arange(len(uniques))
    codes, start = [], 0
    for part, categories in zip(parts, own, strict=True):
        ranks = rank[positions[start : start + len(categories)]]
        start += len(categories)
        if len(ranks) == len(uniques) and np.array_equal(ranks, np.arange(len(ranks))):
            codes.append(np.asarray(part.codes))  # the part has the united categories already
            continue
        recode = np.append(ranks, np.array(-1, dtype=width))
        codes.append(recode[np.asarray(part.codes)])  # -1 (missing) reads the -1 at the end
    united = pd.Index(uniques[order])  # dtype inferred, as astype("category") infers it
    joined = np.concatenate(codes) if codes else np.empty(0, dtype=width)
    return pd.Categorical.from_codes(joined, categories=united, validate=False)


def stacked(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """``frames`` one below the other (index 0..n-1), as ``pd.concat`` stacks them, except
    that a column categorical in every frame with rows stays categorical: its categories are
    the sorted union of theirs. ``frames`` must have the same columns in the same order."""
    if not frames:
        return pd.DataFrame()
    with_rows = [f for f in frames if len(f)] or frames[:1]
    columns = {}
    for column in frames[0].columns:
        parts = [f[column].array for f in with_rows]
        if all(isinstance(p, pd.Categorical) for p in parts):
            columns[column] = united(parts)
        else:
            columns[column] = pd.concat([f[column] for f in frames], ignore_index=True)
    return pd.DataFrame(columns, index=pd.RangeIndex(sum(len(f) for f in frames)))
