"""The per-article pipeline: chunk, map, merge, consolidate, ground; plans and the Batch API."""
