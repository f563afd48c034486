"""`make mutants`: mutation testing of the night rule, sleep metrics, statistics and analysis.

mutmut (configured in pyproject.toml, [tool.mutmut]) mutates the code inside functions. It
leaves out what runs outside them: the module constants (the thresholds: HIGH_PAIN,
MIN_NIGHTS_PER_GROUP, the 1.96 of the intervals, MAX_STEP...) and class bodies, @property
included (CalendarCell.level, GroupComparison.strength...). `extra` makes those mutants too,
with mutmut's own operators, and runs the tests that reach each of them; `summary` and
`report` read both sets of results.

    python scripts/mutants.py extra     # after `mutmut run`: the mutants mutmut leaves out
    python scripts/mutants.py summary   # mutants, killed, survived, timeouts, score, per module
    python scripts/mutants.py report    # each mutant left alive, with its diff

Each extra mutant is written into a copy of the project (mutants/extra/w0, w1: one per
worker) and its tests run there in a fresh pytest process, so nothing of one mutant stays in
memory for the next. The tests of a mutant are those that ran its lines (coverage with one
context a test, measured once on the unmutated copy); for a constant, those that ran the
functions that use it.
"""

import ast
import difflib
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "mutants"
EXTRA = OUT / "extra"
RESULTS = OUT / "extra-results.json"
WORKERS = int(os.environ.get("MUTANT_WORKERS", "2"))
ALIVE = ("survived", "no tests", "suspicious", "not checked")


def mutmut_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]


