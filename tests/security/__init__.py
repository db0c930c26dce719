"""Security tests: authorization over every route, the API against its schema, login."""
