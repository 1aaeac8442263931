"""Delivery Overview: what happened to every event, per source, destination and mapping."""

from __future__ import annotations

from .outcome import ListRecorder, NullRecorder, Outcome, Recorder, Step

__all__ = ["ListRecorder", "NullRecorder", "Outcome", "Recorder", "Step"]
