"""What every command shares: exit codes, the error boundary, and the SPEC/--out/--package options."""

from __future__ import annotations

import sys
from typing import Any
from collections.abc import Callable

import click

from vapi_codegen.diagnostics import Diagnostic, Severity, SpecError
from vapi_codegen.output.manifest import MANIFEST_NAME, Manifest
from vapi_codegen.pipeline import Generation, generate_files
from vapi_codegen.rendering.compile_check import InvalidGeneratedCode
from vapi_codegen.rendering.formatting import FormattingError
from vapi_codegen.rendering.render import package_version
from vapi_codegen.settings import Settings

EXIT_DRIFT = 1
EXIT_ERROR = 2


def report_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Print each diagnostic as one line on stderr."""
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)


def run_command(action: Callable[[], int]) -> None:
    """Run a command body and exit with its status; bad input is one line each and status 2, never a traceback."""
    try:
        code = action()
    except SpecError as error:
        report_diagnostics(error.diagnostics)
        code = EXIT_ERROR
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        click.echo(f"{where}error: {error.strerror or error}", err=True)
        code = EXIT_ERROR
    except (FormattingError, InvalidGeneratedCode) as error:  # the pinned formatter is missing, or a generator bug
        click.echo(f"error: {error}", err=True)
        code = EXIT_ERROR
    sys.exit(code)


def generation_for(settings: Settings, strict: bool, quiet: bool, version: str | None = None) -> Generation:
    """Render the package for ``settings``, printing the spec's warnings unless ``quiet``.

    ``version``: the package version to write; None keeps the one a ``generate --bump-version`` recorded
    in the output's manifest (else the spec's own), so ``check`` and later runs agree with it.
    """
    if version is None:
        version = _recorded_version(settings, quiet)
    generation = generate_files(
        settings.spec,
        settings.package,
        strict=strict,
        overlays=settings.overlays,
        version=version,
        environment=settings.environment,
        attribute_names=settings.attribute_names,
    )
    if not quiet:
        report_diagnostics(generation.warnings)
    return generation


def _recorded_version(settings: Settings, quiet: bool) -> str | None:
    """The version the output's manifest records, when it is a release number (the manifest is
    untrusted: any other text is ignored, with a warning)."""
    recorded = Manifest.read(settings.out)
    version = recorded.options.get("version") if recorded else None
    if version is None or package_version(version) == version:
        return version
    if not quiet:
        report_diagnostics([Diagnostic(Severity.WARNING, str(settings.out / MANIFEST_NAME), "/options/version", "not a release number; ignored")])
    return None


_COMMON = [
    click.argument("spec", required=False),
    click.option("--out", "out", help="Output project directory (default: [tool.vapi-codegen] out, else ./generated)."),
    click.option("--package", "package", help="Python package name (default: from the spec file name)."),
    click.option("--overlay", "overlays", multiple=True, help="An Overlay 1.0 document to apply to SPEC first (repeatable)."),
    click.option("--strict", is_flag=True, help="Treat warnings as errors."),
    click.option("--quiet", "-q", is_flag=True, help="Do not print warnings."),
]


def common_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The SPEC argument and the options ``generate`` and ``check`` share."""
    for decorator in reversed(_COMMON):
        function = decorator(function)
    return function
