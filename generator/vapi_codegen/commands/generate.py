"""``vapi-codegen generate``: render the package and write it into the output directory, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click

from vapi_codegen.commands.common import EXIT_ERROR, common_options, generation_for, run_command
from vapi_codegen.output.writer import plan, recover, write
from vapi_codegen.settings import resolve_settings


@click.command()
@common_options
@click.option("--force", is_flag=True, help="Overwrite generated files that were edited by hand.")
@click.option(
    "--bump-version",
    "previous_spec",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The spec the output was last generated from: raise the package version by what changed (major, minor or patch).",
)
def generate(
    spec: str | None,
    out: str | None,
    package: str | None,
    overlays: tuple[str, ...],
    strict: bool,
    quiet: bool,
    force: bool,
    previous_spec: Path | None,
) -> None:
    """Generate the package for SPEC into the output directory."""

    def action() -> int:
        settings = resolve_settings(spec, out, package, overlays=overlays)
        version = None
        if previous_spec is not None:
            from vapi_codegen.commands.bump import bumped_version  # the spec differ, only when asked for

            previous, version, bump = bumped_version(settings, previous_spec)
            if not quiet:
                click.echo(f"version {previous} -> {version} ({bump.level} change since {previous_spec.name})", err=True)
        generation = generation_for(settings, strict, quiet, version)
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

    run_command(action)
