from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as _Base


class LoginRequiredMiddleware(_Base):
    """Every page needs a login, except the API (which answers 401 itself) and static files."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(("/api/", "/static/", "/i18n/")):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class CompanyLanguageMiddleware:
    """The UI language: a signed-in person's stored choice (`User.language`, kept by the
    switch in the header), else the browser's explicit choice (the language cookie set by the
    switch, e.g. on the login page), else the company default (Simplified Chinese). A
    browser's Accept-Language is deliberately ignored: the company works in Chinese whatever
    the PC's locale. Placed after AuthenticationMiddleware (it reads `request.user`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        supported = {code for code, _ in settings.LANGUAGES}
        language = self._stored_choice(request, supported) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        self._remember_choice(request, response, supported)
        return response

    @staticmethod
    def _stored_choice(request, supported) -> str:
        """The user's stored language, else the cookie's; "" when neither names one."""
        from django.conf import settings

        user: Any = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) and user.language in supported:
            return str(user.language)
        choice = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        return choice if choice in supported else ""

    @staticmethod
    def _remember_choice(request, response, supported) -> None:
        """A signed-in person's switch of language is kept on their user, so that notices
        e-mailed to them are written in it."""
        from django.conf import settings

        if request.method != "POST" or not request.path.startswith("/i18n/setlang"):
            return
        cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        user: Any = getattr(request, "user", None)
        if (
            cookie is None
            or cookie.value not in supported
            or not getattr(user, "is_authenticated", False)
        ):
            return
        if user.language != cookie.value:
            from django.contrib.auth import get_user_model

            get_user_model().objects.filter(pk=user.pk).update(language=cookie.value)


class NoStoreMiddleware:
    """Pages and API answers for a signed-in user are never kept by the browser or a proxy
    (`Cache-Control: no-store`, issue 9): after logout, Back shows nothing of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user: Any = getattr(request, "user", None)
        signed_in = getattr(user, "is_authenticated", False)
        if signed_in or request.headers.get("Authorization") or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response
