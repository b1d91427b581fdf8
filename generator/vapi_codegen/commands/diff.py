"""``vapi-codegen diff OLD NEW``: exit 1 when a change at or above ``--fail-on`` is found, 0 otherwise, 2 on error."""

from __future__ import annotations

from pathlib import Path

import click

from vapi_codegen.commands.common import run_command
from vapi_codegen.loading.document import load_document
from vapi_codegen.diffing.compare import FAIL_ON, compare_documents
from vapi_codegen.diffing.report import FORMATTERS

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
    help="Exit 1 when a change of this severity or worse is found.",
)
def diff(old: Path, new: Path, output_format: str, fail_on: str) -> None:
    """Compare two versions of a spec: what changed on the wire and in the generated package, and what breaks."""

    def action() -> int:
        report = compare_documents(load_document(old), load_document(new))
        click.echo(FORMATTERS[output_format](report), nl=False)
        return EXIT_FOUND if report.fails(fail_on) else 0

    run_command(action)
