"""The package tree shows the pipeline: one folder per stage, and no module imports itself back in a cycle."""

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "syndicate"
STAGES = ["read", "extract", "fingerprint", "store", "match", "engines", "views"]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """syndicate modules a module imports when it is loaded (imports inside functions are lazy: not counted)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            continue
        for sub in ast.walk(node) if isinstance(node, (ast.If, ast.Try)) else [node]:
            if isinstance(sub, ast.ImportFrom):
                base = sub.module or ""
                if sub.level:
                    anchor = package.split(".")[: len(package.split(".")) - sub.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                if base.startswith("syndicate"):
                    found.add(base)
                    found.update(f"{base}.{a.name}" for a in sub.names)
            elif isinstance(sub, ast.Import):
                found.update(a.name for a in sub.names if a.name.startswith("syndicate"))
    return found


def test_each_stage_is_a_folder():
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").exists(), stage
    assert not (PACKAGE / "readers.py").exists() and not (PACKAGE / "pipeline.py").exists()


def test_no_import_cycles():
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: {m for m in imports(path) if m in modules and m != name} for name, path in modules.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for dep in sorted(graph[name]):
            if state.get(dep) == 1:
                cycles.append(trail[trail.index(dep):] + [dep] if dep in trail else [name, dep])
            elif dep not in state:
                visit(dep, trail + [dep])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, cycles


ORDER = ["read", "extract", "fingerprint", "match", "store", "engines", "views"]


def test_data_flows_one_way():
    """A stage imports earlier stages and the shared top-level modules, never a later stage."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    backwards = []
    for name, path in modules.items():
        parts = name.split(".")
        if len(parts) < 3 or parts[1] not in ORDER:
            continue  # top-level modules (cli, settings, text, ...) are not stages
        rank = ORDER.index(parts[1])
        for dep in imports(path):
            dep_parts = dep.split(".")
            if len(dep_parts) >= 2 and dep_parts[1] in ORDER and ORDER.index(dep_parts[1]) > rank:
                backwards.append(f"{name} imports {dep}")
    assert not backwards, backwards


def test_the_documented_library_names_import():
    import syndicate

    for name in syndicate.__all__:
        assert getattr(syndicate, name) is not None, name
    from syndicate import Store, copies, origin_of, scan  # the README's example

    assert callable(scan) and callable(copies) and callable(origin_of) and hasattr(Store, "open")
