"""Importing history from spreadsheets (issue 18): the funder's years of awards, payments, returns
and returned funds, read from an .xlsx or .csv in the shared format, matched to programmes, rounds
and councils, and saved through the same services as an award typed in.

`import_file` is the one entry point: the pages, the background job, the command and the demo seed
all call it. `confirm=False` previews (nothing is kept); `confirm=True` keeps everything in one
transaction, and only when no row has an error.
"""

from collections.abc import Callable

from django.db import transaction

from .applying import apply_all, count_rows
from .reading import ImportFileError, read_file
from .result import ImportResult, RowResult

__all__ = ["ImportResult", "RowResult", "import_file"]


def import_file(
    fileobj_or_path,
    *,
    filename: str,
    actor,
    confirm: bool,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read, match and (with `confirm` and no errors) save a history file. `actor` None is the
    system; a person must manage the programme of every row. `progress(done, total)` is told as
    rows are worked through (the background job's progress bar)."""
    result = ImportResult()
    try:
        sheets = read_file(fileobj_or_path, filename=filename)
    except ImportFileError as exc:
        result.file_errors.append(str(exc))
        return result
    total = count_rows(sheets)

    def tell(done: int) -> None:
        if progress is not None:
            progress(done, total)

    with transaction.atomic():
        apply_all(sheets, actor=actor, result=result, progress=tell)
        result.saved = confirm and not result.errors and bool(result.rows)
        if not result.saved:
            transaction.set_rollback(True)  # a preview, or a file with errors: nothing is kept
    return result
