import pyperclip
import win32clipboard
from pyperclip import paste

# ruleid: MOAT-MAL011
text = pyperclip.paste()
# ruleid: MOAT-MAL011
other = paste()
# ruleid: MOAT-MAL011
pyperclip.copy("bc1qattackerwallet")
# ruleid: MOAT-MAL011
data = win32clipboard.GetClipboardData()

# ok: MOAT-MAL011
print("copy that")
