"""One name per body: resolve published customer and supplier spellings to body keys.

Spend files spell one body many ways (``Department For Work And Pensions``, ``DWP``,
``Department of Work and Pensions (DWP)``), so counting names is not counting bodies.
Customers are resolved per distinct published name, in order of trust, and every match is
recorded with its method, score and runner-up (the nearest other list body):

1. ``urn``: the row's ``customer_urn`` (CCS releases give one); key ``urn:<URN>``;
2. ``urn_name``: the same name (normalised key) is published elsewhere with one URN only;
3. ``override``: ``data/reference/customer_aliases.csv`` maps a published spelling to a body
   (and optionally its URN), for what only an analyst can know;
4. ``exact_list``: the name's match key equals a current or former name in the customer list
   (its ``Name Changes``, ``Merges`` and ``Inactive`` sheets too) that points at one URN;
   ``exact_sector`` when several URNs bear the name and the release's sector picks one;
   ``ambiguous`` when it does not (left unresolved, every candidate in ``runner_up``);
5. ``fuzzy_list``: the nearest customer-list name (rapidfuzz), only when its score reaches
   :data:`FUZZY_THRESHOLD`, it beats every other body by :data:`FUZZY_MARGIN`, and the two
   names agree token for token (:func:`tokens_agree`): generic words such as *agency* or
   *council* never carry a match on their own, so ``Highways Agency`` is not ``Loughs
   Agency``;
6. other readings of the name (:mod:`.tiers`), tier by tier, kept only when they name one
   body: ``renamed`` and ``acronym`` through the GOV.UK register (abbreviations, renames:
   :mod:`loaders.bodies.lineage`), the list's acronyms and the initials of its names;
   ``trimmed`` without brackets, a trailing acronym or a descriptor of kind
   (``name_descriptors.csv``), with short forms spelt out (``name_short_forms.csv``), as
   ``name_patterns.csv`` aliases list names (``Brent Council``), index-style or with lost
   characters; ``part`` for a unit or an agency beside the body it is part of (``DVLA
   (DfT)`` is the DVLA); ``typo`` for a word a typo away from the registers' words;
7. ``name_key``: otherwise the normalised name itself, as published (``none`` if blank).

A wrong merge is worse than a missed one: every step is measured on a labelled set of names
as published (``python -m benchmarks.name_matching``) and on the real releases
(``python -m benchmarks.customer_matching``).

Suppliers: ``override`` from ``data/reference/supplier_aliases.csv``, else a published name
that says it is another (``trimmed``, ``renamed``, ``respaced``:
:mod:`.suppliers`), else ``name_key`` (the normalised key already drops ``Ltd``,
``Limited``, ``plc``). No fuzzy supplier merging: on real releases near-identical supplier
names are mostly different firms.

Everything works per distinct name (thousands), never per row (hundreds of thousands).
"""

from loaders.bodies.resolution.aliases import (
    CUSTOMER_ALIASES,
    SUPPLIER_ALIASES,
    read_customer_aliases,
    read_supplier_aliases,
)
from loaders.bodies.resolution.display import NOT_STATED, tidy_list_name
from loaders.bodies.resolution.keys import distinctive_tokens, match_key, tokens_agree, urn_key
from loaders.bodies.resolution.list_index import (
    FUZZY_MARGIN,
    FUZZY_THRESHOLD,
    Candidate,
    ListIndex,
    build_list_index,
)
from loaders.bodies.resolution.resolve import (
    CUSTOMER_METHODS,
    SUPPLIER_METHODS,
    Match,
    customer_bodies,
    match_report,
    method_counts,
    resolve_customers,
    resolve_suppliers,
    sector_by_body_key,
)

__all__ = [
    "CUSTOMER_ALIASES",
    "CUSTOMER_METHODS",
    "FUZZY_MARGIN",
    "FUZZY_THRESHOLD",
    "NOT_STATED",
    "SUPPLIER_ALIASES",
    "SUPPLIER_METHODS",
    "Candidate",
    "ListIndex",
    "Match",
    "build_list_index",
    "customer_bodies",
    "distinctive_tokens",
    "match_key",
    "match_report",
    "method_counts",
    "read_customer_aliases",
    "read_supplier_aliases",
    "resolve_customers",
    "resolve_suppliers",
    "sector_by_body_key",
    "tidy_list_name",
    "tokens_agree",
    "urn_key",
]
