"""Fakes of WeCom's servers for tests: the HTTP API and the robot long connection."""
