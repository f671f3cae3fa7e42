"""The engines that brief an article: the LLM behind a provider seam, and the offline
extractive engine."""
