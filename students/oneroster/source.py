"""Open a OneRoster file set: a zip archive or a folder of CSV files.

A zip is read in memory, never extracted to disk, and it is checked as a whole before a
single byte is read: one member whose path would land outside the target folder (zip slip:
`../`, an absolute path, a drive letter, a symbolic link) refuses the whole archive, as does
an archive that would unpack to more than IMPORT_MAX_UNPACKED_BYTES (a zip bomb).
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings

from students.imports import ImportRefused


@dataclass
class FileSet:
    """The CSV files of one set, by lower-cased file name ("users.csv")."""

    origin: str
    files: dict[str, bytes] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # lower-cased -> as written
    ignored: list[str] = field(default_factory=list)  # members that are not CSV files

    def get(self, name: str) -> bytes | None:
        return self.files.get(name.lower())

    def display_name(self, name: str) -> str:
        return self.names.get(name.lower(), name)

    def fingerprint(self) -> str:
        """SHA-256 over names and contents: the same set gives the same value."""
        digest = hashlib.sha256()
        for key in sorted(self.files):
            digest.update(key.encode())
            digest.update(b"\0")
            digest.update(hashlib.sha256(self.files[key]).digest())
        return digest.hexdigest()


def open_file_set(path: str | Path) -> FileSet:
    path = Path(path)
    if path.is_dir():
        return _read_folder(path)
    if not path.exists():
        raise ImportRefused(f"There is no file or folder at {path}.")
    if path.suffix.lower() == ".csv":
        raise ImportRefused(
            f"{path.name} is a single CSV file. A OneRoster set is several files with a "
            "manifest.csv: upload them together as one zip file."
        )
    return _read_zip(path)


def _read_folder(folder: Path) -> FileSet:
    file_set = FileSet(origin=str(folder))
    for item in sorted(folder.iterdir()):
        if item.is_file() and item.suffix.lower() == ".csv":
            file_set.files[item.name.lower()] = item.read_bytes()
            file_set.names[item.name.lower()] = item.name
        elif not item.name.startswith("."):
            file_set.ignored.append(item.name)
    return file_set


def unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """Why this member would be written outside the target folder, or None if it is safe."""
    name = info.filename
    if "\0" in name:
        return "has a NUL character in its name"
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        return "has an absolute path"
    if ".." in PurePosixPath(posix).parts:
        return "points outside the folder it would unpack to"
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        return "is a symbolic link"
    return None


# A OneRoster CSV compresses about 5-20 to 1; a zip bomb, thousands to 1. Each member is
# checked on its declared sizes before reading, and read in chunks that stop at the declared
# size, so a member that lies about its size cannot fill the memory either.
MAX_COMPRESSION_RATIO = 200
MAX_MEMBER_BYTES = 512 * 1024**2
_RATIO_FLOOR = 1024**2  # tiny members may compress as well as they like


def member_too_big(info: zipfile.ZipInfo) -> str | None:
    limit = min(MAX_MEMBER_BYTES, settings.IMPORT_MAX_UNPACKED_BYTES)
    if info.file_size > limit:
        return f"would unpack to {info.file_size:,} bytes, more than the {limit:,} allowed per file"
    if info.file_size > _RATIO_FLOOR and info.file_size > MAX_COMPRESSION_RATIO * max(
        info.compress_size, 1
    ):
        return (
            f"is compressed {info.file_size // max(info.compress_size, 1):,} to 1, more than "
            f"the {MAX_COMPRESSION_RATIO} to 1 a CSV export has (a zip bomb?)"
        )
    return None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    chunks, total = [], 0
    with archive.open(info) as member:
        while chunk := member.read(1024**2):
            total += len(chunk)
            if total > info.file_size:
                raise OSError("the member is larger than the archive says")
            chunks.append(chunk)
    return b"".join(chunks)


def _read_zip(path: Path) -> FileSet:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRefused(
            f"{path.name} is not a zip file that can be opened ({exc}). Upload the OneRoster "
            "export as the .zip file your student information system produced."
        ) from None
    with archive:
        members = archive.infolist()
        # Check every member before reading any: one bad path refuses the whole archive.
        for info in members:
            problem = unsafe_member(info)
            if problem:
                raise ImportRefused(
                    f"{path.name} was refused: the member '{info.filename}' {problem}. "
                    "Nothing was extracted. Ask the sender for a clean export."
                )
            if info.flag_bits & 0x1:
                raise ImportRefused(
                    f"{path.name} is password-protected ('{info.filename}'); upload it unencrypted."
                )
        for info in members:
            problem = member_too_big(info)
            if problem:
                raise ImportRefused(f"{path.name} was refused: '{info.filename}' {problem}.")
        limit = settings.IMPORT_MAX_UNPACKED_BYTES
        unpacked = sum(info.file_size for info in members)
        if unpacked > limit:
            raise ImportRefused(
                f"{path.name} would unpack to {unpacked:,} bytes, more than the "
                f"{limit:,} allowed. Split the export or ask your administrator to raise "
                "IMPORT_MAX_UNPACKED_BYTES."
            )
        csv_members = [
            info
            for info in members
            if not info.is_dir()
            and info.filename.lower().endswith(".csv")
            and not info.filename.startswith("__MACOSX/")
            and not PurePosixPath(info.filename).name.startswith("._")
        ]
        folder = _set_folder(path.name, csv_members)
        file_set = FileSet(origin=path.name)
        for info in members:
            if info in csv_members and str(PurePosixPath(info.filename).parent) == folder:
                name = PurePosixPath(info.filename).name
                try:
                    data = _read_member(archive, info)
                except (zipfile.BadZipFile, OSError, EOFError) as exc:
                    raise ImportRefused(
                        f"{path.name} is damaged: {info.filename} cannot be read ({exc})."
                    ) from None
                file_set.files[name.lower()] = data
                file_set.names[name.lower()] = name
            elif not info.is_dir():
                file_set.ignored.append(info.filename)
        return file_set


def _set_folder(zip_name: str, csv_members: list[zipfile.ZipInfo]) -> str:
    """The folder inside the zip that holds the set: where manifest.csv is (often the root,
    sometimes one folder down when the export was zipped with its folder)."""
    manifests = [
        str(PurePosixPath(i.filename).parent)
        for i in csv_members
        if PurePosixPath(i.filename).name.lower() == "manifest.csv"
    ]
    if len(manifests) > 1:
        raise ImportRefused(
            f"{zip_name} holds {len(manifests)} manifest.csv files ({', '.join(manifests)}); "
            "upload one OneRoster set per zip."
        )
    if manifests:
        return manifests[0]
    folders = {str(PurePosixPath(i.filename).parent) for i in csv_members}
    return folders.pop() if len(folders) == 1 else "."
