"""Fixtures that run the local stack (`petstore-dev`) on real sockets; filled in with the local stack."""
