"""Fixtures of the monitoring tests."""

from zhongcai.monitoring.tests.scenario import scenario  # noqa: F401
