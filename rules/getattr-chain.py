import os

# ruleid: MOAT-MAL009
getattr(getattr(__import__("os"), "path"), "join")("a", "b")
# ruleid: MOAT-MAL009
os.__dict__["system"]("id")
# ruleid: MOAT-MAL009
os.__getattribute__("system")("id")
# ruleid: MOAT-MAL009
globals()["eval"]("1 + 1")
# ruleid: MOAT-MAL009
vars(__builtins__)["exec"]("x = 1")

# ok: MOAT-MAL009
getattr(os, "sep")
# ok: MOAT-MAL009
globals()["config"]()
