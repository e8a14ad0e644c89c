"""Text of long runs: progress, workers, samplers, streamed files."""

TEXT: dict[str, dict[str, str]] = {}
