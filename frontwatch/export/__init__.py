"""Exports of the store for other tools: GeoJSON of control on a day, ACLED-layout CSV, JSON Lines, Parquet.

Every writer streams: rows come from the store in batches and go out as they come, so a large
store is never held in memory whole.
"""
