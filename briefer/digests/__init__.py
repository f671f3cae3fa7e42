"""Many articles into a digest: collect, deduplicate, group into stories, synthesise, remember."""
