"""The parkcap web app (Dash): ``create_app()`` builds it, ``parkcap serve`` runs it.

Pages: overview (概览), value chain (产业链), scenarios (情景对比), what-if (假设分析),
pipeline (项目库), export (导出); Chinese first, English one click away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dash import Dash

__all__ = ["create_app"]


def create_app(data_dir: Any = None, scenarios_dir: Any = None, **options: Any) -> Dash:
    """Build the Dash app (see :func:`dashboard.app.create_app` for the ``options``)."""
    from dashboard.app import create_app as _create

    return _create(data_dir=data_dir, scenarios_dir=scenarios_dir, **options)
