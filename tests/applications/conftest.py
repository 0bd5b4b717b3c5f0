"""A round with a small form, and helpers, for the bidding tests."""

import pytest

from applications.models import QuestionType

from .factories import QuestionFactory, SectionFactory


@pytest.fixture
def form(personas):
    """Two sections on the personas' round: one of text answers, one with a file upload."""
    rnd = personas.round
    about = SectionFactory(round=rnd, title="About the project", order=1)
    evidence = SectionFactory(round=rnd, title="Evidence", order=2)
    return {
        "about": about,
        "evidence": evidence,
        "aim": QuestionFactory(
            section=about, text="What is the aim?", type=QuestionType.LONG_TEXT, word_limit=10, order=1
        ),
        "people": QuestionFactory(section=about, text="How many people?", type=QuestionType.WHOLE_NUMBER, order=2),
        "cost": QuestionFactory(section=about, text="Total cost", type=QuestionType.MONEY, required=False, order=3),
        "kind": QuestionFactory(
            section=about,
            text="Kind of project",
            type=QuestionType.SINGLE_CHOICE,
            choices=["Skills", "Devices"],
            required=False,
            order=4,
        ),
        "plan": QuestionFactory(section=evidence, text="Project plan", type=QuestionType.FILE_UPLOAD, order=1),
    }
