"""What an import did or would do: counts per kind of object, and notes a person should read."""

from collections import defaultdict
from dataclasses import dataclass, field

KINDS = ("posts", "pages", "media", "comments", "redirects")
OUTCOMES = ("created", "updated", "skipped", "failed")


@dataclass
class ImportReport:
    """Counts of created / updated / skipped / failed objects, and a note for each problem."""

    dry_run: bool = False
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(OUTCOMES, 0))
    )
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    unmapped_authors: set[str] = field(default_factory=set)
    pingbacks_skipped: int = 0

    def add(self, kind: str, outcome: str, number: int = 1) -> None:
        self.counts[kind][outcome] += number

    def note(self, where: str, message: str) -> None:
        self.notes.append(f"{where}: {message}")

    def fail(self, where: str, message: str) -> None:
        self.failures.append(f"{where}: {message}")

    def count(self, kind: str, outcome: str) -> int:
        return self.counts[kind][outcome]

    @property
    def changed_anything(self) -> bool:
        return any(self.counts[kind][o] for kind in KINDS for o in ("created", "updated"))

    def rows(self) -> list[tuple[str, int, int, int, int]]:
        rows = []
        for kind in KINDS:
            created, updated, skipped, failed = (self.counts[kind][o] for o in OUTCOMES)
            rows.append((kind, created, updated, skipped, failed))
        return rows

    def table(self) -> str:
        """The summary as a plain-text table."""
        lines = [f"{'':<11}" + "".join(f"{o:>9}" for o in OUTCOMES)]
        lines += [
            f"{kind:<11}" + "".join(f"{n:>9}" for n in numbers) for kind, *numbers in self.rows()
        ]
        return "\n".join(lines)

    def text(self) -> str:
        """The whole report: what was (or would be) done, then every note and failure."""
        heading = (
            "Dry run: nothing was written. The import would do this:"
            if self.dry_run
            else "Import finished:"
        )
        parts = [heading, self.table()]
        if self.pingbacks_skipped:
            parts.append(
                f"{self.pingbacks_skipped} pingback(s) and trackback(s) skipped: "
                "they are not reader comments."
            )
        if self.unmapped_authors:
            parts.append(
                "Authors not in the author map (pages imported without an owner): "
                + ", ".join(sorted(self.unmapped_authors))
            )
        if self.failures:
            parts.append(
                "Failed (nothing of these was written):\n"
                + "\n".join(f"  {f}" for f in self.failures)
            )
        if self.notes:
            parts.append("Notes:\n" + "\n".join(f"  {n}" for n in self.notes))
        return "\n\n".join(parts)
