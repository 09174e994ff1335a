# @TEST-DOC: zeek -N lists the plugin with its version.
# @TEST-EXEC: zeek -NN ZeekMPTCP::MPTCP | grep -v '^    \[' | sed 's/^ *//' > output
# @TEST-EXEC: btest-diff output
