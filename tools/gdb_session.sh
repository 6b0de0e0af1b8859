#!/bin/sh
# gdb_session.sh — `make gdb`: QEMU halted under its GDB stub, gdb attached,
# and QEMU gone again when gdb ends.
#
#   tools/gdb_session.sh BUILD PORT KERNEL_ELF ISO [QEMU FLAGS...] -- [GDB ARGS...]
#
# QEMU runs daemonized (its own session), so the terminal's Ctrl-C reaches
# only gdb, which stops the guest and gives you its prompt back. QEMU's pid
# goes to BUILD/gdb-qemu.pid; whatever way gdb ends (quit, Ctrl-D, an error,
# -batch), QEMU is killed. A QEMU still alive from an earlier session, or
# anything else listening on PORT, is reported and nothing is started. The
# guest's serial console is the socket BUILD/gdb-serial.sock (`make console`
# in a second terminal) and is copied to BUILD/gdb-serial.log.
# Build infrastructure; no OSTEP chapter.
set -u

if [ $# -lt 4 ]; then
    echo "usage: gdb_session.sh BUILD PORT KERNEL_ELF ISO [QEMU FLAGS...] -- [GDB ARGS...]" >&2
    exit 2
fi
build=$1 port=$2 kernel=$3 iso=$4
shift 4
pidfile=$build/gdb-qemu.pid
socket=$build/gdb-serial.sock
log=$build/gdb-serial.log

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "make gdb: a QEMU from an earlier 'make gdb' is still running (pid $(cat "$pidfile"));" \
         "end it with: kill $(cat "$pidfile")" >&2
    exit 1
fi
if python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('localhost', $port)) != 0)"; then
    echo "make gdb: something is already listening on port $port (a stale QEMU?);" \
         "find it with: ss -ltnp | grep :$port   (or use GDB_PORT=another)" >&2
    exit 1
fi

qemu_flags=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    qemu_flags="$qemu_flags $1"
    shift
done
[ $# -gt 0 ] && shift # the "--"

rm -f "$pidfile" "$socket" "$log"
# -rtc clock=vm: the watchdog (kernel/arch/x86_64/watchdog.c) counts RTC
# interrupts without a timer tick. On the default host clock the RTC keeps
# running while gdb holds the guest stopped, so stepping through code with
# interrupts off (context_switch) would look like a stuck kernel; on the
# guest's own clock both stop together.
# shellcheck disable=SC2086 # the flags are meant to split into words
qemu-system-x86_64 $qemu_flags -rtc clock=vm -cdrom "$iso" -display none -monitor none \
    -chardev "socket,id=console,path=$socket,server=on,wait=off,logfile=$log" \
    -serial chardev:console -gdb "tcp:localhost:$port" -S \
    -daemonize -pidfile "$pidfile" || exit 1

stop_qemu() {
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    rm -f "$pidfile" "$socket"
}
trap stop_qemu EXIT
trap : INT # Ctrl-C is gdb's to handle; this shell must live on to stop QEMU
# A closed terminal (HUP) or a kill (TERM) ends gdb too; exiting through the
# EXIT trap then stops QEMU instead of leaving it running without a gdb.
trap 'exit 129' HUP
trap 'exit 143' TERM

echo "make gdb: QEMU (pid $(cat "$pidfile")) waits for gdb on port $port;" \
     "guest console: 'make console' in another terminal, log in $log"
gdb -q "$kernel" -ex "target remote localhost:$port" "$@"
