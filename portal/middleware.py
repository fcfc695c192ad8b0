"""Which language a reader gets.

The API keeps Django's behaviour (the language cookie, then Accept-Language). The portal's pages are
Thai unless the reader chose English with the switch: a Thai office's pages must not turn English
because a phone happens to be set to English, and a shared link must look the same to everyone.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

FOLLOWS_BROWSER = ("/api/", "/healthz", "/admin/", "/open311/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request):
        if request.path_info.startswith(FOLLOWS_BROWSER):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
