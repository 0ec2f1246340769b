"""Powertools Logger, Metrics and Tracer, shared by the function."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger(service="petstore")
metrics = Metrics(namespace="PetStore", service="petstore")
tracer = Tracer(service="petstore")
