"""``vapi-codegen diff OLD NEW``: exit 1 when a change at or above ``--fail-on`` is found, 0 otherwise, 2 on error."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from vapi_codegen.diagnostics import SpecError, deep_recursion_refused
from vapi_codegen.loading.document import load_document
from vapi_codegen.diffing.compare import FAIL_ON, compare_documents
from vapi_codegen.diffing.report import FORMATTERS

EXIT_FOUND = 1
EXIT_ERROR = 2


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
    try:
        old_document, new_document = load_document(old), load_document(new)
        with deep_recursion_refused(f"{old_document.name} or {new_document.name}"):
            report = compare_documents(old_document, new_document)
    except SpecError as error:
        for diagnostic in error.diagnostics:
            click.echo(str(diagnostic), err=True)
        sys.exit(EXIT_ERROR)
    click.echo(FORMATTERS[output_format](report), nl=False)
    sys.exit(EXIT_FOUND if report.fails(fail_on) else 0)
