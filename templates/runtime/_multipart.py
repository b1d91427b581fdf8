"""Request bodies that are not JSON (hand-written runtime, copied verbatim by vapi-codegen).

``multipart/form-data``: each file goes with its file name and content type, each other form field
as text (a number or a boolean in JSON spelling, an object as JSON text, a list as one part per item).
A file may be given as:

- ``bytes`` (sent with the field's name as its file name, as is a file without a name),
- a binary file object (``open(path, "rb")``, ``io.BytesIO``; its ``name`` is the file name),
- a ``pathlib.Path`` (read when the call is made),
- a tuple ``(filename, content)`` or ``(filename, content, content_type)``, content being bytes or a
  binary file object.

The content type, when not given, is guessed from the file name (``application/octet-stream`` when it
tells nothing). Raw uploads (``application/octet-stream`` and other non-JSON bodies) take bytes, a
binary file object or a path.
"""

from __future__ import annotations

import io
import json
import mimetypes
from collections.abc import Callable, Collection, Iterator, Mapping
from os import PathLike, fspath
from pathlib import Path
from typing import IO, Any, Optional, Union

FileContent = Union[bytes, IO[bytes]]
FileInput = Union[
    bytes,
    IO[bytes],
    PathLike[str],
    tuple[Optional[str], FileContent],
    tuple[Optional[str], FileContent, Optional[str]],
]
"""What a file part of a multipart body accepts."""

BinaryInput = Union[bytes, IO[bytes], PathLike[str]]
"""What a raw (``application/octet-stream``...) request body accepts."""

Part = tuple[str, tuple[Optional[str], FileContent, Optional[str]]]  # (field, (file name, content, type))


def multipart_parts(fields: Mapping[str, Any], files: Collection[str], text: Callable[[Any], str]) -> list[Part]:
    """The parts of a multipart body, in the order of ``fields`` (JSON names), a list giving one part
    per item; ``files`` names the file fields, ``text`` spells every other value. None is left out."""
    parts: list[Part] = []
    for name, value in fields.items():
        if name in files or _is_file(value):
            parts.extend((name, file_part(name, item)) for item in _items(value))
        else:
            parts.extend((name, (None, text(item).encode("utf-8"), None)) for item in _items(value))
    return parts


def file_part(field: str, value: Any) -> tuple[Optional[str], FileContent, Optional[str]]:
    """(file name, content, content type) of one file."""
    content_type: Optional[str] = None
    if isinstance(value, tuple):
        if len(value) not in (2, 3):
            raise TypeError(f"{field}: a file tuple is (filename, content) or (filename, content, content_type)")
        filename, content = value[0], value[1]
        content_type = value[2] if len(value) == 3 else None
    elif isinstance(value, PathLike):
        path = Path(fspath(value))
        filename, content = path.name, path.read_bytes()
    elif isinstance(value, (bytes, bytearray, memoryview)):
        filename, content = field, bytes(value)
    elif _is_binary_file(value):
        filename, content = Path(str(getattr(value, "name", field))).name, value
    else:
        raise TypeError(f"{field}: a file is bytes, a binary file object, a path or a (filename, content[, content_type]) tuple, not {type(value).__name__}")
    filename = filename or field  # a part without a file name would be read as a text field
    if content_type is None:
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return filename, content, content_type


def binary_content(value: Any) -> bytes:
    """The bytes of a raw request body."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, PathLike):
        return Path(fspath(value)).read_bytes()
    if _is_binary_file(value):
        data = value.read()
        if isinstance(data, bytes):
            return data
    raise TypeError(f"a raw body is bytes, a binary file object or a path, not {type(value).__name__}")


def json_text(value: Any) -> str:
    """An object or a list as JSON text (for a form field holding structured data)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _items(value: Any) -> Iterator[Any]:
    """A list's items (one part each), or the value itself; None left out."""
    values = value if isinstance(value, list) else [value]
    return (item for item in values if item is not None)


def _is_file(value: Any) -> bool:
    """Whether a value of a field the spec does not declare as a file still is one."""
    first = value[0] if isinstance(value, list) and value else value
    return isinstance(first, (bytes, bytearray, PathLike)) or _is_binary_file(first)


def _is_binary_file(value: Any) -> bool:
    return callable(getattr(value, "read", None)) and not isinstance(value, io.TextIOBase)
