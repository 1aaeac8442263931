"""The running service: the stages wired together (router worker, dedupe, app, workers)."""

from __future__ import annotations

from .config_cache import ConfigCache
from .dedupe import DEFAULT_WINDOW_S, Claim, MessageDedupe
from .router_worker import ROUTER_CONSUMER, RouterWorker

__all__ = ["DEFAULT_WINDOW_S", "ROUTER_CONSUMER", "Claim", "ConfigCache", "MessageDedupe", "RouterWorker"]
