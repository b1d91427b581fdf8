"""The import lines of a generated module, from the names its code uses (all views share this)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vapi_codegen.rendering.pycode import PyCode

# Every name a generated module may import, by the module it comes from ("base": the ``_base`` runtime).
_SOURCES = {
    "abc": ("AsyncIterator", "Iterator", "Mapping"),
    "datetime": ("date", "datetime", "time"),
    "typing": ("TYPE_CHECKING", "Annotated", "Any", "ClassVar", "Dict", "List", "Literal", "Optional", "Protocol", "Union"),
    "typing_extensions": ("Required", "TypeAliasType", "TypedDict"),
    "pydantic": ("ConfigDict", "Field", "RootModel"),
    "base": ("ApiEnum", "ApiIntEnum", "ApiModel", "Bounded", "ItemCount", "OpenUnion", "UnknownVariant", "open_union"),
}


@dataclass(frozen=True)
class Imports:
    """The names a module imports, per source module in sorted order; ``re`` when it compiles patterns."""

    re: bool
    abc: list[PyCode]
    datetime: list[PyCode]
    typing: list[PyCode]
    typing_extensions: list[PyCode]
    pydantic: list[PyCode]
    base: list[PyCode]


def module_imports(used: Iterable[str]) -> Imports:
    """The imports for the names an annotator (plus the module itself) used."""
    used = set(used)

    def pick(source: str) -> list[PyCode]:
        return [PyCode(name) for name in _SOURCES[source] if name in used]

    return Imports(
        re="re" in used,
        abc=pick("abc"),
        datetime=pick("datetime"),
        typing=pick("typing"),
        typing_extensions=pick("typing_extensions"),
        pydantic=pick("pydantic"),
        base=pick("base"),
    )
