import ctypes
import os

kernel32 = ctypes.windll.kernel32
# ruleid: MOAT-MAL014
address = kernel32.VirtualAllocEx(handle, 0, 4096, 0x3000, 0x40)
# ruleid: MOAT-MAL014
kernel32.WriteProcessMemory(handle, address, shellcode, 4096, None)
# ruleid: MOAT-MAL014
kernel32.CreateRemoteThread(handle, None, 0, address, None, 0, None)
# ruleid: MOAT-MAL014
os.system("rundll32.exe payload.dll,Start")
# ruleid: MOAT-MAL014
command = "LD_PRELOAD=/tmp/hook.so /usr/bin/sudo"

# ok: MOAT-MAL014
kernel32.GetTickCount()
# ok: MOAT-MAL014
message = "run the installer"
