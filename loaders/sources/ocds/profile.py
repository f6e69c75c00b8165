"""What a source on the generic OCDS base says of its releases (see
:func:`loaders.sources.ocds.load.ocds_loader`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OcdsProfile:
    """What a source on the OCDS base says of its releases: the ``platform`` of releases
    whose ocid prefix is not in ``ocds_platforms.csv`` (``None``: not known), and whether a
    release published without an ``id`` is given one (``derive_release_ids``: Public
    Contracts Scotland publishes none; see
    :func:`loaders.sources.ocds.release_facts.derived_release_id`) instead of quarantined."""

    platform: str | None = None
    derive_release_ids: bool = False
