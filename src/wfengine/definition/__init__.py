"""wfengine.definition."""
