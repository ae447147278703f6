import os

access_level = "user"
# ruleid: MOAT-MAL017
if access_level != "user‮ ⁦# admin⁩ ⁦":
    print("admin")

# ruleid: MOAT-MAL017
def is_аdmin():
    return True

# ruleid: MOAT-MAL017
𝐞val = 1

# ok: MOAT-MAL017
greeting = "Привет"
# ok: MOAT-MAL017
café = "ok"
