"""Files to import in tests: XLSX and CSV uploads from rows, crafted workbooks, and running
an import job here and now."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def xlsx_upload(
    rows: list[list[Any]], headers: list[Any] | None = None, name: str = "data.xlsx", sheet=""
) -> SimpleUploadedFile:
    """A workbook as Excel writes it (openpyxl): the headers (if given), then the rows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if sheet:
        ws.title = sheet
    if headers is not None:
        ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def csv_upload(
    rows: list[list[Any]],
    headers: list[Any] | None = None,
    encoding: str = "utf-8-sig",
    name: str = "data.csv",
    delimiter: str = ",",
) -> SimpleUploadedFile:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    if headers is not None:
        writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return SimpleUploadedFile(name, buf.getvalue().encode(encoding))


class Multipart(dict):
    """A request body the API test client sends as a multipart form (files and fields), not as
    JSON: an upload in the permission matrix."""


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def raw_xlsx(sheet_xml: bytes | Any, shared_strings: bytes | None = None) -> bytes:
    """A minimal workbook around a hand-written sheet part (bytes, or an iterable of byte
    chunks streamed into the zip) — for hostile files no spreadsheet program would write."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("xl/worksheets/sheet1.xml", "w") as part:
            for chunk in [sheet_xml] if isinstance(sheet_xml, bytes) else sheet_xml:
                part.write(chunk)
        if shared_strings is not None:
            z.writestr("xl/sharedStrings.xml", shared_strings)
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{SHEET_NS}" xmlns:r="{REL_NS}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        rels = f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        if shared_strings is not None:
            rels += (
                f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" '
                'Target="sharedStrings.xml"/>'
            )
        z.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG_NS}">{rels}</Relationships>'
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
    return buf.getvalue()


def sheet_xml(rows: list[list[str]]) -> bytes:
    """A sheet part with inline-string cells."""
    body = "".join(
        f'<row r="{r}">'
        + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in row)
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    return f'<worksheet xmlns="{SHEET_NS}"><sheetData>{body}</sheetData></worksheet>'.encode()


def run_import(actor: Any, kind: str, upload: Any, **kwargs: Any) -> Any:
    """Upload and run the job at once (as the worker would); the job, refreshed."""
    from serviceloop.core.importing.services import import_now

    return import_now(actor=actor, kind=kind, upload=upload, **kwargs)
