"""The office's rules as plain code: numbers, business days, ticket states, who is called next.

Nothing here knows about Flask, SQL or the clock on the wall: callers pass values in.
"""
