from django.contrib.auth.middleware import LoginRequiredMiddleware as _Base


class LoginRequiredMiddleware(_Base):
    """Every page needs a login, except the API (which answers 401 itself) and static files."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(("/api/", "/static/", "/i18n/")):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
