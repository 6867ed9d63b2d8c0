"""Publication: the acts published online (R2131-1), the public portal, its search,
its feed; the one place the portal, the feed, the exports and the API read from."""
