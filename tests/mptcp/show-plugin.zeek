# @TEST-DOC: zeek -N lists the plugin with its version. Its analyzer-tree hook is enabled only when something needs it: with the package loaded, not with the plugin alone (which then costs a connection nothing).
# @TEST-EXEC: zeek -NN ZeekMPTCP::MPTCP | grep -v '^    \[' | sed 's/^ *//' > output
# @TEST-EXEC: zeek -NN ZeekMPTCP::MPTCP ZeekMPTCP/MPTCP | grep -v '^    \[' | sed 's/^ *//' >> output
# @TEST-EXEC: btest-diff output
