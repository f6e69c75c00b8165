"""Every stored table, declared once: name, file, fields with dtype, unit and meaning.

The canonical tables (spend and its quarantine, revisions and release months; the match
report and the customer list's bodies; the notice tables) are declared in ``tables.csv``
and ``fields.csv`` beside this file, the aggregate tables from the spend table's fields
(:mod:`loaders.catalogue.aggregate_tables`). A source may declare tables of its own (a
:class:`Catalogue` it gives its registration). The store (:mod:`loaders.catalogue.store`)
writes and reads any declared table through one function, and keeps the declarations of
the tables it holds in ``catalogue.json``, so it can be read without knowing any source.

>>> from loaders.catalogue import CATALOGUE
>>> CATALOGUE["spend"].field("spend_gbp").unit
'gbp'
"""

from pathlib import Path

from loaders.catalogue.aggregate_tables import aggregate_tables
from loaders.catalogue.model import Catalogue, Field, Table, read_declarations

CANONICAL: Catalogue = read_declarations(Path(__file__).resolve().parent)
CATALOGUE: Catalogue = CANONICAL + aggregate_tables(CANONICAL["spend"])


def codes(table: str, field: str) -> tuple[str, ...]:
    """The values a code field of a canonical table takes, in their declared order."""
    return CANONICAL[table].field(field).values


__all__ = [
    "CANONICAL",
    "CATALOGUE",
    "Catalogue",
    "Field",
    "Table",
    "codes",
    "read_declarations",
]
