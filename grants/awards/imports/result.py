"""What an import made of a file: one line per row, and the totals the pages and the command show."""

from dataclasses import asdict, dataclass, field

CREATED, UPDATED, UNCHANGED, WARNING, ERROR = "created", "updated", "unchanged", "warning", "error"


@dataclass
class RowResult:
    sheet: str
    row: int
    outcome: str = UNCHANGED  # created, updated, unchanged, warning (to confirm) or error
    action: str = UNCHANGED  # what saving does (created, updated, unchanged), whatever the warnings
    reference: str = ""
    messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the messages that are errors

    def where(self, column: str | None = None) -> str:
        prefix = "" if self.sheet == "Awards" else f"{self.sheet}, "
        return f"{prefix}row {self.row}" + (f", column '{column}'" if column else "")

    def error(self, column: str | None, message: str) -> None:
        self.outcome = ERROR
        self.messages.append(f"{self.where(column)}: {message}")
        self.errors.append(self.messages[-1])

    def warn(self, message: str) -> None:
        if self.outcome != ERROR:
            self.outcome = WARNING
        self.messages.append(f"{self.where()}: {message}")

    def done(self, action: str) -> None:
        self.action = action
        if self.outcome not in (ERROR, WARNING):
            self.outcome = action


@dataclass
class ImportResult:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)  # the file as a whole could not be read
    saved: bool = False

    @property
    def errors(self) -> list[str]:
        return self.file_errors + [m for r in self.rows for m in r.errors]

    def _count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.outcome != ERROR and r.action == action)

    @property
    def created(self) -> int:
        return self._count(CREATED)

    @property
    def updated(self) -> int:
        return self._count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.rows if r.outcome == WARNING)

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if r.outcome == ERROR)

    @property
    def summary(self) -> str:
        """ "23 to create, 2 to update, 1 unchanged, 1 error" (before saving) or what was done."""
        if self.file_errors:
            return "The file could not be read"
        verbs = ("created", "updated") if self.saved else ("to create", "to update")
        parts = [f"{self.created} {verbs[0]}", f"{self.updated} {verbs[1]}", f"{self.unchanged} unchanged"]
        if self.warnings:
            confirm = "confirmed" if self.saved else "to confirm"  # saving confirmed them
            parts.append(f"{self.warnings} warning{'s' if self.warnings != 1 else ''} {confirm}")
        parts.append(f"{self.error_rows} error{'s' if self.error_rows != 1 else ''}")
        return ", ".join(parts)

    def ordered(self) -> list[RowResult]:
        """Errors first, then warnings, then the rest in file order."""
        rank = {ERROR: 0, WARNING: 1}
        return sorted(self.rows, key=lambda r: rank.get(r.outcome, 2))

    def to_json(self) -> dict:
        return {"rows": [asdict(r) for r in self.rows], "file_errors": self.file_errors, "saved": self.saved}

    @classmethod
    def from_json(cls, data: dict) -> "ImportResult":
        return cls(
            rows=[RowResult(**r) for r in data.get("rows", [])],
            file_errors=list(data.get("file_errors", [])),
            saved=bool(data.get("saved")),
        )
