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
    planned = services.training_create(  # not held yet: it can be cancelled
        actor=sales,
        title="减振器拆装",
        held_on=timezone.localdate() + timedelta(days=7),
        trainer="张伟",
        hours=2,
        attendees=[trainee.pk],
    )
    w.update(training=t, training_id=t.pk, training_file=att, trainee=trainee)
    w.update(training_planned_id=planned.pk)


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
KEY_ALIASES = {
    ("post", "/api/v1/trainings/{training_id}/cancel"): {"training_id": "training_planned_id"},
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


# The exact status each allowed call answers in the matrix world (issue 17); a dict gives
# {role: status, "*": status} where roles meet different rules. A 4xx is the rule the world
# meets, quoted in the comment above the row (the world's state, or a record of another
# person or department); test_permission_matrix_declared makes every allowed call declare one.
EXPECT = {
    ("get", "/api/v1/trainings/"): 200,
    ("post", "/api/v1/trainings/"): 201,
    ("get", "/api/v1/trainings/{training_id}"): 200,
    ("post", "/api/v1/trainings/{training_id}/attendance"): 200,
    ("post", "/api/v1/trainings/{training_id}/cancel"): 200,
}
# Pages: a GET answers 200 (302 where the page sends on); the matrix POSTs no form, so a
# POST that needs fields answers 400 (the form's errors) and one that needs none acts and
# redirects (302).
UI_EXPECT = {
    "training:list": 200,
    "training:create": 200,
    "training:detail": 200,
    "training:attendance": 302,
    "training:attendee_add": 400,
    "training:attach": 400,
    "training:attachment": 200,
    "training:cancel": 400,
    "training:person": 200,
    "training:mine": 200,
}
