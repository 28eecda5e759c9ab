"""wfengine.runtime."""
