"""Command line: builds settings, calls the pipeline, maps outcomes to exit codes.

Exit codes: 0 success, 1 drift (``check``), 2 error (bad spec, refused write, bad usage).
"""

from __future__ import annotations

import json
import sys
from importlib import import_module
from pathlib import Path
from typing import Any, Callable

import click

from vapi_codegen import __version__
from vapi_codegen.settings import Settings, resolve_settings
from vapi_codegen.diagnostics import Diagnostic, SpecError
from vapi_codegen.rendering.formatting import FormattingError
from vapi_codegen.pipeline import Generation, generate_files
from vapi_codegen.output.safe_paths import read_regular
from vapi_codegen.output.writer import Plan, plan, recover, write

EXIT_DRIFT = 1
EXIT_ERROR = 2


def _report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)


def _run(action: Callable[[], int]) -> None:
    """Run a command body; spec problems become one line each and exit status 2, never a traceback."""
    try:
        code = action()
    except SpecError as error:
        _report(error.diagnostics)
        code = EXIT_ERROR
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        click.echo(f"{where}error: {error.strerror or error}", err=True)
        code = EXIT_ERROR
    except FormattingError as error:  # e.g. the pinned formatter is missing
        click.echo(f"error: {error}", err=True)
        code = EXIT_ERROR
    sys.exit(code)


def _generation(settings: Settings, strict: bool, quiet: bool) -> Generation:
    generation = generate_files(settings.spec, settings.package, strict=strict)
    if not quiet:
        _report(generation.warnings)
    return generation


_common = [
    click.argument("spec", required=False),
    click.option("--out", "out", help="Output project directory (default: [tool.vapi-codegen] out, else ./generated)."),
    click.option("--package", "package", help="Python package name (default: from the spec file name)."),
    click.option("--strict", is_flag=True, help="Treat warnings as errors."),
    click.option("--quiet", "-q", is_flag=True, help="Do not print warnings."),
]


def common_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The SPEC argument and the options ``generate`` and ``check`` share."""
    for decorator in reversed(_common):
        function = decorator(function)
    return function


class LazyCommands(click.Group):
    """A group whose commands from other modules are imported only when they run (or help lists them).

    ``generate`` and ``check`` run on every spec update and commit: they need not pay for importing
    the spec differ or the mock server.
    """

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy  # command name -> "module:attribute", the module relative to this package

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = self.lazy[cmd_name].partition(":")
        command: click.Command = getattr(import_module(module, __package__), attribute)
        return command


@click.group(cls=LazyCommands, lazy={"diff": ".commands.diff:diff", "serve": ".commands.serve:serve"})
@click.version_option(__version__, prog_name="vapi-codegen")
def main() -> None:
    """Generate typed Python code (models, clients, server) from an OpenAPI document."""


@main.command()
@common_options
@click.option("--force", is_flag=True, help="Overwrite generated files that were edited by hand.")
def generate(spec: str | None, out: str | None, package: str | None, strict: bool, quiet: bool, force: bool) -> None:
    """Generate the package for SPEC into the output directory."""

    def action() -> int:
        settings = resolve_settings(spec, out, package)
        generation = _generation(settings, strict, quiet)
        current = plan(settings.out, generation.files, settings.package)
        if current.leftover:  # an earlier run was cut short: finish it, then look again
            recover(settings.out, generation.files)
            current = plan(settings.out, generation.files, settings.package)
        if current.blocked and not force:
            for relative in current.blocked:
                click.echo(f"{settings.out / relative}: error: edited by hand or not written by vapi-codegen; use --force to overwrite", err=True)
            return EXIT_ERROR
        write(settings.out, generation.files, stale=current.extra)
        if not quiet:
            count = len(current.changed) + len(current.missing) + len(current.extra)
            click.echo(f"{settings.out}: {count} file(s) updated, {len(generation.files)} generated", err=True)
        return 0

    _run(action)


@main.command()
@common_options
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(spec: str | None, out: str | None, package: str | None, strict: bool, quiet: bool, output_format: str) -> None:
    """Exit 1 when the output directory differs from what SPEC generates (0 when identical)."""

    def action() -> int:
        settings = resolve_settings(spec, out, package)
        generation = _generation(settings, strict, quiet=True if output_format == "json" else quiet)
        current = plan(settings.out, generation.files, settings.package)
        diffs = {relative: _diff(settings.out, relative, generation.files[relative]) for relative in current.changed + current.hand_edited if relative in generation.files}
        if output_format == "json":
            click.echo(json.dumps(_json_report(current, diffs), indent=2))
        else:
            _text_report(settings.out, current, diffs)
        return 0 if current.clean else EXIT_DRIFT

    _run(action)


def _diff(out_dir: Path, relative: str, expected: str) -> str:
    try:
        actual = (read_regular(out_dir / relative) or b"").decode("utf-8")
    except (OSError, UnicodeDecodeError):
        actual = ""
    import difflib  # only when there is drift to show: it costs ~10 ms of start-up

    lines = difflib.unified_diff(
        actual.splitlines(keepends=True), expected.splitlines(keepends=True), f"a/{relative}", f"b/{relative}"
    )
    return "".join(lines)


def _json_report(current: Plan, diffs: dict[str, str]) -> dict[str, Any]:
    return {
        "clean": current.clean,
        "changed": current.drifted,
        "missing": current.missing,
        "extra": current.extra,
        "hand_edited": current.hand_edited,
        "leftover": current.leftover,
        "diffs": diffs,
    }


def _text_report(out_dir: Path, current: Plan, diffs: dict[str, str]) -> None:
    if current.clean:
        click.echo(f"{out_dir}: up to date")
        return
    for diff in diffs.values():
        click.echo(diff, nl=not diff.endswith("\n"))
    for title, items in (
        ("changed", current.drifted),
        ("missing", current.missing),
        ("extra", current.extra),
        ("edited by hand", current.hand_edited),
        ("leftover", current.leftover),
    ):
        for relative in items:
            click.echo(f"{title}: {out_dir / relative}")
    click.echo(f"{out_dir}: out of date; run `vapi-codegen generate`", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
