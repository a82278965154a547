"""The short public addresses printed on the slips: /v/ (type the code) and /v/<code>/ (the QR code)."""

from django.urls import path

from . import ballot_views

urlpatterns = [
    path("", ballot_views.ballot_start, name="evaluation_start"),
    path("done/", ballot_views.ballot_thanks, name="evaluation_thanks"),
    path("<str:code>/", ballot_views.ballot, name="evaluation_ballot"),
]
