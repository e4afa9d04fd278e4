"""The layering of docs/architecture.md holds, and a wrong import fails the build with the rule's name."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ["config", "audit", "shop", "livestream", "accounts", "landed_cost", "orders", "customs", "fit",
            "payments", "live_sales"]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    linter = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(linter), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120)


@pytest.fixture
def copy_of_the_code(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "bad_import", "rule"), [
    # The catalog reaching up into orders.
    ("shop/services.py", "from orders import models as _orders", "Domain apps are layered"),
    # Live commerce reading payments: livestream never imports what sits above it.
    ("livestream/selectors.py", "from payments.models import Payment as _Payment", "Domain apps are layered"),
    # Siblings on one layer stay independent.
    ("fit/services.py", "from customs import services as _customs", "Domain apps are layered"),
    # A service queueing a task by importing the tasks module.
    ("customs/services.py", "from customs import tasks as _tasks", "Domain modules never import APIs"),
    ("config/errors.py", "import shop.models as _shop", "The platform (config) imports no app"),
])
def test_a_wrong_import_fails_with_the_rule_it_breaks(copy_of_the_code, module, bad_import, rule):
    path = copy_of_the_code / module
    path.write_text(path.read_text() + f"\n{bad_import}  # noqa\n")
    result = lint_imports(copy_of_the_code)
    assert result.returncode == 1
    broken = [line for line in result.stdout.splitlines() if " BROKEN" in line]
    assert len(broken) == 1 and broken[0].startswith(rule), result.stdout
