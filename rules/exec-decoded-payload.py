import base64
import codecs
import marshal
import zlib
from base64 import b64decode as unhide

payload = "cHJpbnQoJ2hpJyk="

# ruleid: MOAT-MAL001
exec(base64.b64decode(payload))

code = zlib.decompress(base64.b64decode(payload))
# ruleid: MOAT-MAL001
exec(code)

# ruleid: MOAT-MAL001
eval(compile(marshal.loads(zlib.decompress(b"x")), "<string>", "exec"))

# ruleid: MOAT-MAL001
exec(unhide(payload))

# ruleid: MOAT-MAL001
exec(codecs.decode("cevag('uv')", "rot13"))

# ruleid: MOAT-MAL001
exec(bytes.fromhex("7072696e74282768692729").decode())


def run():
    blob = base64.b64decode(payload)
    text = blob.decode("utf-8")
    # ruleid: MOAT-MAL001
    exec(text)


# ok: MOAT-MAL001
exec("print('hello')")

# ok: MOAT-MAL001
data = base64.b64decode(payload)
print(data)

safe = "x = 1"
# ok: MOAT-MAL001
exec(safe)
