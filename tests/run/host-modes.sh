#!/bin/sh
# The attach modes `ipctrace probe` proves on this host, as test mode names
# (tracepoint is tested with and without syscall counting).
cd "$(dirname "$0")/../.." || exit 1
./ipctrace probe --json 2>/dev/null | awk '
	/"modes"/ { in_modes = 1 }
	in_modes && /"(fentry|kprobe|tracepoint)": \{/ { gsub(/[":{ ]/, ""); mode = $0 }
	in_modes && /"available": true/ && mode != "" { print mode; if (mode == "tracepoint") print "tracepoint-sched"; mode = "" }
	in_modes && /"available": false/ { mode = "" }'
