"""wfengine.worklist."""
