"""A deliberately insecure little service: moat's quick-start example."""
import hashlib
import pickle
import subprocess as sp

import yaml
from flask import Flask, request

app = Flask(__name__)
API_PASSWORD = "hunter2"


@app.route("/run")
def run():
    command = request.args["cmd"]
    return sp.check_output(f"ls {command}", shell=True)


@app.route("/load", methods=["POST"])
def load():
    return repr(pickle.loads(request.data))


def config(path):
    with open(path) as handle:
        return yaml.load(handle)


def fingerprint(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


if __name__ == "__main__":
    app.run(debug=True, host="0.0.0.0")
