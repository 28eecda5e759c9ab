"""wfengine.wapi."""
