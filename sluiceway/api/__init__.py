"""ASGI apps: the Segment-compatible tracking API and the management REST API."""
