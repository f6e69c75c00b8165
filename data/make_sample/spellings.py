"""How releases spell customer names: the name a body had that month, a per-release style
(title case, upper case, abbreviation...) for some bodies, curly apostrophes in 2014."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from data.make_sample.settings import CURLY_APOSTROPHE, N_VARIED_CUSTOMERS, VARIANT_ROW_SHARE
from data.make_sample.sources import Release, ReleaseTables


def name_styles(abbreviations: Mapping[str, str]) -> dict[str, Callable[[str], str]]:
    """Spelling styles by key, in the order a style is drawn from."""
    return {
        "title": str.title,
        "upper": str.upper,
        "trailing_space": lambda name: name + " ",
        "ampersand": lambda name: name.replace(" and ", " & "),
        "and": lambda name: name.replace(" & ", " and "),
        "abbreviation": lambda name: abbreviations.get(name, name),
        "no_the": lambda name: name.removeprefix("The "),
        "double_space": lambda name: name.replace(" ", "  ", 1),
    }


def choose_name_styles(
    customers: pd.DataFrame, tables: ReleaseTables, rng: np.random.Generator
) -> dict[tuple[int, str], str]:
    """Pick, per release, a spelling style for a set of frequently named customers."""
    bodies = np.flatnonzero((customers["kind"] == "body") & (customers["weight"] > 0))
    p = customers["weight"].to_numpy()[bodies] / customers["weight"].to_numpy()[bodies].sum()
    varied = rng.choice(bodies, size=N_VARIED_CUSTOMERS, replace=False, p=p)
    styles: dict[tuple[int, str], str] = {}
    all_names = customers["name"].to_numpy()
    spell = name_styles(tables.abbreviations)
    for customer in varied:
        name = all_names[customer]
        usable = [key for key, style in spell.items() if style(name) != name]
        for release in tables.releases:
            if rng.random() < 0.7:
                styles[(customer, release.key)] = str(rng.choice(usable))
    position = {name: i for i, name in enumerate(customers["name"])}
    for (name, release_key), style in tables.fixed_name_styles.items():
        styles[(position[name], release_key)] = style
    return styles


def customer_display_names(
    rows: pd.DataFrame,
    release: Release,
    names: np.ndarray,
    styles: Mapping[tuple[int, str], str],
    abbreviations: Mapping[str, str],
    rng: np.random.Generator,
) -> list[str]:
    """Customer names as spelled in this release (history, variants, apostrophes);
    ``names`` is the customers x months name history."""
    spelled = names[rows["customer"].to_numpy(), rows["month"].to_numpy()].tolist()
    spell = name_styles(abbreviations)
    use_variant = rng.random(len(rows)) < VARIANT_ROW_SHARE
    for i, (customer, variant) in enumerate(zip(rows["customer"], use_variant, strict=True)):
        style = styles.get((customer, release.key))
        if style and variant:
            spelled[i] = spell[style](spelled[i])
    if release.layout == "csv_2014":
        spelled = [name.replace("'", CURLY_APOSTROPHE) for name in spelled]
    return spelled
