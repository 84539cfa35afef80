"""Reading the file of a score import; uploads are stored by `students.uploads.upload_store`."""

from __future__ import annotations

from pathlib import Path

from students.imports import ImportRefused


def file_read(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ImportRefused(
            "The uploaded file is no longer on the server. Upload it again."
        ) from None
    except IsADirectoryError:
        raise ImportRefused(f"{path} is a folder, not a file.") from None
