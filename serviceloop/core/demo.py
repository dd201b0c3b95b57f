"""The demo company's profile (letterhead, signatory, a drawn logo and seal) and its people."""

from __future__ import annotations

import math
from io import BytesIO
from typing import Any

from .company import company_profile_update
from .models import CompanyProfile, User

NAME_ZH = "华东汽车零部件股份有限公司"
NAME_EN = "East China Auto Parts Co., Ltd."
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def demo_users(*usernames: str) -> dict[str, User]:
    """The demo's people by username, those of ``usernames`` that exist (an app's demo
    checks it has whom it needs)."""
    return {u.username: u for u in User.objects.filter(username__in=usernames)}


def _font(size: int) -> Any:
    from PIL import ImageFont

    try:
        return ImageFont.truetype(CJK_FONT, size)
    except OSError:  # no CJK font on this machine: the default bitmap font
        return ImageFont.load_default()


def _png(image: Any) -> bytes:
    buf = BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def draw_logo() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((8, 8, 232, 232), radius=36, fill=(11, 92, 171, 255))
    d.ellipse((52, 52, 188, 188), outline=(255, 255, 255, 255), width=14)
    d.text((120, 122), "华东", font=_font(44), fill=(255, 255, 255, 255), anchor="mm")
    return _png(img)


def draw_seal(name: str) -> bytes:
    """A round red company seal: the name around the rim and a star in the middle."""
    from PIL import Image, ImageDraw

    size, red = 420, (200, 30, 30, 230)
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    c = size / 2
    d.ellipse((10, 10, size - 10, size - 10), outline=red, width=12)
    star = []
    for i in range(10):
        r = 56.0 if i % 2 == 0 else 22.0
        a = -math.pi / 2 + i * math.pi / 5
        star.append((c + r * math.cos(a), c + r * math.sin(a)))
    d.polygon(star, fill=red)
    font = _font(40)
    span = math.radians(250)
    start = -math.pi / 2 - span / 2
    for i, ch in enumerate(name):
        a = start + span * (i + 0.5) / len(name)
        glyph = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((30, 30), ch, font=font, fill=red, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
        r = c - 60
        img.alpha_composite(glyph, (int(c + r * math.cos(a) - 30), int(c + r * math.sin(a) - 30)))
    d.text((c, c + 110), "合同专用章", font=_font(30), fill=red, anchor="mm")
    return _png(img)


def ensure_company(admin: Any) -> CompanyProfile:
    found = CompanyProfile.objects.filter(pk=1, name_zh=NAME_ZH).first()
    if found is not None:
        return found
    return company_profile_update(
        actor=admin,
        name_zh=NAME_ZH,
        name_en=NAME_EN,
        address="江苏省常州市武进区汽车零部件产业园兴业路88号 213100",
        phone="0519-8668 8000",
        fax="0519-8668 8001",
        website="www.hd-autoparts.com.cn",
        signatory_name="郭红",
        signatory_title="管理者代表",
        images={"logo": draw_logo(), "seal": draw_seal(NAME_ZH)},
    )
