"""Tests of clearance.classify (a package, so its conftest and module names do not clash with tests/)."""
