"""The live meeting: roll call, proxies, events, votes, and each item frozen into the
register as it closes."""
