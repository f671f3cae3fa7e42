"""The text layer at the bottom: places in an article's text (spans), the quotations it holds
(quotes) and finding quoted words in it (SourceText). Pure, no I/O; imports nothing else of
briefer's but the schema's records."""
