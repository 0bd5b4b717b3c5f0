"""Finding a council from what a person typed (grants.selectors.council_find), as the importer and
the historic award form both use it."""

import pytest

from grants.awards.imports import import_file
from grants.selectors import council_find
from tests import factories as f

from .importing import award_row, awards_book, shepway

pytestmark = pytest.mark.django_db


def test_codes_names_and_former_names(personas):
    folk = shepway()
    for typed in ("SHE", "she", "E07000112", "Folkestone and Hythe", "Folkestone and Hythe District Council"):
        match = council_find(typed)
        assert (match.org, match.former, match.warning) == (folk, False, ""), typed
    match = council_find("Shepway")
    assert match.org == folk and match.former
    herts = council_find("E07000097")  # East Hertfordshire's code before a boundary change
    assert herts.org.code == "EHE" and herts.former
    assert council_find("Shepway").warning == "'Shepway' is now Folkestone and Hythe (SHE); confirm"


def test_an_ended_council_answers_with_the_one_that_replaced_it(personas):
    match = council_find("Aylesbury Vale")  # ended in 2020, replaced by Buckinghamshire Council (BUC)
    assert match.org.code == "BUC" and match.warning.startswith("'Aylesbury Vale' is now ")
    assert "(BUC); confirm" in match.warning


def test_unknown_and_ambiguous(personas):
    f.OrganisationFactory(name="Twin Council", short_name="Twin", code="TW1")
    f.OrganisationFactory(name="Twin Borough", short_name="Twin", code="TW2")
    assert council_find("Atlantis").error == "No council matches 'Atlantis'"
    assert "More than one council" in council_find("Twin").error
    twin = council_find("Twin Bor", fuzzy=True).org  # the typed form takes one partial match
    assert twin.code == "TW2" and council_find("Twin Bor").org is None


def test_rows_carry_the_warning_and_errors_name_row_and_column(personas):
    shepway()
    book = awards_book(personas, award_row(personas, "CS1-1", lead="Shepway"),
                       award_row(personas, "CS1-2", lead="Atlantis", Partners="MDX; Nowhere"))  # fmt: skip
    result = import_file(book, filename="h.xlsx", actor=None, confirm=False)
    first, second = result.rows
    assert first.outcome == "warning" and first.action == "created"
    assert first.messages == ["row 2: 'Shepway' is now Folkestone and Hythe (SHE); confirm"]
    assert second.outcome == "error"
    assert result.errors == [
        "row 3, column 'lead': No council matches 'Atlantis'",
        "row 3, column 'partners': No council matches 'Nowhere'",
    ]
