"""Which service functions write, found by reading the code (AST), not by a hand-kept list.

A *writer* is a public module-level function in ``tracker/services/**`` that takes an ``actor``
(the caller whose role the service checks) and can reach a write: a call of ``.write(`` or
``.transaction(`` on its ``Database`` parameter, directly or through any function of
``tracker.services`` or ``tracker.store`` it calls (same module or imported, followed to any
depth). Reads (``db.read``) and file writers (``spreadsheet.write``) are not writes.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("tracker/services", "tracker/store")
ROLES = ("VIEWER", "EDITOR", "ADMIN")  # lowest to highest


@dataclass(frozen=True)
class Writer:
    module: str  # e.g. "tracker.services.issues"
    name: str
    checked_role: str | None  # the highest Role.X the function itself passes to require_role

    @property
    def key(self) -> str:
        """``issues.create``: the module below tracker.services, then the function."""
        return f"{self.module.removeprefix('tracker.services.')}.{self.name}"


@dataclass
class _Module:
    name: str
    tree: ast.Module
    functions: dict[str, ast.FunctionDef]
    bindings: dict[str, tuple[str, str | None]]  # local name -> (module, None) or (module, symbol)


def _module_name(rel: Path) -> str:
    return ".".join(rel.with_suffix("").parts).removesuffix(".__init__")


@functools.cache
def _load(root: Path) -> dict[str, _Module]:
    modules: dict[str, _Module] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root)
            tree = ast.parse(path.read_text(encoding="utf-8"), str(rel))
            name = _module_name(rel)
            functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
            modules[name] = _Module(name, tree, functions, {})
    for mod in modules.values():
        is_package = any(m.startswith(mod.name + ".") for m in modules)
        package = mod.name if is_package else mod.name.rpartition(".")[0]
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        mod.bindings[alias.asname] = (alias.name, None)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:
                    local = alias.asname or alias.name
                    full = f"{source}.{alias.name}"
                    mod.bindings[local] = (full, None) if full in modules else (source, alias.name)
    return modules


def _resolve(modules: dict[str, _Module], module: str, symbol: str, depth: int = 0) -> tuple[str, str] | None:
    """The (module, function) a name stands for, following re-exports in ``__init__`` files."""
    mod = modules.get(module)
    if mod is None or depth > 5:
        return None
    if symbol in mod.functions:
        return module, symbol
    bound = mod.bindings.get(symbol)
    if bound and bound[1] is not None:
        return _resolve(modules, bound[0], bound[1], depth + 1)
    return None


def _database_params(fn: ast.FunctionDef) -> set[str]:
    args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
    return {
        a.arg for a in args if a.arg == "db" or (a.annotation is not None and "Database" in ast.unparse(a.annotation))
    }


def _calls(modules: dict[str, _Module], mod: _Module, fn: ast.FunctionDef) -> Iterator[tuple[str, str] | str]:
    """Functions ``fn`` calls (as (module, name)), and "write" for each write on its database."""
    dbs = _database_params(fn)
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name):
            if f.id in mod.functions:
                yield mod.name, f.id
            elif (bound := mod.bindings.get(f.id)) and bound[1] is not None:
                if target := _resolve(modules, bound[0], bound[1]):
                    yield target
        elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            receiver = f.value.id
            if receiver in dbs and f.attr in ("write", "transaction"):
                yield "write"
            elif (bound := mod.bindings.get(receiver)) and bound[1] is None:
                if target := _resolve(modules, bound[0], f.attr):
                    yield target


def _checked_role(fn: ast.FunctionDef) -> str | None:
    found = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and len(node.args) >= 2:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            role = node.args[1]
            if name == "require_role" and isinstance(role, ast.Attribute) and role.attr in ROLES:
                found.add(role.attr)
    return max(found, key=ROLES.index) if found else None


def writers(root: Path = ROOT) -> list[Writer]:
    modules = _load(root)
    edges = {(m.name, n): list(_calls(modules, m, fn)) for m in modules.values() for n, fn in m.functions.items()}
    writes = {key for key, calls in edges.items() if "write" in calls}
    grown = True
    while grown:
        before = len(writes)
        writes |= {key for key, calls in edges.items() if any(c in writes for c in calls)}
        grown = len(writes) > before
    out = []
    for module, name in sorted(writes):
        fn = modules[module].functions[name]
        params = {a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
        if module.startswith("tracker.services") and not name.startswith("_") and "actor" in params:
            out.append(Writer(module, name, _checked_role(fn)))
    return out


def callers_not_named_actor(root: Path = ROOT) -> list[str]:
    """Public service functions taking a ``User`` under another name than ``actor``."""
    out = []
    for mod in _load(root).values():
        if not mod.name.startswith("tracker.services"):
            continue
        for name, fn in mod.functions.items():
            args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
            if not name.startswith("_") and any(
                a.arg != "actor" and a.annotation is not None and "User" in ast.unparse(a.annotation).split(" | ")
                for a in args
            ):
                out.append(f"{mod.name.removeprefix('tracker.services.')}.{name}")
    return sorted(out)
