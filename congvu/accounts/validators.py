"""Password validators whose messages Django's Vietnamese catalogue lacks."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule; its error message is untranslated in Django's ``vi`` catalogue."""

    def get_error_message(self) -> str:
        return f"Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất {self.min_length} ký tự."

    def get_help_text(self) -> str:
        return f"Mật khẩu của bạn phải chứa ít nhất {self.min_length} ký tự."
