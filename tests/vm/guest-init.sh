#!/bin/busybox sh
# /init of the test VM: mount what ipctrace reads, set the expectations
# that depend on the kernel release, run every line of /jobs as a shell
# command between markers the host parses, then power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
mount -t tmpfs tmp /tmp
mkdir -p /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
ulimit -l unlimited
export PATH=/bin IPCTRACE_BIN=/bin/ipctrace
echo "@@VM kernel $(uname -r) cpus $(nproc)"
# What the tests expect of this kernel follows from its release, so one job
# list serves every kernel: the pipe functions were renamed in 6.15
# (262b2fa99cbe: pipe_write became anon_pipe_write). A job may still set it.
rel=$(uname -r)
major=${rel%%.*}
minor=${rel#*.}
minor=${minor%%[!0-9]*}
if [ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -ge 15 ]; }; then
	IPCTRACE_EXPECT_PIPE_WRITE=anon_pipe_write
else
	IPCTRACE_EXPECT_PIPE_WRITE=pipe_write
fi
export IPCTRACE_EXPECT_PIPE_WRITE
echo "@@VM expect IPCTRACE_EXPECT_PIPE_WRITE=$IPCTRACE_EXPECT_PIPE_WRITE"
while IFS= read -r job; do
	[ -z "$job" ] && continue
	echo "@@VM begin $job"
	start=$(date +%s)
	sh -c "$job" 2>&1
	rc=$?
	echo "@@VM took $(( $(date +%s) - start )) s"
	# a failed job: what was still running, for the log
	[ "$rc" -ne 0 ] && ps -o pid,ppid,pgid,stat,args
	echo "@@VM end rc=$rc"
done < /jobs
echo "@@VM done"
poweroff -f
