from django.urls import path

from serviceloop.core.urlpaths import action_urls, record_urls

from .actions import ACKNOWLEDGE, CLOSE, NEGOTIATION, REFER
from .views import eightd, eightd_work, letters, register, review

app_name = "complaints"
urlpatterns = [
    *record_urls(register, "complaint"),
    path("<int:pk>/eight-d/", register.open_eight_d, name="open_8d"),
    path("8d/<int:pk>/", eightd.eightd_detail, name="eightd"),
    path("8d/<int:pk>/pdf/", eightd.eightd_pdf, name="eightd_pdf"),
    *action_urls(eightd, "8d/<int:pk>/", "leader", REFER, NEGOTIATION, CLOSE, ACKNOWLEDGE),
    path("8d/<int:pk>/team/", eightd.team_add, name="team_add"),
    path("8d/team/<int:pk>/remove/", eightd.team_remove, name="team_remove"),
    path("8d/<int:pk>/containments/", eightd_work.containment_add, name="containment_add"),
    path("8d/containments/<int:pk>/", eightd_work.containment_edit, name="containment_edit"),
    *action_urls(
        eightd_work, "8d/containments/<int:pk>/", "done", "reinspect", prefix="containment_"
    ),
    path("8d/<int:pk>/causes/", eightd_work.cause_add, name="cause_add"),
    path("8d/causes/<int:pk>/", eightd_work.cause_edit, name="cause_edit"),
    path("8d/actions/<int:pk>/", eightd_work.action_edit, name="action_edit"),
    *action_urls(
        eightd_work, "8d/actions/<int:pk>/", "complete", "verify", "cancel", prefix="action_"
    ),
    path("8d/<int:pk>/reply/", letters.reply, name="reply"),
    *action_urls(letters, "8d/<int:pk>/reply/", "send", "pdf", "docx", prefix="reply_"),
    # after every other "8d/<int:pk>/<word>/": a discipline's code is any word
    path("8d/<int:pk>/<str:code>/", eightd.discipline, name="discipline"),
    *action_urls(eightd, "8d/<int:pk>/<str:code>/", "complete", "reopen", prefix="discipline_"),
    path("8d/<int:pk>/<str:code>/actions/", eightd_work.action_add, name="action_add"),
    path("actions/", eightd_work.action_list, name="actions"),
    path("reply-forms/", letters.template_list, name="templates"),
    path("reply-forms/<int:customer_pk>/", letters.template_edit, name="template_edit"),
    path("review/", review.review, name="review"),
]
