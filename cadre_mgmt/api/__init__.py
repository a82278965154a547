"""The REST API (/api/v1/): shared pieces only — every endpoint lives in its area's ``api.py``.

How an area adds endpoints (read-only list + detail shown; writes call the area's service):

    # ranks/api.py
    from cadre_mgmt.api.viewsets import Router, ScopedViewSet

    class RankChangeViewSet(mixins.ListModelMixin, ScopedViewSet):
        serializer_class = RankChangeSerializer
        selector = rank_changes_for_user   # selector(*, user) -> scoped queryset
        filterset_class = RankChangeFilter

    router = Router()
    router.register("rank-changes", RankChangeViewSet, basename="rank-change")
    urlpatterns = router.urls

and one line in ``cadre_mgmt/api/urls.py::V1_MODULES``. What the foundation gives every endpoint:

* authentication by token (``Authorization: Token …``) or session; ``permissions.IsSignedIn`` by default,
  ``permissions.role_required("is_county_approver")`` for role-bound actions,
  ``permissions.require_township(user, township_id)`` for writes;
* errors as ``{"detail": "<中文>", "errors": {field: [...]}}`` (``errors.exception_handler``) — a service's
  Django ``ValidationError`` becomes a 400 and ``PermissionDenied``/``Http404`` a 403/404 without any code
  in the view;
* page-number pagination (``?page=``, ``?page_size=`` up to 200), django-filter FilterSets, and an OpenAPI
  schema that documents the error responses of every operation (``schema.AutoSchema``).
"""
