"""Settings: command-line options over ``[tool.vapi-codegen]`` in the nearest pyproject.toml."""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from vapi_codegen.diagnostics import fail
from vapi_codegen.naming.identifiers import AttributeNames, snake_case


_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class EnvironmentSettings:
    """Which environment variables the generated clients read for what they are not passed:
    ``prefix`` names every one ``<prefix>_<KEYWORD>`` (``VAPI_API_KEY``, ``VAPI_BASE_URL``), ``names``
    maps a constructor keyword (``base_url`` or a credential's) to its own variable. Nothing is read
    when both are empty."""

    prefix: str | None = None
    names: tuple[tuple[str, str], ...] = ()

    def manifest_options(self) -> dict[str, object]:
        """What the manifest records of them (nothing when unset, so older manifests stay valid)."""
        options: dict[str, object] = {}
        if self.prefix:
            options["env_prefix"] = self.prefix
        if self.names:
            options["env"] = dict(self.names)
        return options


def environment_settings(table: dict[str, Any]) -> EnvironmentSettings:
    """``env_prefix`` and the ``env`` table of ``[tool.vapi-codegen]``, checked."""
    prefix = table.get("env_prefix")
    names = table.get("env", {})
    if prefix is not None and (not isinstance(prefix, str) or not _VARIABLE.match(prefix)):
        raise fail("pyproject.toml", "", "[tool.vapi-codegen] env_prefix must be an environment variable name such as \"VAPI\"")
    if not isinstance(names, dict) or not all(isinstance(v, str) and _VARIABLE.match(v) for v in names.values()):
        raise fail("pyproject.toml", "", "[tool.vapi-codegen.env] must map constructor keywords to environment variable names")
    return EnvironmentSettings(prefix, tuple(sorted((str(k), v) for k, v in names.items())))


@dataclass(frozen=True)
class Settings:
    spec: Path
    out: Path
    package: str
    overlays: tuple[Path, ...] = ()  # applied in order before anything reads the spec
    environment: EnvironmentSettings = EnvironmentSettings()
    attribute_names: AttributeNames = AttributeNames.PYTHON  # snake_case attributes, or the spec's names


def _project_table(start: Path) -> tuple[dict[str, Any], Path] | None:
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise fail(str(candidate), "", f"cannot read pyproject.toml: {exc}") from None
            table = data.get("tool", {}).get("vapi-codegen")
            return (table, directory) if isinstance(table, dict) else None
    return None


def resolve_settings(
    spec: str | None, out: str | None, package: str | None, cwd: Path | None = None, overlays: tuple[str, ...] = ()
) -> Settings:
    """Fill in what the command line left out from the project's pyproject, then from the spec name.

    The project's ``overlays`` (and environment variable settings) belong to its ``spec``: they
    apply when no SPEC is given, the overlays before the command line's ``--overlay`` files.
    """
    cwd = cwd or Path.cwd()
    found = _project_table(cwd)
    table, root = found if found else ({}, cwd)
    if spec is None and "spec" not in table:
        raise fail("pyproject.toml", "", "no SPEC given and no [tool.vapi-codegen] spec setting found")
    spec_path = Path(spec) if spec is not None else root / str(table["spec"])
    out_path = Path(out) if out is not None else root / str(table.get("out", "generated"))
    package_name = package or (str(table["package"]) if "package" in table and spec is None else default_package(spec_path))
    problem = package_name_problem(package_name)
    if problem:
        raise fail(str(spec_path), "", f"package name {package_name!r} {problem}")
    configured = table.get("overlays", []) if spec is None else []
    if not isinstance(configured, list) or not all(isinstance(item, str) for item in configured):
        raise fail("pyproject.toml", "", "[tool.vapi-codegen] overlays must be a list of file paths")
    overlay_paths = tuple(root / item for item in configured) + tuple(Path(item) for item in overlays)
    return Settings(
        spec=spec_path,
        out=out_path,
        package=package_name,
        overlays=overlay_paths,
        environment=environment_settings(table if spec is None else {}),
        attribute_names=attribute_names(table),
    )


def attribute_names(table: dict[str, Any]) -> AttributeNames:
    """The ``attribute_names`` setting: ``"python"`` (the default) or ``"spec"``."""
    value = table.get("attribute_names", AttributeNames.PYTHON.value)
    if value not in {style.value for style in AttributeNames}:
        choices = ", ".join(repr(style.value) for style in AttributeNames)
        raise fail("pyproject.toml", "", f"[tool.vapi-codegen] attribute_names must be one of {choices}, not {value!r}")
    return AttributeNames(value)


def project_attribute_names(cwd: Path | None = None) -> AttributeNames:
    """The ``attribute_names`` setting of the nearest project (for commands without other settings)."""
    found = _project_table(cwd or Path.cwd())
    return attribute_names(found[0] if found else {})


def default_package(spec: Path) -> str:
    """``vapi-phone-numbers-api-openapi.yml`` -> ``vapi_phone_numbers``; ``json.yaml`` -> ``json_api``
    (a name ``package_name_problem`` refuses gets ``_api``)."""
    stem = spec.name.split(".")[0]
    for suffix in ("-openapi", "-api", "_openapi", "_api", ".openapi"):
        stem = stem.removesuffix(suffix)
    stem = stem.removesuffix("-api").removesuffix("_api")
    name = snake_case(stem) if stem.isascii() else ""
    name = name or "api"
    name = name if not name[0].isdigit() else "api_" + name
    return name if package_name_problem(name) is None else name + "_api"


# What the emitted package imports, beside the standard library: a package of that name would hide it.
_DEPENDENCIES = frozenset(
    {"pydantic", "pydantic_core", "annotated_types", "typing_extensions", "typing_inspection", "httpx", "httpcore", "h11",
     "anyio", "sniffio", "idna", "certifi", "fastapi", "starlette", "uvicorn", "multipart", "python_multipart"}
)
_ASCII_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def package_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be the emitted package's name, None when it can."""
    if not _ASCII_IDENTIFIER.match(name):
        return "is not a Python identifier of ASCII letters, digits and _"
    if keyword.iskeyword(name):
        return "is a Python keyword: `import` could not name it"
    if name in sys.stdlib_module_names or name in _DEPENDENCIES:
        return "is the name of a module the generated code imports (or may): the package would hide it; choose another with --package"
    return None
