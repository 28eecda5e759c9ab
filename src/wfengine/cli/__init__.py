"""wfengine.cli."""
