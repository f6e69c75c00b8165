"""Public registers of the bodies that could buy, and adoption measured against them.

- :mod:`~loaders.bodies.registers.build`: ``data/reference/registers/bodies.csv`` built from
  the publishers' files (:mod:`~loaders.bodies.registers.publishers`) and hand-kept files
  that cite their sources (``python -m loaders registers build``);
- :mod:`~loaders.bodies.registers.table`: the table as read, and which bodies existed in a
  period;
- :mod:`~loaders.bodies.registers.names` and :mod:`~loaders.bodies.registers.matching`:
  customer-list bodies and buyers matched to register bodies, saying how;
- :mod:`~loaders.bodies.registers.adoption`: never, lapsed, new and returning bodies of a
  period, per group and area;
- :mod:`~loaders.bodies.registers.hexmaps`: the hex cartograms of local authority districts.

:data:`REGISTER_TABLES` declares the two stored tables a load adds (``tables.csv`` and
``fields.csv`` beside this file); :func:`register_tables` computes them.
"""

from pathlib import Path

from loaders.catalogue import read_declarations

REGISTER_TABLES = read_declarations(Path(__file__).resolve().parent)

__all__ = ["REGISTER_TABLES"]
