"""What a fetch run did: files new, changed and unchanged, and links refused with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.core.errors import one_line


@dataclass(frozen=True)
class Fetched:
    """One file written or confirmed: its source, URL and path relative to the folder."""

    source: str
    url: str
    file: str


@dataclass(frozen=True)
class RefusedLink:
    """A link (or a source's page or API) that gave nothing usable, and why."""

    source: str
    url: str
    reason: str


@dataclass
class FetchSummary:
    """The outcome of one run of :func:`loaders.fetch.fetch` (filled as it goes)."""

    new: list[Fetched] = field(default_factory=list)
    changed: list[Fetched] = field(default_factory=list)
    unchanged: list[Fetched] = field(default_factory=list)
    refused: list[RefusedLink] = field(default_factory=list)

    @property
    def anything_new(self) -> bool:
        """Whether some file was added or changed."""
        return bool(self.new or self.changed)

    @property
    def exit_code(self) -> int:
        """2 when anything was refused, else 0."""
        return 2 if self.refused else 0

    def describe(self) -> str:
        """The summary in words: counts, each new or changed file, each refused link (one
        line each: what a server sent is escaped, :func:`~loaders.core.errors.one_line`)."""
        lines = [
            f"Fetched {len(self.new)} new, {len(self.changed)} changed and "
            f"{len(self.unchanged)} unchanged file(s); {len(self.refused)} link(s) refused."
        ]
        lines += [f"  new: {one_line(f.file)}" for f in self.new]
        lines += [f"  changed: {one_line(f.file)}" for f in self.changed]
        lines += [f"  refused: {one_line(f'{r.url} ({r.source}): {r.reason}')}"
                  for r in self.refused]  # fmt: skip
        return "\n".join(lines)
