"""Messages: problems, errors and warnings as the user reads them, field names included."""

TEXT: dict[str, dict[str, str]] = {}
