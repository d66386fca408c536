"""Password validators whose messages Django's Vietnamese catalogue lacks."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule; its error message is untranslated in Django's ``vi`` catalogue."""

    def get_error_message(self) -> str:
        return ngettext(
            "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất %(min_length)d ký tự.",
            "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Mật khẩu của bạn phải chứa ít nhất %(min_length)d ký tự.",
            "Mật khẩu của bạn phải chứa ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}
