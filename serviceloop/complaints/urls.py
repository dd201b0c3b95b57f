from django.urls import path

from .views import eightd, eightd_work, letters, register, review

app_name = "complaints"
urlpatterns = [
    path("", register.complaint_list, name="list"),
    path("new/", register.complaint_create, name="create"),
    path("<int:pk>/", register.complaint_detail, name="detail"),
    path("<int:pk>/edit/", register.complaint_edit, name="edit"),
    path("<int:pk>/eight-d/", register.open_eight_d, name="open_8d"),
    path("8d/<int:pk>/", eightd.eightd_detail, name="eightd"),
    path("8d/<int:pk>/pdf/", eightd.eightd_pdf, name="eightd_pdf"),
    path("8d/<int:pk>/leader/", eightd.leader, name="leader"),
    path("8d/<int:pk>/team/", eightd.team_add, name="team_add"),
    path("8d/team/<int:pk>/remove/", eightd.team_remove, name="team_remove"),
    path("8d/<int:pk>/refer/", eightd.refer, name="refer"),
    path("8d/<int:pk>/negotiation/", eightd.negotiation, name="negotiation"),
    path("8d/<int:pk>/close/", eightd.close, name="close"),
    path("8d/<int:pk>/acknowledge/", eightd.acknowledge, name="acknowledge"),
    path("8d/<int:pk>/containments/", eightd_work.containment_add, name="containment_add"),
    path("8d/containments/<int:pk>/", eightd_work.containment_edit, name="containment_edit"),
    path("8d/containments/<int:pk>/done/", eightd_work.containment_done, name="containment_done"),
    path(
        "8d/containments/<int:pk>/reinspect/",
        eightd_work.containment_reinspect,
        name="containment_reinspect",
    ),
    path("8d/<int:pk>/causes/", eightd_work.cause_add, name="cause_add"),
    path("8d/causes/<int:pk>/", eightd_work.cause_edit, name="cause_edit"),
    path("8d/actions/<int:pk>/", eightd_work.action_edit, name="action_edit"),
    path("8d/actions/<int:pk>/complete/", eightd_work.action_complete, name="action_complete"),
    path("8d/actions/<int:pk>/verify/", eightd_work.action_verify, name="action_verify"),
    path("8d/actions/<int:pk>/cancel/", eightd_work.action_cancel, name="action_cancel"),
    path("8d/<int:pk>/reply/", letters.reply, name="reply"),
    path("8d/<int:pk>/reply/send/", letters.reply_send, name="reply_send"),
    path("8d/<int:pk>/reply/pdf/", letters.reply_pdf, name="reply_pdf"),
    path("8d/<int:pk>/reply/docx/", letters.reply_docx, name="reply_docx"),
    path("8d/<int:pk>/<str:code>/", eightd.discipline, name="discipline"),
    path(
        "8d/<int:pk>/<str:code>/complete/", eightd.discipline_complete, name="discipline_complete"
    ),
    path("8d/<int:pk>/<str:code>/reopen/", eightd.discipline_reopen, name="discipline_reopen"),
    path("8d/<int:pk>/<str:code>/actions/", eightd_work.action_add, name="action_add"),
    path("actions/", eightd_work.action_list, name="actions"),
    path("reply-forms/", letters.template_list, name="templates"),
    path("reply-forms/<int:customer_pk>/", letters.template_edit, name="template_edit"),
    path("review/", review.review, name="review"),
]
