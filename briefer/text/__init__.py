"""The text layer at the bottom: places in an article's text (spans), its sentences (the one
splitter), the quotations it holds (quotes), finding quoted words in it (SourceText), the words
of saying "no" (negation), name keys, titles and honorifics (names), and content words
(words). Pure, no I/O; imports nothing else of briefer's but the schema's records."""
