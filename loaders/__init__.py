"""Read every published source of framework spend and notices into one reconciled set of
tables, and the store the app reads.

>>> import loaders
>>> result = loaders.load(["data/sample"], customers="data/sample/customer_urn_list_sample.xlsx")
>>> result.spend, result.quarantine, result.revisions, result.report
>>> result.matches, result.customers  # how names were resolved to bodies; the list's bodies
>>> result.notices, result.awards  # Contracts Finder notices (OCDS files)
>>> loaders.write_store(result, "store")

Layout: :mod:`loaders.core` (shared rooms), :mod:`loaders.catalogue` (every stored table,
the store), :mod:`loaders.bodies` (who is who), :mod:`loaders.sources` (one folder per data
source, in :mod:`loaders.sources.registry`), :mod:`loaders.aggregates`,
:mod:`loaders.pipeline`, :mod:`loaders.fetch` / :mod:`loaders.update` and :mod:`loaders.cli`.
"""

from loaders.catalogue.result import LoadResult
from loaders.core.errors import LoaderInputError
from loaders.pipeline import describe, load, read_store, write_store

__all__ = ["LoadResult", "LoaderInputError", "describe", "load", "read_store", "write_store"]
