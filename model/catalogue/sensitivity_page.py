"""Text of the sensitivity page (敏感性) and the app's progress bars."""

TEXT: dict[str, dict[str, str]] = {}
