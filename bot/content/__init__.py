"""Content loading (content layer): reads content/ files into validated domain objects."""
