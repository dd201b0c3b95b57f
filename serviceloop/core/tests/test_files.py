"""core.files.file_response: the one way to answer a download."""

import io

from serviceloop.core.files import PDF_TYPE, UPLOAD_CSP, file_response


def test_generated_bytes_download_as_attachment():
    response = file_response(b"%PDF-1.7", "reply-8D-1.pdf", PDF_TYPE)
    assert response["Content-Type"] == PDF_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="reply-8D-1.pdf"'
    assert response.content == b"%PDF-1.7"


def test_inline_and_a_chinese_file_name():
    response = file_response(b"x", "预警报告.pdf", PDF_TYPE, inline=True)
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")


def test_a_stored_upload_is_streamed_sandboxed():
    response = file_response(io.BytesIO(b"<svg/>"), "photo.svg", "image/svg+xml", inline=True)
    assert b"".join(response.streaming_content) == b"<svg/>"
    assert response["Content-Security-Policy"] == UPLOAD_CSP
    assert response["Content-Disposition"].startswith("inline")
