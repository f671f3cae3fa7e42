"""The text layer at the bottom: places in an article's text (spans), the quotations it holds
(quotes), finding quoted words in it (SourceText) and the words of saying "no" (negation).
Pure, no I/O; imports nothing else of briefer's but the schema's records."""
