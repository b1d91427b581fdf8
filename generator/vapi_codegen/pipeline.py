"""The three stages end to end: load -> intermediate model -> rendered files (nothing written)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vapi_codegen.collector import collector_paused
from vapi_codegen.diagnostics import Diagnostic, Diagnostics, deep_recursion_refused
from vapi_codegen.model import ir
from vapi_codegen.loading.document import validate_document
from vapi_codegen.loading.overlay import load_with_overlays
from vapi_codegen.output.manifest import MANIFEST_NAME, Manifest, sha256, tree_hash
from vapi_codegen.model.build import build_api
from vapi_codegen.naming.assign import name_environment_variables
from vapi_codegen.settings import EnvironmentSettings
from vapi_codegen.naming.identifiers import AttributeNames
from vapi_codegen.rendering.render import TEMPLATES_DIR, Options, render_sources


@dataclass
class Generation:
    files: dict[str, str]  # relative path -> text, manifest included
    warnings: list[Diagnostic]


def generate_files(
    spec: Path,
    package: str,
    strict: bool = False,
    overlays: Sequence[Path] = (),
    version: str | None = None,
    environment: EnvironmentSettings | None = None,
    attribute_names: AttributeNames = AttributeNames.PYTHON,
) -> Generation:
    """Render the package for ``spec`` (with ``overlays`` applied, the clients reading the environment
    variables ``environment`` names); raises SpecError on errors (or on warnings when strict).

    ``version``: the package version to write (and record in the manifest); None for the spec's own.
    ``attribute_names``: how model attributes are named (snake_case, or as the spec spells them).
    """
    with collector_paused():
        return _generate_files(spec, package, strict, overlays, version, environment or EnvironmentSettings(), attribute_names)


def _generate_files(
    spec: Path,
    package: str,
    strict: bool,
    overlays: Sequence[Path],
    version: str | None,
    environment: EnvironmentSettings,
    attribute_names: AttributeNames,
) -> Generation:
    document, applied, overlay_warnings = load_with_overlays(spec, overlays)
    diagnostics = Diagnostics(document.name)
    diagnostics.items.extend(overlay_warnings)
    validate_document(document, diagnostics)
    with deep_recursion_refused(document.name):
        api = build_api(document, diagnostics, attribute_names=attribute_names)
        _name_environment_variables(api, environment, diagnostics)
        diagnostics.raise_if_errors(strict)
        options = Options(package=package, distribution=package.replace("_", "-"), version=version)
        rendered = render_sources(api, options)
    spec_name, spec_sha256 = document.name, sha256(document.raw)
    overlay_hashes = {overlay.name: sha256(overlay.raw) for overlay in applied}
    # The formatter of the biggest APIs' code (Microsoft Graph's) takes most of a gigabyte: give it
    # the memory the parsed document and the model held.
    del document, applied, api
    files = rendered.formatted()
    manifest = Manifest(
        spec_name=spec_name,
        spec_sha256=spec_sha256,
        templates_sha256=tree_hash(TEMPLATES_DIR),
        options={
            "package": package,
            **({"version": version} if version else {}),
            **environment.manifest_options(),
            "attribute_names": attribute_names.value,
        },
        files={path: sha256(text) for path, text in files.items()},
        overlays=overlay_hashes,
    )
    files[MANIFEST_NAME] = manifest.to_text()
    return Generation(files=dict(sorted(files.items())), warnings=diagnostics.warnings)


def _name_environment_variables(api: ir.Api, environment: EnvironmentSettings, diagnostics: Diagnostics) -> None:
    """Apply the environment variable settings; a name for a keyword the clients do not take is an error."""
    keywords = {"base_url"} | {c.name for scheme in api.security_schemes for c in scheme.credentials}
    for keyword, _ in environment.names:
        if keyword not in keywords:
            diagnostics.error("", f"[tool.vapi-codegen.env] names {keyword!r}, which is no client keyword (one of: {', '.join(sorted(keywords))})")
    name_environment_variables(api, environment.prefix, dict(environment.names))
