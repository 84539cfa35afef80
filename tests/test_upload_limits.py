"""Uploads are refused on their shape before any parsing: a 100,000-column score header and
a zip bomb are turned away in well under a second, without the memory they would need."""

from __future__ import annotations

import time
import tracemalloc
import zipfile

import pytest

from screening.score_import.reading import read_score_file
from students.imports import ImportRefused
from students.oneroster.source import _read_zip


def _bounded(fn):
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ImportRefused) as refused:
            fn()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return refused.value, time.monotonic() - started, peak


def test_a_100000_column_score_header_is_refused_at_once():
    header = ",".join(f"c{i}" for i in range(100_000))
    data = (header + "\n" + ",".join("1" for _ in range(100_000)) + "\n").encode()
    refused, seconds, peak = _bounded(lambda: read_score_file(data))
    assert "100,000 columns" in refused.message and refused.row == 1
    assert seconds < 2 and peak < 4 * len(data) + 10 * 1024**2


def test_an_endless_header_line_is_refused():
    refused, seconds, _ = _bounded(lambda: read_score_file(b"Student ID" + b"x" * 200_000 + b"\n"))
    assert "characters long" in refused.message and seconds < 2


def test_too_many_rows_are_refused(settings):
    settings.SCORE_IMPORT_MAX_ROWS = 1000
    data = ("Student ID,Score\n" + "1,2\n" * 2000).encode()
    refused, _, _ = _bounded(lambda: read_score_file(data))
    assert "2,001 rows" in refused.message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = tmp_path / "roster.zip"
    zeros = b"\0" * 1024**2
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", "propertyName,value\n")
        with archive.open("users.csv", "w", force_zip64=True) as member:
            for _ in range(200):  # 200 MB of zeros, about 200 KB on disk
                member.write(zeros)
    assert bomb.stat().st_size < 1024**2
    refused, seconds, peak = _bounded(lambda: _read_zip(bomb))
    assert "users.csv" in refused.message and "zip bomb" in refused.message
    assert seconds < 2 and peak < 20 * 1024**2


def test_a_large_member_is_refused_on_its_size(tmp_path, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024**2
    archive_path = tmp_path / "roster.zip"
    with zipfile.ZipFile(archive_path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("users.csv", b"a,b\n" * 600_000)
    refused, _, _ = _bounded(lambda: _read_zip(archive_path))
    assert "allowed per file" in refused.message


def test_roster_csvs_refuse_a_wide_header_a_stray_quote_and_nul_bytes_with_the_row():
    from students.oneroster.reader import read_table

    wide = ",".join(f"c{i}" for i in range(100_000)).encode() + b"\n"
    refused, seconds, _ = _bounded(lambda: read_table("users.csv", wide))
    assert "100,000 columns" in refused.message and refused.row == 1 and seconds < 2

    stray = b'sourcedId,givenName\ns1,Maria\ns2,"Liam\ns3,Noah\n'
    refused, _, _ = _bounded(lambda: read_table("users.csv", stray))
    assert "row 3" in refused.message and refused.row == 3

    nul = b"sourcedId,givenName\ns1,Maria\ns2,Li\x00am\n"
    refused, _, _ = _bounded(lambda: read_table("users.csv", nul))
    assert "NUL" in refused.message and refused.row == 3


def test_a_nul_byte_in_a_score_file_is_refused_with_the_row():
    refused, _, _ = _bounded(lambda: read_score_file(b"Student ID,Score\n1,2\n3,4\x00\n"))
    assert "NUL byte on line 3" in refused.message
