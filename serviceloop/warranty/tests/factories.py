"""Test helpers of the warranty app: claims made through the service, files for uploads."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.warranty.services import claim_create

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)

COVERED = {
    "purchase_date": date(2025, 3, 10),
    "failure_date": date(2025, 9, 1),
    "mileage_km": 12_000,
    "findings": ["manufacturing_defect"],
    "repairable": True,
}


def make_claim(actor=None, customer=None, **kwargs: Any):
    """A covered claim (repair) unless `kwargs` change the inputs."""
    actor = actor or user_with("quality")
    data = {**COVERED, "part_number": "SA-2041", "build_month": "2025-02", **kwargs}
    return claim_create(actor=actor, customer=customer or CustomerFactory(), **data)


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


HEADERS = [
    "客户编码",
    "购买日期",
    "故障日期",
    "行驶里程(km)",
    "检验结论",
    "可否修复",
    "零件号",
    "序列号",
    "批次号",
    "生产月份",
    "配套厂家",
    "车辆",
    "故障模式",
    "配件费",
    "工时费",
    "差旅费",
]


def xlsx_file(rows: list[list[Any]], headers: list[str] | None = None, name="claims.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.title = "三包索赔"
    ws.append(headers or HEADERS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def csv_file(rows: list[list[Any]], headers=None, encoding="utf-8-sig", name="claims.csv"):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers or HEADERS)
    for row in rows:
        writer.writerow(row)
    return SimpleUploadedFile(name, buf.getvalue().encode(encoding))


def row(code: str, **over: Any) -> list[Any]:
    """One import row (a covered claim) in HEADERS order; `over` by header."""
    values = {
        "客户编码": code,
        "购买日期": date(2025, 3, 10),
        "故障日期": date(2025, 9, 1),
        "行驶里程(km)": 12000,
        "检验结论": "制造缺陷影响正常使用",
        "可否修复": "是",
        "零件号": "SA-2041",
        "序列号": "",
        "批次号": "L2502-01",
        "生产月份": "2025-02",
        "配套厂家": "长江汽车股份有限公司",
        "车辆": "LZZ1CCND5PA123456 / ZZ4257",
        "故障模式": "漏油",
        "配件费": 320,
        "工时费": 80,
        "差旅费": 0,
        **over,
    }
    return [values[h] for h in HEADERS]
