"""Where uploaded score files wait between upload, preview and the import job.

Files sit under MEDIA_ROOT/imports/scores/ named by a random token; the token is the only
thing the browser ever sees (never a path), and it is checked to be a token before use.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from django.conf import settings

from students.imports import ImportRefused

_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports" / "scores"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def is_token(token: str) -> bool:
    return bool(_TOKEN.match(token or ""))


def upload_save(data: bytes) -> str:
    """Store the bytes; returns the token that names them."""
    token = secrets.token_hex(16)
    (upload_dir() / f"{token}.csv").write_bytes(data)
    return token


def upload_path(token: str) -> Path:
    if not is_token(token):
        raise ImportRefused("This upload is not known. Upload the file again.")
    return upload_dir() / f"{token}.csv"


def file_read(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ImportRefused(
            "The uploaded file is no longer on the server. Upload it again."
        ) from None
    except IsADirectoryError:
        raise ImportRefused(f"{path} is a folder, not a file.") from None
