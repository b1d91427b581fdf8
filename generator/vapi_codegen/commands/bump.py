"""``generate --bump-version OLD_SPEC``: the package version, raised by what changed since the old spec.

The previous version is the one the output's ``pyproject.toml`` declares (the last one written), else
the one the template writes for the new spec (its ``info.version`` when that is a release number, else
0.0.0); the level is ``diff --semver``'s (``diffing/semver.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from vapi_codegen.diffing.compare import compare_documents
from vapi_codegen.diffing.semver import Bump, bump_for, next_version
from vapi_codegen.loading.overlay import load_with_overlays
from vapi_codegen.output.safe_paths import read_regular
from vapi_codegen.rendering.render import package_version
from vapi_codegen.settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def bumped_version(settings: Settings, previous_spec: Path) -> tuple[str, str, Bump]:
    """(previous version, next version, the bump and its reasons) for generating ``settings.spec``."""
    before, _, _ = load_with_overlays(previous_spec, settings.overlays)
    after, _, _ = load_with_overlays(settings.spec, settings.overlays)
    bump = bump_for(compare_documents(before, after))
    info = after.data.get("info")
    previous = written_version(settings.out) or package_version(str(info.get("version", "")) if isinstance(info, dict) else "")
    return previous, next_version(previous, bump.level), bump


def written_version(out: Path) -> str | None:
    """The ``[project] version`` of the output's ``pyproject.toml``; None without one (or unreadable)."""
    try:
        raw = read_regular(out / "pyproject.toml")
        project = tomllib.loads(raw.decode("utf-8")).get("project", {}) if raw is not None else {}
    except (OSError, ValueError):
        return None
    version = project.get("version") if isinstance(project, dict) else None
    return version if isinstance(version, str) else None
