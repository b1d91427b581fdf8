"""Command line: wires the commands of ``vapi_codegen.commands`` into one ``vapi-codegen`` group.

Exit codes: 0 success, 1 drift (``check``) or findings (``diff``), 2 error (bad spec, refused write,
bad usage). Each command's module is imported only when it runs (or ``--help`` lists it).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

import click

from vapi_codegen import __version__

class LazyCommands(click.Group):
    """A group whose commands from other modules are imported only when they run (or help lists them).

    ``generate`` and ``check`` run on every spec update and commit: they need not pay for importing
    the spec differ or the mock server, nor each other.
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


@click.group(cls=LazyCommands, lazy={
        "check": ".commands.check:check",
        "diff": ".commands.diff:diff",
        "generate": ".commands.generate:generate",
        "serve": ".commands.serve:serve",
    },)
@click.version_option(__version__, prog_name="vapi-codegen")
def main() -> None:
    """Generate typed Python code (models, clients, server) from an OpenAPI document."""


if __name__ == "__main__":  # pragma: no cover
    main()
