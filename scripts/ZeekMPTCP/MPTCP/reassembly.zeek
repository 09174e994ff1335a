##! Data-level reassembly, on as users run the package: each MPTCP connection's
##! bytes, put in order from all its subflows by the Rust core, go through Zeek's
##! protocol detection and application analyzers as one stream of the initial
##! subflow's connection, so http.log, files.log, ssl.log ... describe the MPTCP
##! connection as a whole under that uid, and the joined subflows no longer produce
##! fragmentary rows of their own. Problems go to weird.log as ``mptcp_<kind>`` and to
##! :zeek:see:`mptcp_data_issue`; holes and copies are counted in mptcp_conn.log's
##! ``missed_bytes`` and ``dup_bytes``. Switch it off with
##! ``redef MPTCP::reassemble = F;`` after loading the package.

redef MPTCP::reassemble = T;
