"""The README's Layout section names every module of the tool and nothing that is not there."""

from __future__ import annotations

import re

from ..conftest import ROOT

PACKAGE = ROOT / "generator" / "vapi_codegen"


def _layout_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return section.split("```text", 1)[1].split("```", 1)[0]


def _named_in_layout() -> set[str]:
    """Paths below generator/vapi_codegen/ the tree names: folders end with /, modules with .py."""
    named: set[str] = set()
    stack: list[tuple[int, str]] = []
    for line in _layout_block().strip("\n").splitlines()[1:]:  # below the generator/vapi_codegen/ line
        match = re.match(r"( *)(\S+)", line)
        if not match or line.startswith(" " * 26):
            continue
        indent, name = len(match.group(1)), match.group(2)
        if indent == 0:
            break  # the tool's tree ends where the repository's top-level folders begin
        stack = [(i, n) for i, n in stack if i < indent]
        path = "".join(n for _, n in stack) + name
        named.add(path)
        if name.endswith("/"):
            stack.append((indent, name))
    return named


def _modules() -> set[str]:
    files = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if p.name not in ("__init__.py", "__main__.py")}
    return files | {p.relative_to(PACKAGE).as_posix() + "/" for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__"}


def _mentioned(path: str, named: set[str], block: str) -> bool:
    """A module is named on its own line, or in its folder's one-line list (``views/``, ``commands/``)."""
    if path in named:
        return True
    folder, _, module = path.rpartition("/")
    return f"{folder}/" in named and re.search(rf"\b{re.escape(module.removesuffix('.py'))}\b", block) is not None


def test_every_module_is_in_the_layout() -> None:
    named, block = _named_in_layout(), _layout_block()
    assert sorted(m for m in _modules() if not _mentioned(m, named, block)) == []


def test_everything_in_the_layout_exists() -> None:
    assert sorted(path for path in _named_in_layout() if not (PACKAGE / path).exists()) == []
