"""Read every published release of CCS framework spend into one canonical, reconciled frame.

>>> import loaders
>>> result = loaders.load(["data/sample"], customers="data/sample/customer_urn_list_sample.xlsx")
>>> result.spend, result.quarantine, result.revisions, result.report
>>> result.matches, result.customers  # how names were resolved to bodies; the list's bodies
>>> result.notices, result.awards  # Contracts Finder notices (OCDS files), see loaders.ocds
"""

from loaders.catalogue.store import read_store, write_store
from loaders.core.errors import LoaderInputError
from loaders.pipeline import LoadResult, load

__all__ = ["LoadResult", "LoaderInputError", "load", "read_store", "write_store"]
