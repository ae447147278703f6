import os
import shutil
import sqlite3

# ruleid: MOAT-MAL019
key = open(os.path.expanduser("~/.ssh/id_rsa")).read()
# ruleid: MOAT-MAL019
creds = open(os.path.join(os.environ["HOME"], ".aws/credentials")).read()
local = os.environ["LOCALAPPDATA"]
# ruleid: MOAT-MAL019
shutil.copy(os.path.join(local, "Google", "Chrome", "User Data", "Default", "Login Data"), "tmp.db")
# ruleid: MOAT-MAL019
db = sqlite3.connect("Cookies")

# ok: MOAT-MAL019
config = open(os.path.expanduser("~/.config/demo.toml")).read()
