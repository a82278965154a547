from django.contrib.auth import backends, get_user_model


class ModelBackend(backends.ModelBackend):
    """Django's username/password backend; the signed-in user comes with their township in one query."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("township").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
