"""The pure trading core: plain values in, plain values out (no database, Flask or network).

`matcher.evaluate` decides whether one order trades against one market snapshot;
the other modules are its parts (order vocabulary and state machine, order spec,
triggers, fill pricing, costs, time in force, auctions, sizing, buying power,
margin, FIFO lots, pre-trade checks and the one list of rejection codes).
"""
