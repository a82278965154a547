from rest_framework import routers, viewsets


class Router(routers.SimpleRouter):
    """The router of every area's ``api.py``: ``<int:pk>`` path converters, so an id that is not a number
    is a 404 (never a 500) and the schema says the id is an integer."""

    def __init__(self):
        super().__init__(use_regex_path=False)


class ScopedViewSet(viewsets.GenericViewSet):
    """Base of every API viewset: rows come from one selector, the same the pages call.

    ``selector = cadres_for_user`` — a function ``(*, user) -> QuerySet`` that has already passed through
    ``scope_for_user``, so a township user's list never holds another township's rows and another
    township's id is a 404.
    """

    selector = None
    lookup_value_converter = "int"

    def get_queryset(self):
        # Through the class so that a plain function is not bound as a method.
        return type(self).selector(user=self.request.user)
