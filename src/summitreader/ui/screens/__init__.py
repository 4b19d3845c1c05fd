"""The reader's screens: the library list, one article, and the key help."""
