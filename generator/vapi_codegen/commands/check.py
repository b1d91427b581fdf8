"""``vapi-codegen check``: exit 1 when the output directory has drifted from what the spec generates."""

from __future__ import annotations

import json

import click

from vapi_codegen.commands.common import EXIT_DRIFT, common_options, generation_for, run_command
from vapi_codegen.output.check_report import file_diffs, json_report, text_report
from vapi_codegen.output.writer import plan
from vapi_codegen.settings import resolve_settings


@click.command()
@common_options
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(
    spec: str | None,
    out: str | None,
    package: str | None,
    overlays: tuple[str, ...],
    strict: bool,
    quiet: bool,
    output_format: str,
) -> None:
    """Exit 1 when the output directory differs from what SPEC generates (0 when identical)."""

    def action() -> int:
        settings = resolve_settings(spec, out, package, overlays=overlays)
        generation = generation_for(settings, strict, quiet=True if output_format == "json" else quiet)
        current = plan(settings.out, generation.files, settings.package)
        diffs = file_diffs(settings.out, current, generation.files)
        if output_format == "json":
            click.echo(json.dumps(json_report(current, diffs), indent=2))
        else:
            body, summary = text_report(settings.out, current, diffs)
            if body:
                click.echo(body, nl=False)
            click.echo(summary, err=not current.clean)
        return 0 if current.clean else EXIT_DRIFT

    run_command(action)
