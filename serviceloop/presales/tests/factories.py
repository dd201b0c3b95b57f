"""Builders for pre-sale tests (factories, not fixtures)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.presales import services


def requirement(sales: Any = None, customer: Any = None, **kwargs: Any):
    return services.requirement_register(
        actor=sales or user_with("sales"),
        customer=customer or CustomerFactory(),
        received_at=kwargs.pop("received_at", timezone.now() - timedelta(hours=1)),
        subject=kwargs.pop("subject", "新车型减振器阻尼力要求"),
        description=kwargs.pop("description", "复原阻尼力提高 10%,耐久 100 万次。"),
        **kwargs,
    )


def sample(sales: Any = None, customer: Any = None, **kwargs: Any):
    return services.sample_request(
        actor=sales or user_with("sales"),
        customer=customer or CustomerFactory(),
        part_number=kwargs.pop("part_number", "SA-2041"),
        quantity=kwargs.pop("quantity", 5),
        needed_by=kwargs.pop("needed_by", timezone.localdate() + timedelta(days=30)),
        purpose=kwargs.pop("purpose", "装车路试验证"),
        **kwargs,
    )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "图纸-SA2041.pdf", content: bytes = PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")
