#!/usr/bin/env python3
"""console.py — the guest's serial console in this terminal, for `make gdb`.

`make gdb` gives QEMU's serial port a Unix socket (build/gdb-serial.sock);
`make console` in a second terminal runs this: it puts the terminal in raw
mode (so arrow keys, Tab and Ctrl-C go to Prism's shell, not to this
terminal) and copies bytes both ways until Ctrl-] is typed or QEMU goes
away. Standard library only. Build infrastructure; no OSTEP chapter.
"""
import os
import select
import socket
import sys
import termios
import tty

QUIT = b"\x1d"  # Ctrl-], as telnet uses


def main():
    if len(sys.argv) != 2:
        print("usage: console.py SOCKET", file=sys.stderr)
        return 2
    path = sys.argv[1]
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError as error:
        print(f"console: cannot connect to {path}: {error.strerror} (is 'make gdb' running?)",
              file=sys.stderr)
        return 1
    print("console: connected; Ctrl-] quits. The guest runs only while gdb lets it continue.\r")
    stdin = sys.stdin.fileno()
    saved = termios.tcgetattr(stdin) if os.isatty(stdin) else None
    try:
        if saved is not None:
            tty.setraw(stdin)
        while True:
            ready, _, _ = select.select([stdin, connection], [], [])
            if connection in ready:
                data = connection.recv(4096)
                if not data:
                    break
                os.write(sys.stdout.fileno(), data)
            if stdin in ready:
                data = os.read(stdin, 1024)
                if not data or QUIT in data:
                    break
                connection.sendall(data)
    finally:
        if saved is not None:
            termios.tcsetattr(stdin, termios.TCSADRAIN, saved)
    print("\nconsole: closed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
