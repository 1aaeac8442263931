"""ASGI apps: the Segment-compatible tracking API and the management REST API."""

from __future__ import annotations

from ._ratelimit import RateLimit
from .ingest import Ingest
from .tracking import create_tracking_app, tracking_routes

__all__ = ["Ingest", "RateLimit", "create_tracking_app", "tracking_routes"]
