"""Text of the what-if page (假设分析)."""

TEXT: dict[str, dict[str, str]] = {}
