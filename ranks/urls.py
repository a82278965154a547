from django.urls import path

from .appeals import views as appeals
from .dashboard import views as dashboard
from .grading import views as grading
from .ladder import views as ladder
from .review import views as review
from .rosters import views as rosters

app_name = "ranks"

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("rosters/", rosters.roster, name="roster"),
    path("rosters/changes/", rosters.roster_changes, name="roster_changes"),
    path("rosters/generate/", rosters.roster_generate, name="roster_generate"),
    path("rosters/<int:pk>/lock/", rosters.roster_lock, name="roster_lock"),
    path("rosters/<int:pk>/export.xlsx", rosters.roster_export, name="roster_export"),
    path("rosters/exports/<int:pk>/", rosters.roster_export_status, name="roster_export_status"),
    path("rosters/exports/<int:pk>/download/", rosters.roster_export_download, name="roster_export_download"),
    path("rosters/exports/<int:pk>/restart/", rosters.roster_export_restart, name="roster_export_restart"),
    path("grading/", grading.grading, name="grading"),
    path("grading/export.xlsx", grading.grading_export, name="grading_export"),
    path("grading/submit/", grading.grading_submit_batch, name="grading_submit_batch"),
    path("grading/cadre/<int:cadre_pk>/", grading.grading_submit, name="grading_submit"),
    path("grading/approve/", grading.grading_approve_batch, name="grading_approve_batch"),
    path("grading/approve-all/", grading.grading_approve_all, name="grading_approve_all"),
    path("grading/<int:pk>/reject/", grading.grading_reject, name="grading_reject"),
    path("settings/", ladder.settings_page, name="settings"),
    path("settings/ladder/", ladder.settings_ladder, name="settings_ladder"),
    path("settings/schedule/", ladder.settings_schedule, name="settings_schedule"),
    path("settings/rule/", ladder.settings_rule, name="settings_rule"),
    path("settings/posts/", ladder.settings_posts, name="settings_posts"),
    path("changes/<int:pk>/reverse/", ladder.rank_change_reverse, name="rank_change_reverse"),
    path("reviews/", review.review_list, name="reviews"),
    path("reviews/export.xlsx", review.review_export, name="review_export"),
    path("reviews/settings/", review.review_settings, name="review_settings"),
    path("reviews/<int:pk>/", review.review_detail, name="review_detail"),
    path("reviews/<int:pk>/progress/", review.review_progress, name="review_progress"),
    path("reviews/<int:pk>/resume/", review.review_resume, name="review_resume"),
    path("proposals/", review.proposal_list, name="proposals"),
    path("proposals/export.xlsx", review.proposal_export, name="proposal_export"),
    path("proposals/submit/", review.proposal_submit_batch, name="proposal_submit_batch"),
    path("proposals/decide/", review.proposal_decide_batch, name="proposal_decide_batch"),
    path("proposals/<int:pk>/", review.proposal_detail, name="proposal_detail"),
    path("proposals/attachments/<int:pk>/", review.proposal_attachment, name="proposal_attachment"),
    path("proposals/<int:pk>/submit/", review.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/approve/", review.proposal_approve, name="proposal_approve"),
    path("proposals/<int:pk>/reject/", review.proposal_reject, name="proposal_reject"),
    # Appeals (DESIGN §12): the township comments, the county decides; cadre accounts from the cadre file.
    path("appeals/", appeals.appeal_list, name="appeals"),
    path("appeals/<int:pk>/", appeals.appeal_detail, name="appeal_detail"),
    path("appeals/<int:pk>/comment/", appeals.appeal_comment, name="appeal_comment"),
    path("appeals/<int:pk>/decide/", appeals.appeal_decide, name="appeal_decide"),
    path("appeals/<int:pk>/files/<int:attachment_pk>/", appeals.appeal_attachment, name="appeal_attachment"),
    path("cadres/<int:pk>/account/issue/", appeals.cadre_account_issue, name="cadre_account_issue"),
    path("cadres/<int:pk>/account/disable/", appeals.cadre_account_disable, name="cadre_account_disable"),
]
