"""Two small additions to ``cadre_mgmt.web``'s page helpers that the ranks pages need."""

from django.utils.functional import lazy


def refused_is_400(request, response):
    """A form sent back with its errors answers 400 (the pages' tests and htmx rely on it)."""
    if request.method == "POST" and response.status_code == 200:
        response.status_code = 400
    return response


def after(call, message):
    """``submit_form``'s (call, success) when the success message names the service's result: the message
    is formatted when the messages framework stores it, after the call has returned."""
    result = {}

    def run(data):
        result["value"] = call(data)
        return result["value"]

    return run, lazy(lambda: message(result["value"]), str)()
