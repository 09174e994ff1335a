# Loaded when the plugin activates. Deliberately empty: nothing runs, and no tap is
# attached to any connection, until a script handles an mptcp_* event. Load the
# package (`@load zeek-mptcp` after zkg install, or `@load ZeekMPTCP/MPTCP`) for the
# logs and notices.
