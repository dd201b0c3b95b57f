"""Uploads are cut off at the import size limit while they stream in (issue 9), rather than
written to disk whole and refused afterwards: a 10 GB upload stops at the limit."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from .limits import default_limits, too_large

REFUSED = "upload_refused"  # request attribute: the message, when a file was cut off


class SizeLimitUploadHandler(FileUploadHandler):
    """First of the upload handlers: counts each file's bytes and skips the file (the rest
    of the request is still read, nothing of it kept) once it passes the limit."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = default_limits().max_bytes

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                setattr(self.request, REFUSED, too_large(self.received, self.limit).message)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers keep the file


def refused_upload(request: Any) -> str:
    """The message if the request's file was cut off at the limit, else ""."""
    return getattr(request, REFUSED, "")
