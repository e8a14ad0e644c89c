"""Text of the scenarios page (情景对比)."""

TEXT: dict[str, dict[str, str]] = {}
