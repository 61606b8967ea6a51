"""Core: dates, the time specification, the relation vocabulary, problems and the one
atomic writer. Depends on nothing else in graphkit."""
