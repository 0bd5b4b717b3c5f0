"""The locks: requirements.lock and requirements-dev.lock pin every package, transitive ones too,
with hashes, and agree with the lists people edit. A line added to requirements.txt without
`make lock` fails here, before `make test` installs a lock that lacks it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#\\]+)")


def name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def inputs(filename: str) -> dict[str, str]:
    """The pins a person wrote, following -r includes."""
    pins: dict[str, str] = {}
    for line in (ROOT / filename).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins |= inputs(line[3:].strip())
        elif match := PIN.match(line):
            pins[name(match[1])] = match[2]
        elif line:
            pytest.fail(f"{filename}: pin an exact version (name==version): {line}")
    return pins


def locked(filename: str) -> dict[str, tuple[str, list[str]]]:
    """Each locked package: version (one per name and Python marker) and its hashes."""
    entries: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in (ROOT / filename).read_text().splitlines():
        if match := PIN.match(line):
            marker = line.partition(";")[2].replace("\\", "").strip()
            current = name(match[1]) + (f" ; {marker}" if marker else "")
            entries[current] = (match[2], [])
        elif current and line.strip().startswith("--hash=sha256:"):
            entries[current][1].append(line.strip().removeprefix("--hash=sha256:").rstrip(" \\"))
    return entries


def versions(lock: dict[str, tuple[str, list[str]]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key, (version, _) in lock.items():
        out.setdefault(key.split(" ;")[0], set()).add(version)
    return out


@pytest.mark.parametrize(
    ("source", "lock"), [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]
)
def test_every_pin_a_person_wrote_is_locked_at_that_version(source, lock):
    have = versions(locked(lock))
    wrong = {pkg: (want, have.get(pkg)) for pkg, want in inputs(source).items() if want not in have.get(pkg, set())}
    assert not wrong, f"run `make lock` (wanted, locked): {wrong}"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_has_hashes(lock):
    entries = locked(lock)
    assert len(entries) > len(inputs("requirements.txt"))  # transitive packages too
    assert not [pkg for pkg, (_, hashes) in entries.items() if not hashes]
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for _, hashes in entries.values() for h in hashes)


def test_the_dev_lock_installs_the_runtime_lock_unchanged():
    runtime, dev = versions(locked("requirements.lock")), versions(locked("requirements-dev.lock"))
    assert {pkg: dev.get(pkg) for pkg in runtime} == runtime


def test_make_installs_from_the_lock_and_only_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    [rule] = re.findall(r"^\$\(VENV\)/\.installed:(.*)$", makefile, re.M)
    assert rule.split() == ["requirements.lock", "requirements-dev.lock"]
    assert "install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock" in makefile
