"""The manifest ``generate`` leaves in the output: provenance and the hash of every file it wrote."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vapi_codegen import __version__
from vapi_codegen.output.safe_paths import read_regular

MANIFEST_NAME = ".vapi-codegen.json"


def sha256(data: bytes | str) -> str:
    """The hex SHA-256 of bytes, or of text encoded as UTF-8."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def tree_hash(root: Path) -> str:
    """One hash over every file below ``root`` (relative paths and contents, in sorted order)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class Manifest:
    spec_name: str
    spec_sha256: str
    templates_sha256: str
    options: dict[str, Any]
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256
    version: str = __version__
    overlays: dict[str, str] = field(default_factory=dict)  # overlay file name -> sha256, in the order applied

    def to_text(self) -> str:
        data = {
            "generator": "vapi-codegen",
            "version": self.version,
            "spec": {"name": self.spec_name, "sha256": self.spec_sha256},
            **({"overlays": [{"name": n, "sha256": s} for n, s in self.overlays.items()]} if self.overlays else {}),
            "templates_sha256": self.templates_sha256,
            "options": dict(sorted(self.options.items())),
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(data, indent=2, ensure_ascii=True) + "\n"

    @classmethod
    def read(cls, out_dir: Path) -> Manifest | None:
        """The manifest in ``out_dir``, or None when there is none (or it is unreadable, or not a regular file)."""
        try:
            raw = read_regular(out_dir / MANIFEST_NAME)
            if raw is None:
                return None
            data: Any = json.loads(raw)
            return cls(
                spec_name=str(data["spec"]["name"]),
                spec_sha256=str(data["spec"]["sha256"]),
                templates_sha256=str(data["templates_sha256"]),
                options={str(k): str(v) for k, v in data.get("options", {}).items()},
                files={str(k): str(v) for k, v in data["files"].items()},
                version=str(data.get("version", "")),
                overlays={str(o["name"]): str(o["sha256"]) for o in data.get("overlays", [])},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
