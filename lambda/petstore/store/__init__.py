"""Persistence: the ports the service depends on and their DynamoDB adapters."""
