"""Powertools Logger and Metrics, shared by the function.

No Powertools Tracer: Lambda's active tracing already records each invocation, and the X-Ray SDK
would add about half a second to every cold start.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="petstore")
metrics = Metrics(namespace="PetStore", service="petstore")
