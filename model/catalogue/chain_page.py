"""Text of the value-chain page (产业链): chain view, heatmap, investment cards and briefs."""

TEXT: dict[str, dict[str, str]] = {}
