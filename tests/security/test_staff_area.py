"""Every page under /staff/ refuses everyone without a staff role.

The access matrix checks each URL's answers against its row; this checks the rows themselves, so
a new staff page cannot be written down as open to a council officer, a panel member or someone
with no role at all. A GET must answer 403 or 404 to each of them (anonymous users are sent to
sign in), and a POST-only action (405 to a GET) must refuse their POST the same way
(tests/security/test_post_matrix.py's rows).
"""

from .test_post_matrix import POSTED
from .test_url_matrix import EXPECTED, PERSONAS, STAFF
from .urlwalk import patterns

NON_STAFF = set(PERSONAS) - STAFF - {"anonymous"}
REFUSED = (403, 404)


def _staff_patterns():
    return [p for p in patterns() if p.route.startswith("staff/")]


def test_the_walk_finds_the_staff_pages():
    names = {p.name for p in _staff_patterns()}
    assert {"grants:staff_home", "scoring:round_index", "reporting:dashboard", "awards:portfolio"} <= names


def test_staff_pages_refuse_everyone_without_a_staff_role():
    open_doors = []
    for pattern in _staff_patterns():
        row = EXPECTED[pattern.name]
        if row["anonymous"] not in (302, 405):
            open_doors.append(f"{pattern.name} /{pattern.route} answers {row['anonymous']} to anonymous")
        for who in sorted(NON_STAFF):
            got = row[who]
            if got == 405 and pattern.name in POSTED:
                got = POSTED[pattern.name]["status"][who]
            if got not in REFUSED:
                open_doors.append(f"{pattern.name} /{pattern.route} answers {got} to {who}")
    assert not open_doors, "Staff pages open to people without a staff role:\n" + "\n".join(open_doors)
