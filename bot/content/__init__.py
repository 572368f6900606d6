"""Content layer: loads the top-level content/ files into domain objects."""
