"""Text of the overview page (概览)."""

TEXT: dict[str, dict[str, str]] = {}
