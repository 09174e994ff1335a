# Loaded when the plugin activates, before its BiFs: the types they use.
@load ./types
