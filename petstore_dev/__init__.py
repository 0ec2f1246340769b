"""Development tooling: the local stack (`petstore-dev`) and helpers shared with the tests. Never deployed."""
