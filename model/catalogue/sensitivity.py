"""Text of the global sensitivity analysis: CLI tables and the 敏感性 page."""

TEXT: dict[str, dict[str, str]] = {}
