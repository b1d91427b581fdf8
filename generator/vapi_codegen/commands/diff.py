"""``vapi-codegen diff OLD NEW``: exit 1 when a wire change (with ``--surface``, also a change to the generated
package's names) at or above ``--fail-on`` is found, 0 otherwise, 2 on error."""

from __future__ import annotations

from pathlib import Path

import click

from vapi_codegen.commands.common import report_diagnostics, run_command
from vapi_codegen.collector import collector_paused
from vapi_codegen.loading.overlay import load_with_overlays
from vapi_codegen.diagnostics import deep_recursion_refused
from vapi_codegen.diffing.compare import FAIL_ON, compare_documents
from vapi_codegen.diffing.report import FORMATTERS
from vapi_codegen.diffing.semver import bump_for
from vapi_codegen.settings import project_attribute_names

EXIT_FOUND = 1


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(list(FORMATTERS)), default="text", show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON)),
    default="breaking",
    show_default=True,
    help="Exit 1 when a wire change of this severity or worse is found.",
)
@click.option(
    "--surface",
    is_flag=True,
    help="Let changes to the generated package's public names (classes, attributes, methods) fail the diff too.",
)
@click.option(
    "--semver", is_flag=True, help="Print the version bump the generated package needs (major, minor, patch, none) and why, instead of the report."
)
@click.option(
    "--overlay",
    "overlays",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="An Overlay 1.0 document applied to both OLD and NEW first (repeatable).",
)
def diff(old: Path, new: Path, output_format: str, fail_on: str, surface: bool, semver: bool, overlays: tuple[Path, ...]) -> None:
    """Compare two versions of a spec: what changed on the wire and in the generated package, and what breaks."""

    def action() -> int:
        with collector_paused():
            before, _, old_warnings = load_with_overlays(old, overlays)
            after, _, new_warnings = load_with_overlays(new, overlays)
            report_diagnostics(sorted(set(old_warnings + new_warnings)))
            with deep_recursion_refused(f"{before.name} or {after.name}"):
                report = compare_documents(before, after, project_attribute_names())
        click.echo(bump_for(report).to_text() if semver else FORMATTERS[output_format](report), nl=False)
        return EXIT_FOUND if report.fails(fail_on, surface) else 0

    run_command(action)
