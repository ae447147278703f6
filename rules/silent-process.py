import os
import subprocess

# ruleid: MOAT-MAL007
subprocess.Popen(["miner"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
# ruleid: MOAT-MAL007
subprocess.Popen("payload.exe", creationflags=subprocess.CREATE_NO_WINDOW)
# ruleid: MOAT-MAL007
os.system("./agent > /dev/null 2>&1 &")
# ruleid: MOAT-MAL007
os.system("nohup ./agent")

# ok: MOAT-MAL007
subprocess.run(["git", "status"], stdout=subprocess.DEVNULL)
# ok: MOAT-MAL007
os.system("make")
