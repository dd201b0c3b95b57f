"""Permission-matrix rows of training (see core/tests/test_permission_matrix.py)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from serviceloop.core.testing.factories import user_with
from serviceloop.training import services


def build(w: dict) -> None:
    sales = user_with("sales")
    trainee = user_with("service_engineer")
    t = services.training_create(
        actor=sales,
        title="减振器安装与故障判断",
        held_on=timezone.localdate() - timedelta(days=1),
        trainer="张伟",
        hours=4,
        attendees=[trainee.pk],
        external=[("王师傅", "华东汽配")],
    )
    att = services.training_attach(
        actor=sales, training=t, file=SimpleUploadedFile("讲义.txt", b"notes")
    )
    w.update(training=t, training_id=t.pk, training_file=att, trainee=trainee)


API = {
    ("get", "/api/v1/trainings/"): ("training.view", lambda w: None),
    ("post", "/api/v1/trainings/"): (
        "training.manage",
        lambda w: {
            "title": "t",
            "held_on": timezone.localdate().isoformat(),
            "trainer": "x",
            "hours": 2,
            "attendees": [w["trainee"].pk],
        },
    ),
    ("get", "/api/v1/trainings/{training_id}"): ("training.view", lambda w: None),
    ("post", "/api/v1/trainings/{training_id}/attendance"): (
        "training.manage",
        lambda w: {"attendees": []},
    ),
    ("post", "/api/v1/trainings/{training_id}/cancel"): (
        "training.manage",
        lambda w: {"reason": "r"},
    ),
}
UI = {
    "training:list": ("training.view", "get", lambda w: []),
    "training:create": ("training.manage", "get", lambda w: []),
    "training:detail": ("training.view", "get", lambda w: [w["training"].pk]),
    "training:attendance": ("training.manage", "post", lambda w: [w["training"].pk]),
    "training:attendee_add": ("training.manage", "post", lambda w: [w["training"].pk]),
    "training:attach": ("training.manage", "post", lambda w: [w["training"].pk]),
    "training:attachment": (
        "training.view",
        "get",
        lambda w: [w["training"].pk, w["training_file"].pk],
    ),
    "training:cancel": ("training.manage", "post", lambda w: [w["training"].pk]),
    "training:person": ("training.view", "get", lambda w: [w["trainee"].pk]),
    "training:mine": (None, "get", lambda w: []),
}
