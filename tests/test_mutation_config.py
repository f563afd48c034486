"""`make mutants` runs only the test modules listed in pyproject.toml ([tool.mutmut]
pytest_add_cli_args_test_selection): a module that tests a mutated module but is missing from
the list leaves its mutants alive for no reason. This keeps the list complete."""

import ast
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Imported by many tests only to build moments; it is tested in tests/test_nights.py.
HELPERS = {("journal.nights", "local_moment")}


def mutated_modules(config: dict) -> set[str]:
    modules = set()
    for path in (ROOT / "journal").rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if any(fnmatch(relative, pattern) for pattern in config["only_mutate"]):
            modules.add(relative.removesuffix(".py").replace("/", "."))
    return modules


def imports_a_mutated_module(path: Path, mutated: set[str]) -> bool:
    """Whether the test module imports something of a mutated module, beyond the helpers."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                module = f"{node.module}.{alias.name}"
                if module in mutated:  # from journal.analysis import factors
                    return True
                if node.module in mutated and (node.module, alias.name) not in HELPERS:
                    return True
    return False


def test_every_test_module_of_a_mutated_module_runs_against_its_mutants():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    mutated = mutated_modules(config)
    assert "journal.analysis.factors" in mutated and "journal.offline" in mutated
    selected = set(config["pytest_add_cli_args_test_selection"])
    missing = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "tests").rglob("test_*.py"))
        if "browser" not in path.parts  # mutants are not run in a browser
        and imports_a_mutated_module(path, mutated)
        and path.relative_to(ROOT).as_posix() not in selected
    ]
    assert missing == []
