"""Input readers: files, stdin, URLs (fetched safely), feeds, folders and URL lists
become Articles."""
