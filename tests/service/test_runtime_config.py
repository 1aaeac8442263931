"""The service's settings from its environment: the per-source rate limit."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from sluiceway.api import RateLimit
from sluiceway.service.runtime import RuntimeConfig

from .._inprocess import running_service


def test_the_rate_limit_defaults_to_the_tracking_apis_and_reads_the_environment(tmp_path: Path) -> None:
    base = {"SLUICEWAY_DATA_DIR": str(tmp_path)}

    assert RuntimeConfig.from_environment(base).rate_limit == RateLimit()
    configured = RuntimeConfig.from_environment(
        {**base, "SLUICEWAY_RATE_LIMIT_EVENTS_PER_S": "100000", "SLUICEWAY_RATE_LIMIT_BURST": "250000"}
    )
    assert configured.rate_limit == RateLimit(events_per_s=100_000, burst=250_000)


@pytest.mark.parametrize("value", ["fast", "0", "-5"])
def test_a_bad_rate_limit_names_the_variable_and_the_rule(tmp_path: Path, value: str) -> None:
    with pytest.raises(ValueError, match="SLUICEWAY_RATE_LIMIT_EVENTS_PER_S: must be"):
        RuntimeConfig.from_environment(
            {"SLUICEWAY_DATA_DIR": str(tmp_path), "SLUICEWAY_RATE_LIMIT_EVENTS_PER_S": value}
        )


def test_the_running_service_applies_the_configured_rate_limit(tmp_path: Path) -> None:
    limits = {"SLUICEWAY_RATE_LIMIT_EVENTS_PER_S": "1", "SLUICEWAY_RATE_LIMIT_BURST": "3"}
    with running_service(tmp_path / "data", "t" * 32, limits) as (url, runtime):
        workspace = runtime.store.workspaces.ensure_default()
        source = runtime.store.sources.create(workspace.id, "Website")
        events = [{"type": "track", "event": "E", "userId": "u"}] * 3

        first = httpx.post(f"{url}/v1/batch", json={"batch": events}, auth=(source.write_key, ""))
        second = httpx.post(f"{url}/v1/batch", json={"batch": events}, auth=(source.write_key, ""))

    assert first.status_code == 200
    assert second.status_code == 429 and float(second.headers["Retry-After"]) > 0


def test_the_trace_budget_defaults_to_the_metrics_stores_and_reads_the_environment(tmp_path: Path) -> None:
    from sluiceway.metrics import DEFAULT_TRACE_BUDGET

    base = {"SLUICEWAY_DATA_DIR": str(tmp_path)}
    assert RuntimeConfig.from_environment(base).trace_budget == DEFAULT_TRACE_BUDGET
    assert RuntimeConfig.from_environment({**base, "SLUICEWAY_TRACE_BUDGET": "250"}).trace_budget == 250
    assert RuntimeConfig.from_environment({**base, "SLUICEWAY_TRACE_BUDGET": "none"}).trace_budget is None


@pytest.mark.parametrize("value", ["many", "0", "-1", "2.5"])
def test_a_bad_trace_budget_names_the_variable_and_the_rule(tmp_path: Path, value: str) -> None:
    with pytest.raises(ValueError, match="SLUICEWAY_TRACE_BUDGET: must be a whole number"):
        RuntimeConfig.from_environment({"SLUICEWAY_DATA_DIR": str(tmp_path), "SLUICEWAY_TRACE_BUDGET": value})


def test_the_running_service_opens_its_metrics_with_the_configured_trace_budget(tmp_path: Path) -> None:
    with running_service(tmp_path / "a", "t" * 32, {"SLUICEWAY_TRACE_BUDGET": "none"}) as (_, runtime):
        assert runtime.metrics.trace_budget is None
    with running_service(tmp_path / "b", "t" * 32, {"SLUICEWAY_TRACE_BUDGET": "42"}) as (_, runtime):
        assert runtime.metrics.trace_budget == 42


def test_the_dedupe_memory_cap_reads_the_environment_and_reaches_the_router(tmp_path: Path) -> None:
    from sluiceway.service.dedupe import DEFAULT_MAX_CLAIMS

    base = {"SLUICEWAY_DATA_DIR": str(tmp_path / "a")}
    assert RuntimeConfig.from_environment(base).dedupe_max_messages == DEFAULT_MAX_CLAIMS
    with pytest.raises(ValueError, match="SLUICEWAY_DEDUPE_MAX_MESSAGES: must be a whole number of messages >= 1"):
        RuntimeConfig.from_environment({**base, "SLUICEWAY_DEDUPE_MAX_MESSAGES": "lots"})
    with running_service(tmp_path / "b", "t" * 32, {"SLUICEWAY_DEDUPE_MAX_MESSAGES": "1234"}) as (_, runtime):
        assert runtime.dedupe.max_claims == 1234
