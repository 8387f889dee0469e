# tap-merge.awk - re-number one test program's TAP into the combined stream
# a .t script prints, so prove counts every test exactly once, and prefix
# each description with where it ran: [host 6.18.44 tracepoint].
#   -v prefix=...  -v start=N (tests already printed)  -v rc=exit status
#   -v countfile=F (receives the new total)
#   -v failfile=F (each failure's line is appended, message and all: prove
#   prints only the numbers of failed tests, `make test` prints this file)
function describe(d) {
	# Check writes "tests/integration/test_x.c:tcase:name: Passed"; the
	# test case is kept: it names the attach mode (test_counters:fentry:...)
	sub(/^.*\//, "", d)
	sub(/\.c:/, ":", d)
	sub(/: Passed$/, "", d)
	return d
}
/^(not )?ok [0-9]+/ {
	status = ($1 == "not") ? "not ok" : "ok"
	desc = $0
	sub(/^(not )?ok [0-9]+ *-? */, "", desc)
	n++
	if (status == "not ok") {
		failed++
		if (failfile != "")
			printf "[%s] %s\n", prefix, desc >> failfile
	}
	printf "%s %d - [%s] %s\n", status, start + n, prefix, describe(desc)
	next
}
/^1\.\.[0-9]+/ { next }
{ if (length($0)) print "# " $0 }
END {
	if (n == 0) {
		n++
		printf "not ok %d - [%s] produced no test results (exit status %d)\n", start + n, prefix, rc
		if (failfile != "")
			printf "[%s] produced no test results (exit status %d)\n", prefix, rc >> failfile
	} else if (rc != 0 && failed == 0) {
		n++
		printf "not ok %d - [%s] exited with status %d after passing tests\n", start + n, prefix, rc
		if (failfile != "")
			printf "[%s] exited with status %d after passing tests\n", prefix, rc >> failfile
	}
	print start + n > countfile
}
