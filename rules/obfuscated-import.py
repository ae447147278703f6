import base64
import builtins
import importlib

# ruleid: MOAT-MAL008
os_module = __import__(base64.b64decode("b3M=").decode())
# ruleid: MOAT-MAL008
sub = __import__("sub" + "process")
# ruleid: MOAT-MAL008
runner = getattr(builtins, "ex" + "ec")
# ruleid: MOAT-MAL008
mod = importlib.import_module("".join(["o", "s"]))
# ruleid: MOAT-MAL008
name = __import__("so"[::-1])

# ok: MOAT-MAL008
json_module = __import__("json")
# ok: MOAT-MAL008
plugin = importlib.import_module("myapp.plugins")