def files_to_mutate(config: dict) -> list[Path]:
    files = []
    for source in config["source_paths"]:
        for path in sorted((ROOT / source).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if any(fnmatch(relative, pattern) for pattern in config["only_mutate"]):
                files.append(path.relative_to(ROOT))
    return files


def module_name(path: Path) -> str:
    return ".".join(path.with_suffix("").parts).removesuffix(".__init__")


# --- Making the mutants ---------------------------------------------------------------------


@dataclass
class Mutant:
    name: str
    path: str
    line: int
    change: str  # "before -> after", one line
    mutated: str = field(repr=False)  # the whole mutated file
    tests: list[str] = field(default_factory=list)
    status: str = "not checked"
    seconds: float = 0.0

    def diff(self) -> str:
        original = (ROOT / self.path).read_text().splitlines(keepends=True)
        return "".join(
            difflib.unified_diff(
                original, self.mutated.splitlines(keepends=True), self.path, self.path, n=2
            )
        )


def _one_line(code: str, limit: int = 70) -> str:
    text = " ".join(code.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mutmut_reaches(function) -> bool:
    """mutmut mutates undecorated functions and methods, and static- or classmethods."""
    import libcst as cst

    if not function.decorators:
        return True
    (only, *more) = function.decorators
    return (
        not more
        and isinstance(only.decorator, cst.Name)
        and only.decorator.value
        in (
            "staticmethod",
            "classmethod",
        )
    )


def make_mutants(path: Path) -> list[Mutant]:
    """The mutants of `path` that mutmut does not make, with mutmut's operators."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider
    from mutmut.mutation.mutators import mutation_operators

    source = (ROOT / path).read_text()
    wrapper = MetadataWrapper(cst.parse_module(source))
    module = wrapper.module
    parents = wrapper.resolve(ParentNodeProvider)
    positions = wrapper.resolve(PositionProvider)

    def outermost_function(node):
        found = None
        while node in parents:
            if isinstance(node, cst.FunctionDef):
                found = node
            node = parents[node]
        return found

    found: list[tuple[int, cst.CSTNode, cst.CSTNode]] = []

    class Finder(cst.CSTVisitor):
        def on_visit(self, node) -> bool:
            if isinstance(node, cst.Annotation | cst.Import | cst.ImportFrom | cst.Decorator):
                return False
            function = outermost_function(node)
            if function is not None and _mutmut_reaches(function):
                return False
            for kind, operator in mutation_operators:
                if isinstance(node, kind):
                    for mutated in operator(node):
                        found.append((positions[node].start.line, node, mutated))
            return True

    module.visit(Finder())
    code = cst.Module([]).code_for_node
    return [
        Mutant(
            name=f"{module_name(path)}.extra_{number}",
            path=path.as_posix(),
            line=line,
            change=f"{_one_line(code(node))}  ->  {_one_line(code(mutated))}",
            mutated=module.deep_replace(node, mutated).code,
        )
        for number, (line, node, mutated) in enumerate(found, start=1)
    ]


# --- Which tests reach a mutant -------------------------------------------------------------


def _node_id(context: str, worker: Path) -> str | None:
    """`tests.test_stats.test_rates` (coverage's test_function context) as a pytest node id."""
    parts = context.split(".")
    for split in range(len(parts) - 1, 0, -1):
        file = Path(*parts[:split]).with_suffix(".py")
        if (worker / file).is_file():
            return "::".join([file.as_posix(), *parts[split:]])
    return None


def tests_by_line(worker: Path, config: dict) -> dict[str, dict[int, set[str]]]:
    """For each mutated file, the tests that ran each of its lines."""
    import coverage

    rc = EXTRA / "coveragerc"
    rc.write_text(
        f"[run]\ndynamic_context = test_function\ndata_file = {EXTRA / '.coverage'}\n"
        f"source = {' '.join(config['source_paths'])}\n"
    )
    command = [
        sys.executable,
        *("-m", "coverage", "run", f"--rcfile={rc}", "-m", "pytest", "-q"),
        *config.get("pytest_add_cli_args", []),
        *config["pytest_add_cli_args_test_selection"],
    ]
    print("Measuring which tests reach which lines (one unmutated run under coverage)...")
    done = subprocess.run(command, cwd=worker, env=_test_env(), capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:])
        sys.exit("The tests fail on the unmutated copy: fix that first.")
    data = coverage.CoverageData(basename=str(EXTRA / ".coverage"))
    data.read()
    result = {}
    for path in files_to_mutate(config):
        by_line = data.contexts_by_lineno(str(worker / path))
        result[path.as_posix()] = {
            line: {node for c in contexts if c and (node := _node_id(c, worker))}
            for line, contexts in by_line.items()
        }
    return result


def _defined_names(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.ClassDef | ast.FunctionDef):
        return {statement.name}
    if isinstance(statement, ast.Assign | ast.AnnAssign):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def _names_in(*nodes: ast.AST) -> set[str]:
    return {
        n.id if isinstance(n, ast.Name) else n.attr
        for node in nodes
        for n in ast.walk(node)
        if isinstance(n, ast.Name | ast.Attribute)
    }


def _uses(tree: ast.Module):
    """(names used, the function or None, names it stands for) of each top-level part: a
    function; a method; the rest of a class (for its class); a module assignment."""
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef):
            yield _names_in(statement), statement, {statement.name}
        elif isinstance(statement, ast.ClassDef):
            rest = [*statement.bases, *statement.decorator_list]
            for inner in statement.body:
                if isinstance(inner, ast.FunctionDef):
                    yield _names_in(inner), inner, {statement.name}
                else:
                    rest.append(inner)
            yield _names_in(*rest), None, {statement.name}
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            yield _names_in(statement), None, _defined_names(statement)


def _function_lines_using(names: set[str], config: dict) -> dict[str, set[int]]:
    """The lines of the functions (in any source path) that use any of `names`, or that use
    what a class or module assignment using one of them defines, and so on."""
    trees = {
        path.relative_to(ROOT).as_posix(): ast.parse(path.read_text())
        for source in config["source_paths"]
        for path in (ROOT / source).rglob("*.py")
    }
    lines: dict[str, set[int]] = {}
    seen: set[str] = set()
    pending = set(names)
    while pending - seen:
        name = (pending - seen).pop()
        seen.add(name)
        for path, tree in trees.items():
            for used, function, stands_for in _uses(tree):
                if name not in used:
                    continue
                if function is not None:
                    span = range(function.lineno, function.end_lineno + 1)
                    lines.setdefault(path, set()).update(span)
                else:
                    pending |= stands_for
    return lines


def choose_tests(mutants: list[Mutant], coverage_map: dict, config: dict) -> None:
    trees = {m.path: ast.parse((ROOT / m.path).read_text()) for m in mutants}
    for mutant in mutants:
        tree = trees[mutant.path]
        enclosing = None  # the outermost function, else the module statement, holding the line
        for statement in tree.body:
            if statement.lineno <= mutant.line <= statement.end_lineno:
                enclosing = statement
                if isinstance(statement, ast.ClassDef):
                    for inner in statement.body:
                        if inner.lineno <= mutant.line <= inner.end_lineno:
                            enclosing = inner if isinstance(inner, ast.FunctionDef) else statement
        if enclosing is None:
            lines = {}
        elif isinstance(enclosing, ast.FunctionDef):
            lines = {mutant.path: set(range(enclosing.lineno, enclosing.end_lineno + 1))}
        else:
            lines = _function_lines_using(_defined_names(enclosing), config)
        tests = set()
        for path, numbers in lines.items():
            for number in numbers:
                tests |= coverage_map.get(path, {}).get(number, set())
        if enclosing is not None and not isinstance(enclosing, ast.FunctionDef):
            # A test may read a constant itself (a table of expected labels) without running
            # any function that uses it: coverage cannot see that test, its name can.
            tests |= _tests_naming(_defined_names(enclosing), config)
        mutant.tests = sorted(tests)


def _tests_naming(names: set[str], config: dict) -> set[str]:
    """The tests of the selection whose own code names one of `names`, a function or class
    that uses one, or a constant of the test module built from one (a table of expected labels
    read at import, which coverage attributes to no test)."""
    trees = [
        ast.parse(path.read_text())
        for source in config["source_paths"]
        for path in (ROOT / source).rglob("*.py")
    ]
    wanted = set(names)
    grew = True
    while grew:
        before = len(wanted)
        for tree in trees:
            for used, _, stands_for in _uses(tree):
                if used & wanted:
                    wanted |= stands_for
        grew = len(wanted) > before
    found = set()
    for selected in config["pytest_add_cli_args_test_selection"]:
        tree = ast.parse((ROOT / selected).read_text())
        named = set(wanted)
        for statement in tree.body:
            if isinstance(statement, ast.Assign | ast.AnnAssign) and _names_in(statement) & named:
                named |= _defined_names(statement)
        for function in tree.body:
            is_test = isinstance(function, ast.FunctionDef) and function.name.startswith("test_")
            if is_test and _names_in(function) & named:
                found.add(f"{selected}::{function.name}")
    return found


# --- Running them ---------------------------------------------------------------------------


def _test_env() -> dict[str, str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # no stale .pyc between two mutants
    env.setdefault("DEBUG", "1")
    env.setdefault("SECRET_KEY", "mutation-testing-only")
    return env


def make_workers(config: dict) -> list[Path]:
    shutil.rmtree(EXTRA, ignore_errors=True)
    workers = []
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for number in range(WORKERS):
        worker = EXTRA / f"w{number}"
        for name in [*config["source_paths"], *config["also_copy"], "tests", "pyproject.toml"]:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, worker / name, ignore=ignore)
            elif source.exists():
                (worker / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, worker / name)
        workers.append(worker)
    return workers


def _expected_seconds(tests: list[str]) -> float:
    """The tests' own time in mutmut's stats run (5 s a test when unknown)."""
    try:
        durations = json.loads((OUT / "mutmut-stats.json").read_text())["duration_by_test"]
    except (OSError, KeyError, ValueError):
        return 5.0 * len(tests)
    total = 0.0
    for test in tests:
        matching = [s for n, s in durations.items() if n == test or n.startswith(test + "[")]
        total += sum(matching) if matching else 5.0
    return total


def run_one(mutant: Mutant, worker: Path, config: dict) -> None:
    if not mutant.tests:
        mutant.status = "no tests"
        return
    target = worker / mutant.path
    original = target.read_text()
    timeout = 60 + 15 * _expected_seconds(mutant.tests)
    command = [
        sys.executable,
        *("-B", "-m", "pytest", "-x", "-q", "-p", "no:randomly"),
        *config.get("pytest_add_cli_args", []),
        *mutant.tests,
    ]
    start = time.monotonic()
    target.write_text(mutant.mutated)
    try:
        process = subprocess.Popen(
            command,
            cwd=worker,
            env=_test_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            code = process.wait(timeout=timeout)
            # 0: every test passed with the mutant in; 5: none was collected
            mutant.status = {0: "survived", 5: "no tests"}.get(code, "killed")
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
            mutant.status = "timeout"
    finally:
        target.write_text(original)
    mutant.seconds = round(time.monotonic() - start, 1)


def extra() -> None:
    config = mutmut_config()
    started = time.monotonic()
    mutants = [m for path in files_to_mutate(config) for m in make_mutants(path)]
    print(f"{len(mutants)} mutants outside functions (module constants, class bodies)")
    workers = make_workers(config)
    choose_tests(mutants, tests_by_line(workers[0], config), config)
    free: queue.Queue[Path] = queue.Queue()
    for worker in workers:
        free.put(worker)
    done = 0
    lock = threading.Lock()

    def task(mutant: Mutant) -> None:
        nonlocal done
        worker = free.get()
        try:
            run_one(mutant, worker, config)
        finally:
            free.put(worker)
        with lock:
            done += 1
            if mutant.status in ALIVE:
                print(f"  {mutant.status}: {mutant.name}  {mutant.path}:{mutant.line}")
            if done % 20 == 0 or done == len(mutants):
                print(f"  {done}/{len(mutants)} run", flush=True)

    # fastest first, as mutmut does, so that a stop part-way has the most answers
    ordered = sorted(mutants, key=lambda m: _expected_seconds(m.tests))
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(task, ordered))
    RESULTS.write_text(json.dumps([asdict(m) for m in mutants], indent=1))
    print(f"Extra mutants done in {time.monotonic() - started:.0f} s: {RESULTS}")


# --- Reading the results --------------------------------------------------------------------

MUTMUT_NAME = re.compile(r"^\s*(?P<name>(?P<module>[\w.]+)\.x[_ǁ]\S*): (?P<status>.+)$")


def mutmut_results() -> list[tuple[str, str, str]]:
    """(module, mutant name, status) of every mutant in mutmut's last run."""
    done = subprocess.run(
        [str(Path(sys.executable).parent / "mutmut"), "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in done.stdout.splitlines():
        if match := MUTMUT_NAME.match(line):
            rows.append((match["module"], match["name"], match["status"]))
    return rows


def extra_results() -> list[Mutant]:
    if not RESULTS.exists():
        return []
    return [Mutant(**row) for row in json.loads(RESULTS.read_text())]


def _score(statuses: list[str]) -> str:
    """mutmut's score: (killed + timeouts) / (mutants - skipped)."""
    tested = [s for s in statuses if s != "skipped"]
    caught = sum(s in ("killed", "timeout") for s in tested)
    return f"{100 * caught / len(tested):.1f}%" if tested else "-"


def summary() -> None:
    rows = [(module, status) for module, _, status in mutmut_results()]
    extras = extra_results()
    rows += [(module_name(Path(m.path)), m.status) for m in extras]
    if not extras:
        print("(no results of `scripts/mutants.py extra` yet: only mutmut's are counted)")
    columns = ("killed", "survived", "timeout", "suspicious", "no tests")
    header = f"{'module':<36}{'mutants':>8}" + "".join(f"{c:>11}" for c in columns)
    print(header + f"{'score':>8}")
    by_module: dict[str, list[str]] = {}
    for module, status in rows:
        by_module.setdefault(module, []).append(status)
    for module, statuses in [*sorted(by_module.items()), ("total", [s for _, s in rows])]:
        counts = "".join(f"{statuses.count(c):>11}" for c in columns)
        print(f"{module:<36}{len(statuses):>8}{counts}{_score(statuses):>8}")
    other = sorted({s for _, s in rows} - set(columns) - {"skipped"})
    if other:
        print("Also:", ", ".join(f"{s}: {sum(r[1] == s for r in rows)}" for s in other))
    print("Score = (killed + timeouts) / mutants. `make mutants-report` lists what survived.")


def report() -> None:
    """Each mutant left alive, grouped by module, with its diff."""
    alive: dict[str, list[str]] = {}
    for module, name, status in mutmut_results():
        if status in ALIVE:
            shown = subprocess.run(
                [str(Path(sys.executable).parent / "mutmut"), "show", name],
                cwd=ROOT,
                capture_output=True,
                text=True,
            ).stdout
            alive.setdefault(module, []).append(shown.rstrip() + "\n")
    for m in extra_results():
        if m.status in ALIVE:
            text = f"# {m.name}: {m.status} (line {m.line}: {m.change})\n{m.diff()}"
            alive.setdefault(module_name(Path(m.path)), []).append(text)
    for module in sorted(alive):
        print(f"=== {module}: {len(alive[module])} left alive ===\n")
        for text in alive[module]:
            print(text)
    if not alive:
        print("No surviving mutants.")


if __name__ == "__main__":
    commands = {"extra": extra, "summary": summary, "report": report}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(commands)}")
    os.chdir(ROOT)
    commands[sys.argv[1]]()
