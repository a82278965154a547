"""The shape of the code, checked from its source (docs/architecture.md draws it).

Three rules, each read from the syntax tree of every module of the five apps (migrations aside):

* views are short: no function in a view module runs over 25 lines;
* modules are short: no module runs over 500 lines;
* imports flow one way, ranks → assessments → supervision / incentives → cadre_mgmt, and no two
  modules import each other, directly or round a longer loop (imports inside functions count).
"""

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cadre_mgmt", "ranks", "assessments", "incentives", "supervision")

MAX_VIEW_LINES = 25
MAX_MODULE_LINES = 500

# Higher layers may import lower ones, never the reverse; apps on one layer do not import each other.
LAYER = {"cadre_mgmt": 0, "supervision": 1, "incentives": 1, "assessments": 2, "ranks": 3}


def app_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts:
                continue
            yield rel


def module_name(rel: Path) -> str:
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def parsed(rel: Path) -> ast.Module:
    return ast.parse((ROOT / rel).read_text(encoding="utf-8"), filename=str(rel))


def modules() -> dict[str, Path]:
    return {module_name(rel): rel for rel in app_files()}


# --- views ---------------------------------------------------------------------------------------


def is_view_module(rel: Path) -> bool:
    """Page and REST view modules: views.py, <topic>_views.py, api.py, <topic>_api.py, viewsets.py,
    and every module of a views/ package (or of an api/ package that holds views)."""
    stem = rel.stem
    if stem in {"views", "api", "viewsets"} or stem.endswith(("_views", "_api")):
        return True
    return "views" in rel.parts[:-1]


def view_functions(tree: ast.Module):
    """Every module-level function and every method of a module-level class (class-based views,
    viewsets, their helpers). Helpers whose name starts with "_" count too. A function's length runs
    from its ``def`` line to its last line (decorators aside); nested functions count in their parent."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{node.name}.{item.name}", item


def test_view_modules_are_found():
    found = [rel for rel in app_files() if is_view_module(rel)]
    assert len(found) >= 10, found


def test_no_view_function_over_25_lines():
    offenders = []
    for rel in app_files():
        if not is_view_module(rel):
            continue
        for name, node in view_functions(parsed(rel)):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_VIEW_LINES:
                offenders.append(f"{rel}:{node.lineno} {name} ({length} lines)")
    assert not offenders, f"{len(offenders)} view functions over {MAX_VIEW_LINES} lines:\n" + "\n".join(offenders)


# --- modules -------------------------------------------------------------------------------------


def test_no_module_over_500_lines():
    offenders = []
    for rel in app_files():
        length = len((ROOT / rel).read_text(encoding="utf-8").splitlines())
        if length > MAX_MODULE_LINES:
            offenders.append(f"{rel} ({length} lines)")
    assert not offenders, f"{len(offenders)} modules over {MAX_MODULE_LINES} lines:\n" + "\n".join(offenders)


# --- imports -------------------------------------------------------------------------------------


def type_checking_nodes(tree: ast.Module) -> set[int]:
    """Imports under ``if TYPE_CHECKING:`` never run, so they make no cycle (they still obey the layers)."""
    guarded = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                for child in node.body:
                    guarded.update(id(n) for n in ast.walk(child))
    return guarded


def resolve(name: str, known: dict[str, Path]) -> str | None:
    """The app module an imported dotted name lands in: the longest known prefix."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def imports_of(module: str, rel: Path, known: dict[str, Path]):
    """(imported module, line, runs at run time) for every import statement anywhere in the module."""
    tree = parsed(rel)
    guarded = type_checking_nodes(tree)
    package = module if rel.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        runtime = id(node) not in guarded
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = resolve(alias.name, known)
                if target:
                    yield target, node.lineno, runtime
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                if node.level > 1:
                    base = base[: -(node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            for alias in node.names:
                # ``from pkg import sub`` imports the submodule when there is one, else a name of pkg.
                target = resolve(f"{prefix}.{alias.name}", known) or resolve(prefix, known)
                if target:
                    yield target, node.lineno, runtime


@cache
def import_graph() -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """(every import, run-time imports only): module -> {imported module: first line}."""
    known = modules()
    every: dict[str, dict[str, int]] = {m: {} for m in known}
    runtime: dict[str, dict[str, int]] = {m: {} for m in known}
    for module, rel in known.items():
        for target, line, at_runtime in imports_of(module, rel, known):
            if target == module:
                continue
            every[module].setdefault(target, line)
            if at_runtime:
                runtime[module].setdefault(target, line)
    return every, runtime


def test_import_graph_is_built():
    every, _ = import_graph()
    edges = [(m, t) for m, targets in every.items() for t in targets]
    assert len(edges) > 100
    assert any(m.startswith("ranks.") and t.startswith("cadre_mgmt.") for m, t in edges)
    # relative imports resolve within the app: "from . import services", "from .models import X"
    assert any(app_of(m) == app_of(t) == "ranks" for m, t in edges)


def app_of(module: str) -> str:
    return module.split(".", 1)[0]


def against_the_layers(graph: dict[str, dict[str, int]]):
    """(module, line, imported module) for each import that goes up a layer or across one."""
    for module, targets in sorted(graph.items()):
        for target, line in sorted(targets.items()):
            source_app, target_app = app_of(module), app_of(target)
            if source_app != target_app and LAYER[target_app] >= LAYER[source_app]:
                yield module, line, target


def test_the_layers_catch_upward_and_sideways_imports():
    graph = {
        "ranks.views": {"assessments.selectors": 1, "cadre_mgmt.web": 2},
        "assessments.services": {"ranks.services": 3},
        "supervision.selectors": {"incentives.models": 4},
        "cadre_mgmt.cadres.views": {"supervision.models": 5},
    }
    assert [target for _module, _line, target in against_the_layers(graph)] == [
        "ranks.services",
        "supervision.models",
        "incentives.models",
    ]


def test_imports_flow_one_way():
    every, _ = import_graph()
    known = modules()
    offenders = [
        f"{known[module]}:{line} {module} imports {target} ({app_of(module)} → {app_of(target)})"
        for module, line, target in against_the_layers(every)
    ]
    assert not offenders, f"{len(offenders)} imports against the layers:\n" + "\n".join(offenders)


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; the components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return components


def a_cycle(graph: dict[str, dict[str, int]], component: list[str]) -> list[str]:
    """One loop through the first module of a component, shortest first (breadth-first)."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node]):
            if child == start:
                return paths[node] + [start]
            if child in members and child not in paths:
                paths[child] = paths[node] + [child]
                queue.append(child)
    return component


def test_strongly_connected_finds_a_loop():
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert a_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]


def test_no_import_cycles():
    _, runtime = import_graph()
    cycles = [" → ".join(a_cycle(runtime, component)) for component in strongly_connected(runtime)]
    assert not cycles, f"{len(cycles)} groups of modules import each other in a loop:\n" + "\n".join(cycles)
