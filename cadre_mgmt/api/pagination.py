from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Every list: ``?page=`` and ``?page_size=`` (50 by default, at most 200).

    A page or page size that is not a whole number in range is a 400 naming the parameter (DRF would
    quietly use the default size); a page past the end is a 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 200

    def _whole_number(self, request, name, maximum=None):
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1 or (maximum is not None and int(raw) > maximum):
            message = (
                _("Enter a whole number from 1 to %(maximum)s.") % {"maximum": maximum}
                if maximum
                else _("Enter a whole number from 1.")
            )
            raise exceptions.ValidationError({name: [message]})
        return int(raw)

    def get_page_size(self, request):
        return self._whole_number(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        self._whole_number(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
