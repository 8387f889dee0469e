#!/bin/busybox sh
# /init of the test VM: mount what ipctrace reads, run every line of /jobs
# as a shell command between markers the host parses, then power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs tmp /tmp
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
ulimit -l unlimited
export PATH=/bin IPCTRACE_BIN=/bin/ipctrace
echo "@@VM kernel $(uname -r) cpus $(nproc)"
while IFS= read -r job; do
	[ -z "$job" ] && continue
	echo "@@VM begin $job"
	sh -c "$job" 2>&1
	echo "@@VM end rc=$?"
done < /jobs
echo "@@VM done"
poweroff -f
