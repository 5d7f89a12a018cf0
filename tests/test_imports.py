"""The modules of app/ import each other without a cycle (imports inside functions and under
TYPE_CHECKING count: hiding an import there does not remove the cycle), and stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

APP = Path(__file__).resolve().parent.parent / "app"
MAX_LINES = 700


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path) -> nx.DiGraph:
    modules = {_module_name(p): p for p in root.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                # `from app.model import operations` imports the module app.model.operations.
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and modules[target].name != "__init__.py":
                    graph.add_edge(name, target)
    return graph


def test_app_imports_form_no_cycle():
    graph = import_graph(APP)
    assert graph.number_of_edges() > 30  # the graph was really read
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == []


def test_the_check_sees_a_cycle_hidden_in_a_function(tmp_path):
    pkg = tmp_path / "app"
    (pkg / "model").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "model" / "__init__.py").write_text("")
    (pkg / "model" / "a.py").write_text("from app.model.b import x\n")
    (pkg / "model" / "b.py").write_text("def f():\n    from app.model import a\n")
    (pkg / "model" / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import d\n")
    (pkg / "model" / "d.py").write_text("from .c import y\n")
    global APP
    saved, APP = APP, pkg
    try:
        graph = import_graph(pkg)
    finally:
        APP = saved
    assert sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1) == [
        ["app.model.a", "app.model.b"], ["app.model.c", "app.model.d"]]


def test_no_module_is_over_700_lines():
    long = {p.relative_to(APP.parent).as_posix(): n for p in APP.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
